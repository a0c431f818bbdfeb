"""Selective forwarding on top of aiortc: pure RTP helpers, the fan-out, and the aiortc hooks."""
