"""A resume passes the filter before employers can read it (standard 5.1.3 d; issue 14: every text a person
writes for others): a blocked resume or name is refused with 422, logged, in the ledger without the text, and
the stored profile is left as it was; a resume's own phone number and address do not count."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from governance.web import GOVERNANCE
from tests.identity.helpers import bearer, error_of

pytestmark = pytest.mark.clause("5.1.3 d")

GOOD = {"name": "小王", "phone": "13800138000", "consent_to_share": True,
        "resume": "三年仓储经验，会开叉车。电话 13800138000，住北京市大兴区黄村镇。"}


async def test_a_blocked_resume_is_refused_and_the_profile_kept(client: Any, caplog: pytest.LogCaptureFixture) -> None:
    app = client.server.app
    seeker = await bearer(app, "viewer", "seeker-r")
    saved = await client.put("/api/v1/me/profile", json=GOOD, headers=seeker)
    assert saved.status == 200, await saved.text()  # its own phone and address: personal data, not refused
    with caplog.at_level(logging.WARNING, logger="livehire.recruiting.screening"):
        refused = await client.put("/api/v1/me/profile", headers=seeker,
                                   json={**GOOD, "resume": "你们这些傻逼招聘的都去死吧"})
    error = await error_of(refused, 422)
    assert error["code"] == "text_not_allowed" and error["field"] == "resume" and "harassment" in error["categories"]
    assert any("resume refused" in record.getMessage() for record in caplog.records)
    profile = await (await client.get("/api/v1/me/profile", headers=seeker)).json()
    assert profile["profile"]["resume"] == GOOD["resume"]  # nothing of the refused one stored
    entries = [e async for e in app[GOVERNANCE].ledger.export(0, 2**62) if e.kind == "moderation.blocked"]
    assert entries and entries[-1].body["what"] == "resume" and "傻逼" not in str(entries[-1].body)
