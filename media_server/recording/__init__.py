"""Recording of a broadcast by remuxing the RTP it already forwards (no decode, no encode)."""
