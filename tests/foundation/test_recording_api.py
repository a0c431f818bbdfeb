"""Recording routes without media: empty lists, unknown ids, the replay page shell (issue 16)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.clause("4.3.1 a")
async def test_recording_routes_answer_json_errors_and_the_replay_page_renders(client: Any) -> None:
    response = await client.get("/api/v1/rooms/demo/recordings")
    assert response.status == 200 and await response.json() == []
    response = await client.get("/api/v1/rooms/nope/recordings")
    assert response.status == 404
    for path in ("/api/v1/recordings/0123/media", "/api/v1/recordings/0123/cards", "/api/v1/recordings/0123"):
        response = await client.get(path)
        assert response.status == 404 and (await response.json())["error"]["code"] == "unknown_recording"
    response = await client.post("/api/v1/recordings/0123/clips", json={"start_s": 0, "end_s": 1})
    assert response.status == 401
    page = await client.get("/replay/" + "a" * 32)
    text = await page.text()
    assert page.status == 200 and 'id="replay-video"' in text and "直播回放" in text
    assert (await client.get("/replay/not-an-id")).status == 404
