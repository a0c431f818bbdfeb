"""Every page works under the Content-Security-Policy (no inline script or style anywhere):
Chromium reports no violation, and the feature modules render and are styled from static CSS."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server import ServerProcess

pytestmark = pytest.mark.browser

#: Added before any page script runs (a DevTools init script is not subject to the page's CSP).
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI || "inline"}`);
});
"""

#: page → an element its modules render, and a rule of a static stylesheet it must have got
PAGES = {
    "/": ("#room-list li[data-room='demo']", None),
    "/live/demo": ("#chat-messages", ("#chat-messages", "listStyleType", "none")),  # chat.css
    "/studio/demo": ("#moderation-panel #sign-in-prompt", None),
    "/office": ("#office-app #sign-in-link", None),
    "/review": ("#review-login #sign-in-link", None),
    "/me": ("#me-app #sign-in-link", None),
    "/login?next=/office": ("#phone-form", ("#phone-form", "flexDirection", "column")),  # style.css
    "/rules": ("#rules-prohibited tr[data-category='fee']", None),
    "/me/orgs": ("#my-orgs-login #sign-in-link", None),
    "/orgs/demo-org": ("#org-licences li[data-kind='hr_service_licence']", ("#org-facts dl", "display", "grid")),
    "/complaints/new?target_type=room&target_id=demo": ("#complaint-form", ("#complaint-form", "flexDirection", "column")),
    "/complaints/follow/no-such-link": ("#follow-error", None),
}


async def test_pages_run_under_the_content_security_policy(chromium: Any, live_server: ServerProcess) -> None:
    context = await chromium.new_context()
    await context.add_init_script(COLLECT_VIOLATIONS)
    page = await context.new_page()
    console: list[str] = []
    errors: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for path, (rendered, styled) in PAGES.items():
            response = await page.goto(live_server.base_url + path, wait_until="domcontentloaded")
            assert response is not None and "unsafe-inline" not in response.headers["content-security-policy"]
            await page.wait_for_selector(rendered, state="attached")
            if styled is not None:
                selector, prop, value = styled
                computed = await page.eval_on_selector(selector, f"node => getComputedStyle(node).{prop}")
                assert computed == value, (path, selector, prop, computed)
            violations = await page.evaluate("window.__cspViolations")
            assert violations == [], (path, violations)
            blocked = [line for line in console if "Content Security Policy" in line or "Refused to" in line]
            assert blocked == [], (path, blocked)
        assert errors == []
    finally:
        await context.close()
