"""Case store, retro-hunting across stored runs, and exchange formats (STIX 2.1, MISP)."""
