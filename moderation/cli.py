"""``livehire moderate``: JSON lines (or plain lines) in, one JSON decision per line out.

Contract (ARCHITECTURE.md §2): input ``{"text": ..., "role": ...}`` or a plain text
line; output ``{"action", "categories", "text", "matches"}`` (with ``explain_decisions``, also
``decided_by`` (rules, model or none), the rules' matches and the model's probability and n-grams). A per-line ``role``
(and ``context``) overrides the flags; a bad line yields ``{"error": ...}`` and the
stream goes on, so one malformed record does not lose the rest of a batch.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from moderation.engine import CONTEXTS, ROLES, Moderator
from moderation.labels import ReviewedMessage, export
from moderation.learned import model_text
from moderation.policy import EMPLOYER_CONTEXTS, EMPLOYER_ROLES


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


def explain(engine: Moderator, text: str, role: str, context: str, org: str | None) -> dict[str, object]:
    """Which stage decided and on what: the rules' matches, or the model's probability and n-grams."""
    decision = engine.moderate(text, role=role, context=context, org=org)
    out = decision.to_json()
    employer = role in EMPLOYER_ROLES or context in EMPLOYER_CONTEXTS
    if decision.matches and decision.matches[0].term == "model":
        out["decided_by"] = "model"
    elif decision.matches:
        out["decided_by"] = "rules"
        out["rules"] = [f"{m.category}: {m.term}" for m in decision.matches]
    else:
        out["decided_by"] = "none"
    if engine.model is not None:
        side = engine.model.side(employer)
        verdict = side.explain(engine.fold(model_text(text)))
        out["model"] = {"side": "employer" if employer else "seeker", "probability": verdict.probability,
                        "threshold": side.threshold, "category": verdict.category,
                        "features": [{"ngram": g, "weight": w} for g, w in verdict.features]}  # fmt: skip
    return out


def run_moderate(
    stdin: TextIO, stdout: TextIO, *, role: str, context: str, moderator: Moderator | None = None,
    explain_decisions: bool = False,
) -> int:
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
            if explain_decisions:
                out = explain(engine, text, line_role, line_context, org)
            else:
                out = engine.moderate(text, role=line_role, context=line_context, org=org).to_json()
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def run_export_labels(rows: Iterable[ReviewedMessage], stdout: TextIO) -> int:
    """``livehire moderate export-labels``: reviewers' decisions as corpus lines (moderation.labels)."""
    for line in export(rows):
        stdout.write(line)
    return 0
