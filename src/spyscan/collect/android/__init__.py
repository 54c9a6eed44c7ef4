"""Android acquisition over adb, written in the androidqf layout (see docs/acquisition.md)."""
