"""The floor every layer stands on: the error root and small shared pieces (no I/O, no HTTP)."""
