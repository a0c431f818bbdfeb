"""Quality bars on the labelled corpus (issues 4 and 14). The corpus is generated from templates
(bench/corpus.py) and split per template; rules were tuned on train and dev only, so the test split
measures generalisation. Bars on train/dev are the tuning goals; the test split bar is lower and
reported by the bench (figures.quality_test_split)."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.corpus import SPLITS, Line, load, render
from moderation.decision import ACTIONS, CATEGORIES
from moderation.engine import CONTEXTS, Moderator

pytestmark = pytest.mark.clause("5.1.3 d")

LINES = load()


def test_corpus_is_large_and_covers_every_category() -> None:
    assert len(LINES) >= 3000
    clean = [x for x in LINES if x.action == "allow"]
    assert len(clean) >= 1000
    per_category = Counter(c for x in LINES for c in x.categories)
    assert all(per_category[c] >= 10 for c in CATEGORIES), per_category
    assert {x.action for x in LINES} == set(ACTIONS)
    assert {x.role for x in LINES} == {"viewer", "host", "recruiter"}
    assert {x.context for x in LINES} == set(CONTEXTS)
    assert len({x.text for x in LINES}) == len(LINES)  # no duplicates padding the count


def test_committed_corpus_is_what_the_builder_makes() -> None:
    from bench.corpus import CORPUS_PATH

    assert CORPUS_PATH.read_text(encoding="utf-8") == render()


def test_every_line_has_provenance_and_a_split() -> None:
    assert all(x.source and x.topic for x in LINES)
    assert {x.split for x in LINES} == set(SPLITS)
    share = Counter(x.split for x in LINES)
    assert 0.5 < share["train"] / len(LINES) < 0.7
    assert share["test"] >= 500


def _caught(moderator: Moderator, line: Line) -> bool:
    decision = moderator.moderate(line.text, role=line.role, context=line.context)
    return decision.action != "allow" and set(line.categories) <= set(decision.categories)


def test_recall_on_violations(moderator: Moderator) -> None:
    violations = [x for x in LINES if x.action != "allow" and x.split != "test"]
    missed = [x.text for x in violations if not _caught(moderator, x)]
    assert 1 - len(missed) / len(violations) >= 0.95, missed


def test_clean_lines_flagged_at_most_2_percent(moderator: Moderator) -> None:
    clean = [x for x in LINES if x.action == "allow" and x.split != "test"]
    flagged = [x.text for x in clean if moderator.moderate(x.text, role=x.role, context=x.context).action != "allow"]
    assert len(flagged) / len(clean) <= 0.02, flagged


def test_actions_match_labels(moderator: Moderator) -> None:
    """Beyond flagged/not flagged: the exact action (mask vs review vs block) per role."""
    wrong = []
    for x in (x for x in LINES if x.source == "legacy-v1"):  # the v1 lines: the model may hold others
        d = moderator.moderate(x.text, role=x.role, context=x.context)
        if (d.action, set(d.categories)) != (x.action, set(x.categories)):
            wrong.append((x.text, x.action, d.action, d.categories))
    assert len(wrong) / sum(1 for x in LINES if x.source == "legacy-v1") <= 0.05, wrong


def test_validation_set_is_separate_labelled_and_sourced() -> None:
    """The validation set replaces the spent dev split: its own file, none of its texts in the corpus."""
    from bench.corpus import load_validation

    validation = load_validation()
    assert len(validation) >= 300
    assert {x.split for x in validation} == {"validation"}
    assert all(x.source and x.topic for x in validation)
    assert not {x.text for x in validation} & {x.text for x in LINES}
    assert len({x.text for x in validation}) == len(validation)
    clean = [x for x in validation if x.action == "allow"]
    assert len(clean) >= 150 and len(validation) - len(clean) >= 100
