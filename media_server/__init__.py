"""The live media plane: RTP forwarding of one publisher to many viewers (knows nothing of rooms)."""
