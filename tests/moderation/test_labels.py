"""Reviewers' decisions become corpus lines; ``--explain`` says which stage decided (issue 14)."""

from __future__ import annotations

import io
import json

import pytest

from bench.corpus import Line
from moderation.cli import run_export_labels, run_moderate
from moderation.engine import Moderator
from moderation.labels import ReviewedMessage, corpus_line, export

pytestmark = pytest.mark.clause("5.1.3 d")


def _parse(line: str) -> Line:
    role, context, action, cats, text, source, topic, split = line.rstrip("\n").split("\t")
    return Line(role, context, action, () if cats == "-" else tuple(cats.split(",")), text, source, topic, split)


def test_rejected_and_approved_decisions_become_labelled_lines() -> None:
    rejected = _parse(corpus_line(ReviewedMessage("先转两百占个名额", "host", "chat", False, "fee")))
    assert (rejected.action, rejected.categories, rejected.source) == ("block", ("fee",), "reviewer-decision")
    approved = _parse(corpus_line(ReviewedMessage("押金？我们没有押金", "host", "chat", True)))
    assert (approved.action, approved.categories) == ("allow", ())
    phone = _parse(corpus_line(ReviewedMessage("我电话13812345678", "viewer", "chat", False, "pii")))
    assert phone.action == "mask"
    assert {rejected.split, approved.split} <= {"train", "dev", "test"}


def test_a_rejection_needs_a_known_category_and_tabs_never_break_a_line() -> None:
    with pytest.raises(ValueError):
        corpus_line(ReviewedMessage("x", "host", "chat", False, None))
    line = corpus_line(ReviewedMessage("a\tb\nc", "viewer", "chat", True))
    assert line.count("\t") == 7 and "\n" not in line


def test_export_keeps_the_latest_decision_per_text() -> None:
    rows = [ReviewedMessage("加我vx abc12345", "viewer", "chat", True),
            ReviewedMessage("加我vx abc12345", "viewer", "chat", False, "diversion")]  # fmt: skip
    (line,) = list(export(rows))
    assert _parse(line).categories == ("diversion",)
    out = io.StringIO()
    assert run_export_labels(rows, out) == 0 and out.getvalue() == line


def test_explain_names_the_rule_or_the_model(moderator: Moderator) -> None:
    out = io.StringIO()
    lines = '{"text": "入职先交两百押金", "role": "host"}\n{"text": "几点上班", "role": "viewer"}\n'
    run_moderate(io.StringIO(lines), out, role="viewer", context="chat", moderator=moderator, explain_decisions=True)
    fee, clean = (json.loads(x) for x in out.getvalue().splitlines())
    assert fee["decided_by"] == "rules" and any(r.startswith("fee:") for r in fee["rules"])
    assert clean["decided_by"] == "none" and clean["model"]["side"] == "seeker"
    assert 0 <= clean["model"]["probability"] < clean["model"]["threshold"]
