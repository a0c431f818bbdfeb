"""Chromium on the real ``livehire serve``: a live with a pinned job card is recorded; its replay plays on
/replay/{id}, the card shows at the time it was pinned, apply from it reaches the office live with the
``replay`` source (issue 16, standard 4.3.1 a, 4.3.1 b)."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from typing import Any

import pytest

from tests.browser.conftest import cli, sign_in_as_member, sign_in_with_phone
from tests.media.peers import answer_into, publisher
from tests.server import ServerProcess

pytestmark = pytest.mark.browser

DEMO_JOB = "demo-job-sorter"


def http(server: ServerProcess, method: str, path: str, body: dict[str, Any] | None = None,
         token: str | None = None, content_type: str = "application/json", data: bytes | None = None) -> Any:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    payload = data if data is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(server.base_url + path, data=payload, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        text = response.read().decode()
    return json.loads(text) if content_type == "application/json" and text else text


async def wait_until(check: Any, limit: float) -> Any:
    deadline = time.monotonic() + limit
    while True:
        found = await asyncio.to_thread(check)
        if found:
            return found
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.2)


@pytest.mark.clause("4.3.1 a", "4.3.1 b")
@pytest.mark.timeout(120)
async def test_replay_plays_shows_the_card_at_its_time_and_apply_reaches_the_office(
        chromium: Any, server: ServerProcess) -> None:
    errors: list[str] = []
    key = server.banner_value("stream key")
    host = (await asyncio.to_thread(cli, server, "token", "--role", "host", "--user", "demo-host",
                                    "--org", "demo-org")).strip()
    # a 6-s live, the card pinned 2 s in
    pub, offer = await publisher("video/VP8")
    try:
        answer = await asyncio.to_thread(http, server, "POST", "/whip/demo", token=key, content_type="application/sdp",
                                         data=offer.encode())
        await answer_into(pub, answer)
        replays = await wait_until(lambda: http(server, "GET", "/api/v1/rooms/demo/recordings"), 20)
        started = time.monotonic()
        await asyncio.sleep(2.0)  # the media itself: the card's moment is two seconds into the live
        await asyncio.to_thread(http, server, "POST", "/api/v1/rooms/demo/pins", {"job_id": DEMO_JOB}, token=host)
        # a late viewer watches the running live from its start, with a way back to the live edge
        late = await (await chromium.new_context()).new_page()
        late.on("pageerror", lambda error: errors.append(f"late: {error}"))
        await late.goto(f"{server.base_url}/live/demo", wait_until="domcontentloaded")
        await late.click("#replay-from-start a")
        await late.wait_for_selector("#replay-live-edge[href='/live/demo']")
        await late.evaluate("document.getElementById('replay-video').play()")
        await late.wait_for_function("() => document.getElementById('replay-video').currentTime > 0.5", timeout=10000)
        await late.close()
        await asyncio.sleep(max(0.0, 6.0 - (time.monotonic() - started)))
    finally:
        await pub.close()
    replay_id = replays[0]["id"]

    def finished() -> Any:
        rows = http(server, "GET", "/api/v1/rooms/demo/recordings")
        return [r for r in rows if r["id"] == replay_id and not r["recording"]]

    replay = (await wait_until(finished, 30))[0]
    assert replay["duration_s"] >= 4
    cards = await asyncio.to_thread(http, server, "GET", f"/api/v1/recordings/{replay_id}/cards")
    assert [c["job_id"] for c in cards] == [DEMO_JOB] and 1.0 <= cards[0]["offset_s"] <= 4.0, cards

    office_context = await chromium.new_context()
    office = await office_context.new_page()
    office.on("pageerror", lambda error: errors.append(f"office: {error}"))
    await sign_in_as_member(office, server, user_id="demo-recruiter", role="recruiter", org="demo-org",
                            name="李招聘", next_path="/office")
    await office.wait_for_selector("#live-dot[data-on=true]")

    viewer = await (await chromium.new_context()).new_page()
    viewer.on("pageerror", lambda error: errors.append(f"viewer: {error}"))
    await viewer.goto(f"{server.base_url}/login?next=/live/demo", wait_until="domcontentloaded")
    await viewer.fill("#login-name", "回放求职者")
    await sign_in_with_phone(viewer, server, "13922223333")
    saved = await viewer.evaluate("""async () => (await fetch('/api/v1/me/profile', {method: 'PUT',
        headers: {'Content-Type': 'application/json'}, body: JSON.stringify({name: '孙回放', phone: '13922223333',
        resume: '三年仓储分拣经验', consent_to_share: true})})).status""")
    assert saved == 200
    await viewer.wait_for_selector(f"#replay-list li[data-recording='{replay_id}'] a")  # the room page lists it
    await viewer.click(f"#replay-list li[data-recording='{replay_id}'] a")
    await viewer.wait_for_selector(f"#replay-chapters li[data-job={DEMO_JOB}]")
    assert await viewer.locator("#replay-card").is_hidden()  # not before its time
    await viewer.evaluate("document.getElementById('replay-video').play()")
    await viewer.wait_for_selector(f"#replay-card[data-job-id={DEMO_JOB}]", timeout=15000)
    shown_at = await viewer.evaluate("document.getElementById('replay-video').currentTime")
    assert shown_at >= cards[0]["offset_s"] - 0.1, shown_at
    await viewer.click("#replay-card .apply-button")
    await viewer.wait_for_selector("#replay-card .job-status[data-kind=ok]")
    assert "投递成功" in await viewer.inner_text("#replay-card .job-status")

    row = office.locator("#inbox tr", has_text="孙回放")
    await row.wait_for(timeout=15000)
    assert "回放" in await row.inner_text()
    recruiter = (await asyncio.to_thread(cli, server, "token", "--role", "recruiter", "--user", "demo-recruiter",
                                         "--org", "demo-org")).strip()
    inbox = await asyncio.to_thread(http, server, "GET", "/api/v1/orgs/demo-org/applications", token=recruiter)
    mine = [a for a in inbox if a["name"] == "孙回放"]
    assert mine and mine[0]["source"] == "replay" and mine[0]["room"] == "demo", inbox
    # the host cuts a clip of the card's moment on the replay page, with its job; the org's page lists it
    assert await viewer.locator("#replay-editor").is_hidden()  # a job seeker gets no editor
    studio = await (await chromium.new_context()).new_page()
    studio.on("pageerror", lambda error: errors.append(f"host: {error}"))
    await sign_in_as_member(studio, server, user_id="demo-host", role="host", org="demo-org", name="张主播",
                            next_path=f"/replay/{replay_id}")
    await studio.wait_for_selector("#replay-editor:not([hidden])")
    await studio.fill("#clip-start", "1")
    await studio.fill("#clip-end", "5")
    await studio.fill("#clip-title", "分拣员岗位讲解")
    await studio.select_option("#clip-job", DEMO_JOB)
    await studio.click("#clip-save")
    clip_id = await (await studio.wait_for_selector("#clip-link")).get_attribute("data-recording")
    clip = await asyncio.to_thread(http, server, "GET", f"/api/v1/recordings/{clip_id}")
    assert clip["kind"] == "clip" and clip["job_id"] == DEMO_JOB and abs(clip["duration_s"] - 4) <= 1
    await viewer.goto(f"{server.base_url}/orgs/demo-org", wait_until="domcontentloaded")
    await viewer.wait_for_selector(f"#org-clip-list li[data-recording='{clip['id']}']")
    assert "分拣员岗位讲解" in await viewer.inner_text("#org-clips")
    # a complaint about the replay; a platform reviewer takes it down from the review desk
    filed = await asyncio.to_thread(http, server, "POST", "/api/v1/complaints", {
        "target_type": "replay", "target_id": replay_id, "text": "回放里主播要求先交报名费"})
    assert filed["status"] == "received"
    added = json.loads(await asyncio.to_thread(cli, server, "staff", "add", "rev-1", "--role", "reviewer",
                                               "--name", "审核员小陈", "--json"))
    desk = await (await chromium.new_context()).new_page()
    desk.on("pageerror", lambda error: errors.append(f"review: {error}"))
    await desk.goto(added["sign_in_link"], wait_until="domcontentloaded")
    card = desk.locator(f".review-complaint[data-complaint='{filed['id']}']")
    await card.locator(f"a[href='/replay/{replay_id}']").wait_for()
    await card.locator(".takedown-reason").fill("收取报名费")
    await card.locator(".takedown-button").click()
    await desk.wait_for_selector(f"#review-complaint-status >> text=已下架：{replay_id}")
    await viewer.goto(f"{server.base_url}/replay/{replay_id}", wait_until="domcontentloaded")
    await viewer.wait_for_function("() => document.getElementById('replay-status').textContent.includes('无法加载回放')")
    rows = await asyncio.to_thread(http, server, "GET", "/api/v1/rooms/demo/recordings")
    assert replay_id not in [r["id"] for r in rows]
    assert not errors, errors
