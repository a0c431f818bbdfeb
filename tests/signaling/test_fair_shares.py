"""Fair shares over HTTP (review H4): one client cannot fill a room or the node, and the host gets in.

Real aiortc on the server side; the flooding client never answers, so its
sessions stay pending (the cheap attack) and cost no client-side peers.
"""

from __future__ import annotations

from typing import Any

import pytest

from signaling.admission import Admission
from tests.media.peers import answer_into, publisher, wait_for
from tests.signaling.helpers import header_client_key, make_app, make_service, post_sdp
from tests.signaling.offers import aiortc_offer

pytestmark = pytest.mark.media

ATTACKER, OTHER, THIRD = "203.0.113.7", "198.51.100.20", "198.51.100.30"


def error_code(created: Any) -> str:
    return str(created.body["error"]["code"]) if created.body else ""


async def test_one_client_gets_its_share_then_429_others_and_the_host_still_get_in(aiohttp_client: Any) -> None:
    # 6 sessions on the node, 2 kept for publishers: 4 viewers at most; 3 pending per client
    admission = Admission(max_sessions=6, reserved_publishers=2, pending_per_client=3, pending_timeout=2.0)
    service = make_service(admission=admission)
    client = await aiohttp_client(make_app(service, header_client_key))
    pub, offer = await publisher("video/VP8")
    view_pc, view_offer = await aiortc_offer("video/VP8", direction="recvonly")
    other_pc, other_offer = await aiortc_offer()
    try:
        created = await post_sdp(client, "/whip/demo", offer)
        assert created.status == 201
        await answer_into(pub, created.sdp)
        await wait_for(lambda: service.room_state("demo")["live"], 10)

        statuses = [await post_sdp(client, "/whep/demo", view_offer, token=None, as_client=ATTACKER)
                    for _ in range(5)]
        assert [c.status for c in statuses] == [201, 201, 201, 429, 429]
        refused = statuses[-1]
        assert error_code(refused) == "too_many_sessions"
        assert 1 <= int(refused.headers["Retry-After"]) <= 2  # when its oldest pending session expires
        assert "Retry-After" in refused.headers["Access-Control-Expose-Headers"]
        assert service.room_state("demo")["viewers"] == 0  # pending sessions are not viewers

        # another client still gets in, and fills the node's viewer share...
        assert (await post_sdp(client, "/whep/demo", view_offer, token=None, as_client=OTHER)).status == 201
        full = await post_sdp(client, "/whep/demo", view_offer, token=None, as_client=THIRD)
        assert full.status == 503 and error_code(full) == "overloaded" and full.headers["Retry-After"]
        # ...while a host still publishes, in the publishers' reserve
        host = await post_sdp(client, "/whip/other", other_offer, token="other-key", as_client=ATTACKER)
        assert host.status == 201, host.sdp
        assert service.session_count() == 6

        # never-connected viewers are closed after pending_timeout (not connect_timeout, 20 s)
        await wait_for(lambda: service.session_count() == 2, 6)
        assert admission.viewers() == 0 and admission.client_sessions(ATTACKER) == 0
        assert (await post_sdp(client, "/whep/demo", view_offer, token=None, as_client=ATTACKER)).status == 201
    finally:
        await pub.close()
        await view_pc.close()
        await other_pc.close()
