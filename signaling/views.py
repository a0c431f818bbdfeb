"""The operator's view of a room's media (``GET /api/v1/rooms/{room}/stats``), built from a snapshot."""

from __future__ import annotations

from typing import Any

from media_server.sfu.peer import PublisherPeer, ViewerPeer

from .sessions import RoomMedia


def room_stats_view(state: dict[str, Any], media: RoomMedia | None, limit: int) -> dict[str, Any]:
    """The room's public state with the publisher's and up to ``limit`` viewers' track statistics."""
    if media is None:
        return {**state, "publisher": None, "viewer_stats": []}
    publisher = media.publisher
    return {
        **state,
        "publisher": None if publisher is None else {
            "session": publisher.id[:6],
            "state": publisher.peer.state,
            "tracks": publisher.peer.stats() if isinstance(publisher.peer, PublisherPeer) else {},
        },
        "viewer_stats": [
            {"session": s.id[:6], "state": s.peer.state,
             "tracks": s.peer.stats() if isinstance(s.peer, ViewerPeer) else {}}
            for s in list(media.viewers.values())[:limit]
        ],
    }
