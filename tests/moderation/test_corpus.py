"""Quality bar on the labelled corpus (issue 4): recall ≥ 95 % on violations, ≤ 2 % of
clean lines flagged. The corpus was written from real 直播带岗 chat before tuning."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.corpus import Line, load
from moderation.decision import ACTIONS, CATEGORIES
from moderation.engine import Moderator

pytestmark = pytest.mark.clause("5.1.3 d")

LINES = load()


def test_corpus_is_large_and_covers_every_category() -> None:
    assert len(LINES) >= 300
    clean = [x for x in LINES if x.action == "allow"]
    assert len(clean) >= 150
    per_category = Counter(c for x in LINES for c in x.categories)
    assert all(per_category[c] >= 10 for c in CATEGORIES), per_category
    assert {x.action for x in LINES} == set(ACTIONS)
    assert {x.role for x in LINES} == {"viewer", "host", "recruiter"}
    assert {x.context for x in LINES} == {"chat", "job"}
    assert len({x.text for x in LINES}) == len(LINES)  # no duplicates padding the count


def _caught(moderator: Moderator, line: Line) -> bool:
    decision = moderator.moderate(line.text, role=line.role, context=line.context)
    return decision.action != "allow" and set(line.categories) <= set(decision.categories)


def test_recall_on_violations(moderator: Moderator) -> None:
    violations = [x for x in LINES if x.action != "allow"]
    missed = [x.text for x in violations if not _caught(moderator, x)]
    assert 1 - len(missed) / len(violations) >= 0.95, missed


def test_clean_lines_flagged_at_most_2_percent(moderator: Moderator) -> None:
    clean = [x for x in LINES if x.action == "allow"]
    flagged = [x.text for x in clean if moderator.moderate(x.text, role=x.role, context=x.context).action != "allow"]
    assert len(flagged) / len(clean) <= 0.02, flagged


def test_actions_match_labels(moderator: Moderator) -> None:
    """Beyond flagged/not flagged: the exact action (mask vs review vs block) per role."""
    wrong = []
    for x in LINES:
        d = moderator.moderate(x.text, role=x.role, context=x.context)
        if (d.action, set(d.categories)) != (x.action, set(x.categories)):
            wrong.append((x.text, x.action, d.action, d.categories))
    assert len(wrong) / len(LINES) <= 0.05, wrong
