"""Heuristic rules: one rule per module, run whether or not indicators are loaded."""
