"""WHIP/WHEP (RFC 9725) signaling: HTTP endpoints, SDP/ICE handling, rooms mapped to media sessions."""
