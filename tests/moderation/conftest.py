"""One shipped-lexicon Moderator per test module: building it folds ~130k code points."""

from __future__ import annotations

from types import ModuleType

import pytest

from moderation import lexicon, snares
from moderation.engine import Moderator


@pytest.fixture(scope="module")
def moderator() -> Moderator:
    return Moderator()


def check_caught(role: str, context: str, text: str, action: str, categories: tuple[str, ...]) -> None:
    """The rules alone (learned stage off) give ``action`` and at least ``categories``: a mechanism is the rules'."""
    d = Moderator(learned=False).moderate(text, role=role, context=context)
    assert d.action == action and set(categories) <= set(d.categories), (text, d.to_json())


def check_pair(moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str,
               *, rules_alone: bool = False) -> None:  # fmt: skip
    """A clean line passes and the violation beside it is flagged in its category (review or block); with
    ``rules_alone`` the rules must flag it without the learned stage (which may hold such lines on its own)."""
    ok = moderator.moderate(clean, role=role, context=context)
    assert ok.action == "allow", (clean, ok.to_json())
    bad = moderator.moderate(violation, role=role, context=context)
    assert bad.action in ("review", "block") and category in bad.categories, (violation, bad.to_json())
    if rules_alone:
        rules = Moderator(moderator.lexicon, learned=False).moderate(violation, role=role, context=context)
        assert category in rules.categories, (violation, rules.to_json())


def check_own_groups(*modules: ModuleType) -> None:
    """A round's anchor groups are named once and replace no other group in the merged tables (a group name reused
    silently replaces the other group's detector)."""
    mine = [g for m in modules for g in m.ANCHORS]
    others = [g for g in snares.ANCHORS if g not in mine]
    assert len(mine) == len(set(mine)) and not set(mine) & set(others)
    assert all(lexicon.ANCHORS[g] is snares.ANCHORS[g] for g in mine)


def check_allowed(moderator: Moderator, role: str, context: str, text: str) -> None:
    """The whole filter (rules and learned stage) lets a clean line through."""
    decision = moderator.moderate(text, role=role, context=context)
    assert decision.action == "allow", (text, decision.to_json())
