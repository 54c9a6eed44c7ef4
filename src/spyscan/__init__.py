"""spyscan: consensual, offline forensic checks of phones for traces of spyware."""

__version__ = "0.1.0"
TOOL_NAME = "spyscan"
