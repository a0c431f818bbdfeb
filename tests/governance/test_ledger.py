"""The service ledger (standard 4.4.1 f): hash chain, tamper evidence, retention, one chain for many writers.

Store tests run on SQLite and PostgreSQL (``store_url``).
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from common.clock import ManualClock
from common.errors import Conflict, Invalid
from governance.ledger import (
    GENESIS_HASH,
    MemoryLedger,
    canonical,
    entry_hash,
    pseudonym,
    pseudonym_key,
    retention_cutoff,
    verify_entries,
)
from governance.ledger_sql import StoreLedger
from livehire.cli import main
from store.engine import open_store
from store.governance_tables import ledger_entries

pytestmark = pytest.mark.clause("4.4.1 f")

YEAR_S = 365 * 24 * 3600


# ---- the rules without I/O ---------------------------------------------------------------------


def test_hash_is_sha256_over_the_canonical_json() -> None:
    import hashlib

    document = {"seq": 1, "time": 5, "kind": "k.x", "subject": "org:a", "body": {"b": 1, "a": "中"},
                "prev_hash": GENESIS_HASH}
    text = '{"body":{"a":"中","b":1},"kind":"k.x","prev_hash":"' + GENESIS_HASH + '","seq":1,"subject":"org:a","time":5}'
    assert canonical(document) == text
    assert entry_hash(1, 5, "k.x", "org:a", {"b": 1, "a": "中"}, GENESIS_HASH) == hashlib.sha256(text.encode()).hexdigest()


async def test_memory_ledger_chains_and_detects_a_changed_entry() -> None:
    clock = ManualClock()
    ledger = MemoryLedger(clock)
    for n in range(3):
        await ledger.append("complaint.filed", f"complaint:c-{n}", {"n": n})
        clock.advance(1)
    assert ledger.verify().ok and ledger.verify().count == 3
    assert ledger.entries[1].prev_hash == ledger.entries[0].hash
    changed = list(ledger.entries)
    from dataclasses import replace

    changed[1] = replace(changed[1], body={"n": 99})
    result = verify_entries(changed, 3, ledger.entries[-1].hash)
    assert not result.ok and result.bad_seq == 2
    gap = verify_entries([ledger.entries[0], ledger.entries[2]], 3, ledger.entries[-1].hash)
    assert gap.bad_seq == 2 and "missing" in (gap.problem or "")


async def test_bad_kinds_subjects_and_bodies_are_refused() -> None:
    ledger = MemoryLedger()
    with pytest.raises(Invalid):
        await ledger.append("Bad Kind", "org:a", {})
    with pytest.raises(Invalid):
        await ledger.append("org.x", "no subject", {})
    with pytest.raises(Invalid):
        await ledger.append("org.x", "org:a", {"x": float("nan")})
    with pytest.raises(Invalid):
        await ledger.append("org.x", "org:a", {"x": "a" * 20_000})


def test_pseudonyms_are_stable_keyed_and_name_nobody() -> None:
    key = pseudonym_key("s" * 40)
    assert pseudonym(key, "user", "u-1") == pseudonym(key, "user", "u-1")
    assert pseudonym(key, "user", "u-1") != pseudonym(key, "user", "u-2")
    assert pseudonym(pseudonym_key("t" * 40), "user", "u-1") != pseudonym(key, "user", "u-1")
    assert "u-1" not in pseudonym(key, "user", "u-1")


def test_retention_cutoff_is_calendar_years() -> None:
    leap = 1_709_208_000_000  # 2024-02-29T12:00:00Z
    assert retention_cutoff(leap, 3) == 1_614_513_600_000  # 2021-02-28T12:00:00Z


# ---- the store ---------------------------------------------------------------------------------


async def test_append_verify_and_continue_after_reopening(store_url: str) -> None:
    store = await open_store(store_url)
    try:
        ledger = StoreLedger(store)
        first = await ledger.append("org.approved", "org:acme", {"by": "p-1"})
        second = await ledger.append("complaint.filed", "complaint:c-1", {"target_type": "job"})
        assert (first.seq, second.seq) == (1, 2) and second.prev_hash == first.hash
        assert first.prev_hash == GENESIS_HASH
        result = await ledger.verify()
        assert result.ok and result.count == 2 and result.head_hash == second.hash
    finally:
        await store.close()
    store = await open_store(store_url)  # a restart: the chain goes on from the head
    try:
        ledger = StoreLedger(store)
        third = await ledger.append("complaint.closed", "complaint:c-1", {})
        assert third.seq == 3 and third.prev_hash == second.hash
        assert (await ledger.verify()).count == 3
    finally:
        await store.close()


async def _three(store_url: str) -> StoreLedger:
    store = await open_store(store_url)
    ledger = StoreLedger(store)
    for n in range(3):
        await ledger.append("complaint.filed", f"complaint:c-{n}", {"n": n})
    return ledger


async def test_a_changed_row_fails_verification_naming_it(store_url: str) -> None:
    ledger = await _three(store_url)
    store = ledger._store
    try:
        async with store.engine.begin() as connection:
            await connection.execute(update(ledger_entries).where(ledger_entries.c.seq == 2)
                                     .values(body=json.dumps({"n": 7})))
        result = await ledger.verify()
        assert not result.ok and result.bad_seq == 2 and "entry 2" in (result.problem or "")
        async with store.engine.begin() as connection:  # a forger who also rewrites the hash breaks the next link
            await connection.execute(update(ledger_entries).where(ledger_entries.c.seq == 2).values(
                hash=entry_hash(2, 0, "x.y", "org:a", {}, GENESIS_HASH)))
        assert (await ledger.verify()).bad_seq == 2
    finally:
        await store.close()


async def test_a_deleted_row_fails_verification_naming_it(store_url: str) -> None:
    ledger = await _three(store_url)
    store = ledger._store
    try:
        async with store.engine.begin() as connection:
            await connection.execute(delete(ledger_entries).where(ledger_entries.c.seq == 2))
        result = await ledger.verify()
        assert result.bad_seq == 2 and "entry 2 is missing" in (result.problem or "")
        async with store.engine.begin() as connection:  # the newest one too: the head still names it
            await connection.execute(delete(ledger_entries).where(ledger_entries.c.seq >= 2))
        result = await ledger.verify()
        assert result.bad_seq == 2 and "head" in (result.problem or "")
    finally:
        await store.close()


async def test_purge_is_refused_inside_the_retention_and_keeps_the_chain(store_url: str) -> None:
    clock = ManualClock(1_700_000_000.0)
    store = await open_store(store_url)
    try:
        ledger = StoreLedger(store, clock=clock)
        old = [await ledger.append("org.approved", f"org:o{n}", {"n": n}) for n in range(3)]
        clock.advance(YEAR_S)
        young = await ledger.append("org.approved", "org:young", {})
        with pytest.raises(Conflict) as refused:  # standard 4.4.1 f: at least 3 years
            await ledger.purge(young.at)
        assert refused.value.code == "ledger_retention"
        clock.advance(2 * YEAR_S + 2 * 24 * 3600)  # now the three old entries are past 3 years, the young one not
        with pytest.raises(Conflict):
            await ledger.purge(young.at + 1)
        assert await ledger.purge(old[-1].at + 1) == 3
        assert await ledger.purge(old[-1].at + 1) == 0
        result = await ledger.verify()
        assert result.ok and result.count == 2 and result.first_seq == 4  # the young entry and the purge's own
        after = await ledger.append("org.approved", "org:after", {})
        assert after.seq == 6 and (await ledger.verify()).count == 3
        exported = [(entry.seq, entry.kind) async for entry in ledger.export(young.at, after.at + 1)]
        assert exported == [(4, "org.approved"), (5, "ledger.purged"), (6, "org.approved")]
    finally:
        await store.close()


async def test_concurrent_appends_from_two_stores_make_one_chain(store_url: str) -> None:
    """Two engines stand for two server processes (standard 4.4.1 f: complete)."""
    one, two = await open_store(store_url), await open_store(store_url)
    try:
        a, b = StoreLedger(one), StoreLedger(two)
        appends = [ledger.append("moderation.action", f"room:r{n}", {"n": n})
                   for n in range(20) for ledger in (a, b)]
        entries = await asyncio.gather(*appends)
        assert sorted(e.seq for e in entries) == list(range(1, 41))
        result = await a.verify()
        assert result.ok and result.count == 40
    finally:
        await one.close()
        await two.close()


# ---- the CLI -----------------------------------------------------------------------------------


async def test_cli_verify_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    url = f"sqlite:///{data / 'livehire.db'}"
    data.mkdir(mode=0o700)
    store = await open_store(url)
    try:
        ledger = StoreLedger(store)
        entries = [await ledger.append("complaint.filed", f"complaint:c-{n}", {"n": n}) for n in range(3)]
    finally:
        await store.close()
    assert await asyncio.to_thread(main, ["ledger", "verify", "--data-dir", str(data)]) == 0
    assert "3 entries" in capsys.readouterr().out
    code = await asyncio.to_thread(main, ["ledger", "export", "--data-dir", str(data),
                                          "--from", "2000-01-01", "--to", "2100-01-01T00:00:00+08:00"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0 and [line["hash"] for line in lines] == [e.hash for e in entries]
    assert await asyncio.to_thread(main, ["ledger", "purge", "--data-dir", str(data), "--before", "2100-01-01"]) == 1
    assert "ledger_retention" in capsys.readouterr().err
    store = await open_store(url)
    try:
        async with store.engine.begin() as connection:
            await connection.execute(update(ledger_entries).where(ledger_entries.c.seq == 2).values(kind="x.forged"))
    finally:
        await store.close()
    assert await asyncio.to_thread(main, ["ledger", "verify", "--database-url", url]) == 1
    assert "entry 2" in capsys.readouterr().out


@pytest.mark.postgres
async def test_cli_verify_on_postgresql(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    from tests import services

    url = await services.create_scratch_database(postgres_url)
    try:
        store = await open_store(url)
        try:
            await StoreLedger(store).append("org.approved", "org:acme", {})
        finally:
            await store.close()
        assert await asyncio.to_thread(main, ["ledger", "verify", "--database-url", url, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["entries"] == 1
    finally:
        await services.drop_scratch_database(postgres_url, url)
