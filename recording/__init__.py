"""Replays and clips of lives (4.3.1 a, 5.2): their rows, access, cards, takedown, storage and HTTP routes.

On the floor of signaling, recruiting, chat and governance: it builds on the media plane's
recorder (``media_server.recording``), identity's policy and the store; ``livehire`` wires it
to signaling's live state, recruiting's sessions and governance's ledger
(``livehire/recording_setup.py``).
"""
