"""iOS artifacts."""
