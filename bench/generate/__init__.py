"""Deterministic generators of large synthetic acquisitions for the benchmark (not part of the tests)."""
