"""Anchors of the service ledger's head, without I/O (standard 4.4.1 f).

The hash chain shows that an entry was changed or removed, but someone who can write the database could
recompute every hash after the change and leave a chain that verifies. An anchor is the head's sequence
number and hash written somewhere that person cannot also rewrite: a file the server appends to (and a log
line, which log shipping copies off the machine), which operators hand to a third party. ``livehire ledger
verify --anchors FILE`` then checks that the chain still holds each anchored hash at its sequence number: a
rewritten chain fails at the first anchor after the change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from common.errors import Invalid

_HASH: Final = re.compile(r"[0-9a-f]{64}")
#: The anchor file's name in the data dir (the server appends to it; ``livehire ledger anchor`` by default).
ANCHOR_FILE: Final = "ledger-anchors.jsonl"


@dataclass(frozen=True, slots=True)
class Anchor:
    seq: int
    hash: str
    at: int  # when it was taken (ms)

    def line(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash, "at": self.at}, sort_keys=True)


def parse_anchors(lines: Iterable[str]) -> list[Anchor]:
    """JSON lines ``{"seq", "hash", "at"}``; blank lines skipped; anything else names its line."""
    anchors = []
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            found = json.loads(raw)
            anchor = Anchor(int(found["seq"]), str(found["hash"]), int(found["at"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise Invalid("invalid_anchor", f"锚点文件第 {number} 行不是 {{\"seq\", \"hash\", \"at\"}} 格式") from exc
        if anchor.seq < 0 or not _HASH.fullmatch(anchor.hash):
            raise Invalid("invalid_anchor", f"锚点文件第 {number} 行：seq 须不小于 0，hash 须为 64 位十六进制数")
        anchors.append(anchor)
    return anchors


def anchor_problem(anchor: Anchor, stored: str | None, checkpoint_seq: int, checkpoint_hash: str,
                   head_seq: int) -> str | None:
    """Why the chain does not hold ``anchor`` (None: it does). ``stored`` is the hash of the entry at the
    anchor's sequence number (None: no such entry). An anchor before the checkpoint was purged with its
    entries (retention) and is not a problem; at the checkpoint, the checkpoint's hash must match."""
    if anchor.seq > head_seq:
        return f"anchor seq {anchor.seq} is past the head ({head_seq}): entries were removed from the end"
    if anchor.seq < checkpoint_seq:
        return None
    expected = checkpoint_hash if anchor.seq == checkpoint_seq else stored
    if expected is None:
        return f"anchor seq {anchor.seq}: the entry is missing"
    if expected != anchor.hash:
        return f"anchor seq {anchor.seq}: the chain holds {expected[:16]}…, the anchor {anchor.hash[:16]}…"
    return None
