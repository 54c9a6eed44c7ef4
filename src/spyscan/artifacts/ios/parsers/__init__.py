"""Pure parsers of iOS text formats (no evidence access, no I/O): easy to test and to fuzz."""
