"""``LedgerFeed`` on the memory ledger: notes in order, reasons masked (4.4.1 f)."""

from __future__ import annotations

import pytest

from governance.feeds import LedgerFeed
from governance.ledger import (
    GENESIS_HASH,
    MemoryLedger,
    canonical,
    entry_hash,
    hash_of_text,
    pseudonym,
    pseudonym_key,
)
from governance.services import masked
from moderation.engine import Moderator

pytestmark = pytest.mark.clause("4.4.1 f")

KEY = pseudonym_key("feeds-" + "x" * 40)


async def test_notes_keep_their_order_and_reasons_lose_personal_data() -> None:
    ledger = MemoryLedger()
    moderator = Moderator()
    feed = LedgerFeed(ledger, KEY, mask=lambda text: masked(moderator, text))
    for i in range(5):
        feed.note("chat.mute", "room:demo", {"n": i, "reason": "骚扰，电话13800138000", "user": feed.person("u1")})
    await feed.close()
    assert [e.body["n"] for e in ledger.entries] == [0, 1, 2, 3, 4]
    assert all("13800138000" not in e.body["reason"] and "骚扰" in e.body["reason"] for e in ledger.entries)
    assert ledger.entries[0].body["user"] == pseudonym(KEY, "user", "u1")
    assert ledger.verify().ok


def test_the_hash_from_the_body_text_is_the_hash_of_the_document() -> None:
    """``hash_of_text`` (appends) spells out the same canonical document ``entry_hash`` (verification) encodes."""
    bodies = [{}, {"b": [1, "二", None], "a": {"z": 1.5, "y": True}}, {"reason": "引号\"和\\反斜杠\n换行\u2028"}]
    for seq, body in enumerate(bodies, 1):
        text = canonical(body)
        for kind, subject in (("chat.mute", "room:demo"), ("job.changed", "job:岗位-1")):
            assert hash_of_text(seq, 1_700_000_000_123, kind, subject, text, GENESIS_HASH) \
                == entry_hash(seq, 1_700_000_000_123, kind, subject, body, GENESIS_HASH)
