"""The service ledger's rules, without I/O (standard 4.4.1 f; 人力资源市场暂行条例 §33).

Theory of operation. Every fact the platform must be able to show later (a complaint's outcome, a review
decision, ...) is one *entry*: ``seq`` (1, 2, 3... without gaps), ``time`` (ms since the epoch, UTC), a
``kind``, a ``subject`` (``complaint:c-1``, ``org:acme``) and a ``body`` of non-personal facts: people appear
only as :func:`pseudonym` (a keyed hash, so the ledger names nobody but can tell one person's entries apart).
Each entry carries the hash of the one before (``prev_hash``) and its own ``hash``: sha256 over the
canonical JSON (sorted keys, no spaces) of ``seq, time, kind, subject, body, prev_hash``. Changing any field
of any entry changes its hash; removing one leaves a gap in ``seq``; removing the newest ones disagrees with
the head (the last ``seq`` and ``hash``, kept apart from the entries). :class:`ChainCheck` walks a chain
and names the first entry that does not verify.

A purge (past the retention, default 3 years) removes the oldest entries and keeps the last removed
entry's seq and hash as the *checkpoint*, where verification then starts.

Ports: :class:`Ledger` is what other layers report into (through :mod:`governance.feeds`); :class:`MemoryLedger`
serves unit tests, :class:`governance.ledger_sql.StoreLedger` the server.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Protocol

from common.clock import Clock, now_ms
from common.errors import Invalid

GENESIS_HASH: Final = "0" * 64
MAX_BODY_CHARS: Final = 16_000
KIND: Final = re.compile(r"[a-z][a-z0-9_.]{1,63}")
SUBJECT: Final = re.compile(r"[a-z][a-z_]{1,31}:[^\s]{1,127}")


def canonical(value: Any) -> str:
    """The one encoding that is hashed: sorted keys, no spaces, UTF-8 text as is, no NaN."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(seq: int, at: int, kind: str, subject: str, body: Any, prev_hash: str) -> str:
    document = {"seq": seq, "time": at, "kind": kind, "subject": subject, "body": body, "prev_hash": prev_hash}
    return hashlib.sha256(canonical(document).encode()).hexdigest()


def hash_of_text(seq: int, at: int, kind: str, subject: str, body_text: str, prev_hash: str) -> str:
    """:func:`entry_hash` from the body's canonical text, without encoding the body again: the document's
    canonical JSON spelled out in its sorted key order (body, kind, prev_hash, seq, subject, time)."""
    document = (f'{{"body":{body_text},"kind":{canonical(kind)},"prev_hash":{canonical(prev_hash)},"seq":{seq},'
                f'"subject":{canonical(subject)},"time":{at}}}')
    return hashlib.sha256(document.encode()).hexdigest()


def checked_body(kind: str, subject: str, body: Mapping[str, Any]) -> str:
    """The body's canonical JSON, once ``kind``, ``subject`` and ``body`` are known to be well formed."""
    if not KIND.fullmatch(kind):
        raise Invalid("invalid_ledger_kind", f"台账条目类型不合法：{kind!r}")
    if not SUBJECT.fullmatch(subject):
        raise Invalid("invalid_ledger_subject", f"台账条目对象不合法：{subject!r}")
    try:
        text = canonical(dict(body))
    except (TypeError, ValueError) as exc:
        raise Invalid("invalid_ledger_body", f"台账条目内容须为 JSON 对象：{exc}") from exc
    if len(text) > MAX_BODY_CHARS:
        raise Invalid("invalid_ledger_body", f"台账条目内容超过 {MAX_BODY_CHARS} 个字符")
    return text


def pseudonym_key(secret: str) -> bytes:
    """The key of :func:`pseudonym`, derived from the deployment secret (rotating it starts new pseudonyms)."""
    return hashlib.sha256(b"livehire ledger pseudonyms v1\x00" + secret.encode()).digest()


def pseudonym(key: bytes, kind: str, value: str) -> str:
    """A stable stand-in for a person's id (``p-`` and 24 hex digits): the ledger keeps no personal data."""
    return "p-" + hmac.digest(key, f"{kind}:{value}".encode(), "sha256").hex()[:24]  # one-shot: no HMAC object


