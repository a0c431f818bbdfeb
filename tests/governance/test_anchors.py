"""Anchors of the ledger head (standard 4.4.1 f): a chain rewritten by someone with database access verifies
on its own but not against an anchor taken before the rewrite. Store tests on SQLite and PostgreSQL; the
operator's commands; the server's periodic anchor."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from common.errors import Invalid
from governance.anchors import ANCHOR_FILE, Anchor, anchor_problem, parse_anchors
from governance.keys import GOVERNANCE
from governance.ledger import canonical, hash_of_text
from governance.ledger_sql import StoreLedger
from livehire import keys
from livehire.cli import main
from store.engine import Store, open_store
from store.governance_tables import ledger_entries, ledger_head

pytestmark = pytest.mark.clause("4.4.1 f")

H = "ab" * 32


def test_anchor_lines_and_problems() -> None:
    anchor = Anchor(7, H, 1_700_000_000_000)
    assert parse_anchors(["", anchor.line(), "  "]) == [anchor]
    for bad in ('{"seq": 1}', "not json", json.dumps({"seq": -1, "hash": H, "at": 1}),
                json.dumps({"seq": 1, "hash": "xyz", "at": 1})):
        with pytest.raises(Invalid) as refused:
            parse_anchors([anchor.line(), bad])
        assert "第 2 行" in refused.value.message
    assert anchor_problem(anchor, H, 0, "0" * 64, 9) is None
    assert anchor_problem(anchor, "cd" * 32, 0, "0" * 64, 9) is not None
    assert anchor_problem(anchor, None, 0, "0" * 64, 9) == "anchor seq 7: the entry is missing"
    assert "past the head" in str(anchor_problem(anchor, None, 0, "0" * 64, 5))
    assert anchor_problem(anchor, None, 9, "0" * 64, 12) is None  # purged with its entries
    assert anchor_problem(anchor, None, 7, H, 12) is None  # the checkpoint holds it
    assert anchor_problem(anchor, None, 7, "cd" * 32, 12) is not None


async def _rewrite_from(store: Store, seq: int, body: dict[str, Any]) -> None:
    """What someone with write access to the database could do: change entry ``seq`` and recompute every
    hash after it, and the head, so that the chain alone still verifies."""
    async with store.engine.begin() as connection:
        rows = (await connection.execute(select(ledger_entries).where(ledger_entries.c.seq >= seq)
                                         .order_by(ledger_entries.c.seq))).all()
        prev = (await connection.execute(select(ledger_entries.c.hash).where(ledger_entries.c.seq == seq - 1))).scalar()
        prev = prev or "0" * 64
        for row in rows:
            text = canonical(body) if row.seq == seq else row.body
            digest = hash_of_text(row.seq, row.at, row.kind, row.subject, text, prev)
            await connection.execute(update(ledger_entries).where(ledger_entries.c.seq == row.seq).values(
                body=text, prev_hash=prev, hash=digest))
            prev = digest
        await connection.execute(update(ledger_head).where(ledger_head.c.id == 1).values(hash=prev))


async def test_a_rewritten_chain_verifies_alone_but_not_against_its_anchor(store_url: str, tmp_path: Path) -> None:
    store = await open_store(store_url)
    try:
        ledger = StoreLedger(store)
        for i in range(5):
            await ledger.append("job.published", f"job:j{i}", {"n": i})
        anchors = tmp_path / "anchors.jsonl"
        assert await asyncio.to_thread(main, ["ledger", "anchor", "--to", str(anchors), "--database-url", store_url]) == 0
        taken = parse_anchors(anchors.read_text(encoding="utf-8").splitlines())
        assert [a.seq for a in taken] == [5]
        await ledger.append("job.published", "job:j5", {"n": 5})
        assert await ledger.check_anchors(taken) == []
        verify = ["ledger", "verify", "--anchors", str(anchors), "--database-url", store_url]
        assert await asyncio.to_thread(main, verify) == 0

        await _rewrite_from(store, 3, {"n": 300})
        assert (await ledger.verify()).ok  # the chain alone cannot tell
        problems = await ledger.check_anchors(taken)
        assert len(problems) == 1 and problems[0].startswith("anchor seq 5")
        assert await asyncio.to_thread(main, verify) == 1
        anchors.write_text("garbage\n", encoding="utf-8")
        assert await asyncio.to_thread(main, verify) == 2
    finally:
        await store.close()


async def test_the_server_appends_an_anchor_to_its_data_dir_and_logs_it(client: Any,
                                                                          caplog: pytest.LogCaptureFixture) -> None:
    app = client.server.app
    governance = app[GOVERNANCE]
    await governance.ledger.append("job.published", "job:x", {"n": 1})
    with caplog.at_level("INFO", logger="livehire.governance"):
        first = await governance.write_anchor()
        second = await governance.write_anchor()
    path = app[keys.SETTINGS].data_dir / ANCHOR_FILE
    assert parse_anchors(path.read_text(encoding="utf-8").splitlines()) == [first, second]
    assert first.seq >= 1 and await governance.ledger.check_anchors([first, second]) == []
    assert any(getattr(record, "hash", None) == first.hash for record in caplog.records)
