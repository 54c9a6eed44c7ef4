"""Android artifacts."""