def iso(at_ms: int) -> str:
    return datetime.fromtimestamp(at_ms / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def retention_cutoff(now: int, years: int) -> int:
    """The time (ms) before which entries are older than ``years`` calendar years (29 Feb → 28 Feb)."""
    moment = datetime.fromtimestamp(now / 1000, tz=UTC)
    try:
        earlier = moment.replace(year=moment.year - years)
    except ValueError:
        earlier = moment.replace(year=moment.year - years, day=28)
    return int(earlier.timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class Entry:
    seq: int
    at: int
    kind: str
    subject: str
    body: dict[str, Any]
    prev_hash: str
    hash: str

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "time": self.at, "at": iso(self.at), "kind": self.kind, "subject": self.subject,
                "body": self.body, "prev_hash": self.prev_hash, "hash": self.hash}


def make_entry(seq: int, at: int, kind: str, subject: str, body_text: str, prev_hash: str,
               body: dict[str, Any] | None = None) -> Entry:
    """``body_text`` is :func:`checked_body`'s; ``body`` its object when the caller holds it (not parsed again)."""
    body = json.loads(body_text) if body is None else body
    return Entry(seq, at, kind, subject, body, prev_hash, hash_of_text(seq, at, kind, subject, body_text, prev_hash))


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of a walk over the chain: ``problem`` names the first entry that does not verify."""

    count: int
    first_seq: int | None
    last_seq: int | None
    head_hash: str
    problem: str | None = None
    bad_seq: int | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass
class ChainCheck:
    """Feed the stored rows in ``seq`` order, then :meth:`finish` with the head; sans-I/O, streaming."""

    checkpoint_seq: int = 0
    checkpoint_hash: str = GENESIS_HASH
    count: int = 0
    first_seq: int | None = None
    _seq: int = field(init=False)
    _hash: str = field(init=False)
    problem: str | None = field(default=None, init=False)
    bad_seq: int | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._seq, self._hash = self.checkpoint_seq, self.checkpoint_hash

    def feed(self, seq: int, at: int, kind: str, subject: str, body_text: str, prev_hash: str, stored: str) -> bool:
        """False once a problem is found (the caller may stop reading)."""
        if self.problem is not None:
            return False
        if seq != self._seq + 1:
            return self._fail(self._seq + 1, f"entry {self._seq + 1} is missing (the next stored entry is {seq})")
        try:
            body = json.loads(body_text)
        except ValueError:
            return self._fail(seq, f"entry {seq}: its body is not JSON")
        if prev_hash != self._hash:
            return self._fail(seq, f"entry {seq}: prev_hash does not match the hash of entry {seq - 1}")
        if entry_hash(seq, at, kind, subject, body, prev_hash) != stored:
            return self._fail(seq, f"entry {seq}: its hash does not match its content (changed after writing)")
        self._seq, self._hash = seq, stored
        self.count += 1
        if self.first_seq is None:
            self.first_seq = seq
        return True

    def finish(self, head_seq: int, head_hash: str) -> Verification:
        if self.problem is None:
            if head_seq > self._seq:
                self._fail(self._seq + 1, f"entry {self._seq + 1} is missing (the head names entry {head_seq})")
            elif head_seq < self._seq or head_hash != self._hash:
                self._fail(self._seq, f"entry {self._seq}: does not match the ledger head (seq {head_seq})")
        last = self._seq if self.count else None
        return Verification(self.count, self.first_seq, last, head_hash, self.problem, self.bad_seq)

    def _fail(self, seq: int, problem: str) -> bool:
        self.problem, self.bad_seq = problem, seq
        return False


class Ledger(Protocol):
    """Where a layer reports a fact for the service ledger (4.4.1 f); bodies hold no personal data."""

    async def append(self, kind: str, subject: str, body: Mapping[str, Any]) -> Entry: ...


class MemoryLedger:
    """The ledger in a list, for unit tests of the layers that report into it."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock
        self.entries: list[Entry] = []

    async def append(self, kind: str, subject: str, body: Mapping[str, Any]) -> Entry:
        text = checked_body(kind, subject, body)
        prev = self.entries[-1].hash if self.entries else GENESIS_HASH
        entry = make_entry(len(self.entries) + 1, now_ms(self._clock), kind, subject, text, prev)
        self.entries.append(entry)
        return entry

    async def append_all(self, items: Sequence[tuple[str, str, Mapping[str, Any]]]) -> list[Entry]:
        return [await self.append(kind, subject, body) for kind, subject, body in items]

    async def append_with(self, connection: object, kind: str, subject: str, body: Mapping[str, Any]) -> Entry:
        """A list has no transactions: the same as :meth:`append`."""
        return await self.append(kind, subject, body)

    def verify(self) -> Verification:
        return verify_entries(self.entries, len(self.entries), self.entries[-1].hash if self.entries else GENESIS_HASH)


def verify_entries(entries: Iterable[Entry], head_seq: int, head_hash: str) -> Verification:
    check = ChainCheck()
    for e in entries:
        if not check.feed(e.seq, e.at, e.kind, e.subject, canonical(e.body), e.prev_hash, e.hash):
            break
    return check.finish(head_seq, head_hash)
