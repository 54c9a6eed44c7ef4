"""The app's pages, one module per area: cases, checks, results and triage, hunts, indicators."""
