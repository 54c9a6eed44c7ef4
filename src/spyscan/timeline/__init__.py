"""Timeline rows derived from records' declared timestamps."""
