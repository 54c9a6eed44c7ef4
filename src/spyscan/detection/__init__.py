"""Detection: indicator matching over records' observables, and heuristics."""
