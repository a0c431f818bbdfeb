"""``livehire moderate``: JSON lines (or plain lines) in, one JSON decision per line out.

Contract (ARCHITECTURE.md §2): input ``{"text": ..., "role": ...}`` or a plain text
line; output ``{"action", "categories", "text", "matches"}``. A per-line ``role``
(and ``context``) overrides the flags; a bad line yields ``{"error": ...}`` and the
stream goes on, so one malformed record does not lose the rest of a batch.
"""

from __future__ import annotations

import json
from typing import TextIO

from moderation.engine import CONTEXTS, ROLES, Moderator


def _parse(line: str, role: str, context: str) -> tuple[str, str, str, str | None]:
    """(text, role, context, org) from one input line; raises ValueError when unusable."""
    stripped = line.strip()
    if not stripped.startswith("{"):
        return line.rstrip("\r\n"), role, context, None
    record = json.loads(stripped)
    if not isinstance(record, dict):
        raise ValueError("a JSON line must be an object")
    text = record.get("text")
    if not isinstance(text, str):
        raise ValueError('"text" must be a string')
    line_role = record.get("role", role)
    line_context = record.get("context", context)
    org = record.get("org")
    if line_role not in ROLES:
        raise ValueError(f'"role" must be one of {", ".join(ROLES)}')
    if line_context not in CONTEXTS:
        raise ValueError(f'"context" must be one of {", ".join(CONTEXTS)}')
    if org is not None and not isinstance(org, str):
        raise ValueError('"org" must be a string')
    return text, line_role, line_context, org


def run_moderate(stdin: TextIO, stdout: TextIO, *, role: str, context: str, moderator: Moderator | None = None) -> int:
    """Moderate every line of ``stdin``; returns the exit code (0, or 2 for bad flags)."""
    if role not in ROLES or context not in CONTEXTS:
        stdout.write(json.dumps({"error": f"bad --role {role!r} or --context {context!r}"}, ensure_ascii=False) + "\n")
        return 2
    engine = moderator if moderator is not None else Moderator()
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            text, line_role, line_context, org = _parse(line, role, context)
        except (ValueError, json.JSONDecodeError) as exc:
            out: dict[str, object] = {"error": str(exc), "line": number}
        else:
            out = engine.moderate(text, role=line_role, context=line_context, org=org).to_json()
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0
