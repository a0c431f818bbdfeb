"""Review-desk lists draw only their newest load, in Chromium against a real ``livehire serve``.

A list reloads when its filter changes and again after every action on one of its cards. The two loads run
at once, and their answers can land in either order. Here the filter's answer is held until the action's
reload has drawn. That answer is the older one, and it must not blank the list when it lands (the
flake CI run 30 showed in ``test_evaluation_pages``: the finished corrective action vanished).
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from tests.browser.conftest import cli
from tests.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.clause("6.2")]

# counts the API answers whose body the page has read; the page draws in the same microtask checkpoint,
# so once a poll (a later task) sees the count, that answer's drawing is over
COUNT_ANSWERS = """
window.__answered = {};
const read = Response.prototype.text;
Response.prototype.text = function () {
  const url = new URL(this.url).pathname + new URL(this.url).search;
  return read.call(this).then((text) => { window.__answered[url] = (window.__answered[url] || 0) + 1; return text; });
};
"""
DONE_LIST = "/api/v1/review/actions?status=done"


async def test_an_older_answer_landing_late_does_not_overwrite_the_newer_list(chromium: Any,
                                                                              server: ServerProcess) -> None:
    added = json.loads(await asyncio.to_thread(cli, server, "staff", "add", "rev-1", "--role", "reviewer",
                                               "--name", "审核员小陈", "--json"))
    context = await chromium.new_context()
    await context.add_init_script(COUNT_ANSWERS)
    desk = await context.new_page()
    errors: list[str] = []
    desk.on("pageerror", lambda error: errors.append(str(error)))
    await desk.goto(added["sign_in_link"], wait_until="domcontentloaded")
    await desk.wait_for_selector("#review-actions")

    follow_up = (datetime.now(timezone(timedelta(hours=8))) + timedelta(days=7)).strftime("%Y-%m-%d")
    await desk.fill("#action-form input[name=problem]", "直播间首次响应偏慢")
    await desk.fill("#action-form input[name=action]", "安排招聘专员值班")
    await desk.fill("#action-form input[name=owner]", "运营部张三")
    await desk.fill("#action-form input[name=follow_up]", follow_up)
    await desk.click("#action-submit")
    card = desk.locator(".corrective-action[data-status='open']")
    await card.wait_for()

    held: asyncio.Queue[tuple[Any, Any]] = asyncio.Queue()
    calls = 0

    async def hold_the_first(route: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:  # answered now, while the action is still open (an empty list), drawn later
            await held.put((route, await route.fetch()))
        else:
            await route.continue_()

    await desk.route(lambda url: url.endswith(DONE_LIST), hold_the_first)
    await desk.select_option("#action-filter", "status=done")
    stale_route, stale_answer = await asyncio.wait_for(held.get(), 10)
    assert json.loads(await stale_answer.text())["actions"] == []

    await card.locator(".action-outcome").fill("已排班，响应降至 10 分钟")
    await card.locator(".action-done").click()
    done = desk.locator(".corrective-action[data-status='done']")
    await done.wait_for()
    await stale_route.fulfill(response=stale_answer)
    await desk.wait_for_function(f"() => (window.__answered[{json.dumps(DONE_LIST)}] || 0) >= 2")

    assert await done.count() == 1, await desk.inner_text("#review-action-list")
    assert await desk.locator("#review-action-empty").count() == 0
    assert calls == 2 and not errors
    await context.close()

