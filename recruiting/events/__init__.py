"""The resume-delivery event log: port, memory and Redis implementations, outbox (see :mod:`recruiting`)."""
