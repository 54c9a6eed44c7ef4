"""Artifacts: each reads one thing from the evidence and yields typed records."""
