"""The result of moderating one message: action, categories and spans in the original text.

Frozen and slotted because a decision travels from the filter to the chat bus, the
review queue and the CLI unchanged (standard 5.1.3 d: every decision is explainable).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, cast

Action = Literal["allow", "mask", "review", "block"]
CATEGORIES: tuple[str, ...] = ("fee", "diversion", "harassment", "discrimination", "pii", "scam")
ACTIONS: tuple[Action, ...] = ("allow", "mask", "review", "block")
MASK_CHAR = "＊"


@dataclass(frozen=True, slots=True)
class Match:
    """One detected span; ``start``/``end`` index into the ORIGINAL text (end exclusive)."""

    category: str
    start: int
    end: int
    term: str

    def to_json(self) -> dict[str, object]:
        return {"category": self.category, "start": self.start, "end": self.end, "term": self.term}


@dataclass(frozen=True, slots=True)
class Decision:
    """What happens to a message and why.

    ``text`` is what others see: the original text, with matched spans replaced by
    ``＊`` when ``action == "mask"``. ``message`` is the Chinese explanation shown to
    the sender only ("" when allowed).
    """

    action: Action
    categories: tuple[str, ...]
    text: str
    matches: tuple[Match, ...]
    message: str

    def to_json(self) -> dict[str, object]:
        return {
            "action": self.action,
            "categories": list(self.categories),
            "text": self.text,
            "matches": [m.to_json() for m in self.matches],
        }


# Slot descriptors, used by build()/allowed() to fill fresh instances directly.
_DECISION_SLOTS = tuple(vars(Decision)[n].__set__ for n in ("action", "categories", "text", "matches", "message"))
_MATCH_SLOTS = tuple(vars(Match)[n].__set__ for n in ("category", "start", "end", "term"))


def _build_py(action: Action, categories: tuple[str, ...], text: str, matches: tuple[Match, ...], message: str) -> Decision:
    decision: Decision = Decision.__new__(Decision)
    set_action, set_categories, set_text, set_matches, set_message = _DECISION_SLOTS
    set_action(decision, action)
    set_categories(decision, categories)
    set_text(decision, text)
    set_matches(decision, matches)
    set_message(decision, message)
    return decision


def _build_match_py(category: str, start: int, end: int, term: str) -> Match:
    match: Match = Match.__new__(Match)
    set_category, set_start, set_end, set_term = _MATCH_SLOTS
    set_category(match, category)
    set_start(match, start)
    set_end(match, end)
    set_term(match, term)
    return match


def _compiled_builders() -> tuple[Callable[..., object], Callable[..., object]] | None:
    """``_fastscan.Record`` makers for both classes (one C call fills all slots), when it is built."""
    try:
        from moderation._fastscan import Record
    except ImportError:
        return None
    return (Record(Decision, ("action", "categories", "text", "matches", "message")).make,
            Record(Match, ("category", "start", "end", "term")).make)  # fmt: skip


_COMPILED = _compiled_builders()
#: The builders themselves (a C method when ``_fastscan`` is built): what compiled callers (the engine) use, so
#: building a decision runs no interpreted frame; :func:`build`, :func:`build_match` and :func:`allowed` wrap them.
make_decision = cast("Callable[[Action, tuple[str, ...], str, tuple[Match, ...], str], Decision]",
                     _COMPILED[0] if _COMPILED is not None else _build_py)  # fmt: skip
make_match = cast("Callable[[str, int, int, str], Match]", _COMPILED[1] if _COMPILED is not None else _build_match_py)


def build(action: Action, categories: tuple[str, ...], text: str, matches: tuple[Match, ...], message: str) -> Decision:
    """Same as ``Decision(...)`` at a fraction of the cost of the frozen ``__init__``.

    Filling the slots of an object nobody else can see yet is safe; the filter builds
    one decision per chat message, so this is on the hot path (``_fastscan.Record`` in C
    when it is built, else the slot descriptors).
    """
    return make_decision(action, categories, text, matches, message)


def build_match(category: str, start: int, end: int, term: str) -> Match:
    """Same as ``Match(...)``, cheaper (see :func:`build`)."""
    return make_match(category, start, end, term)


def allowed(text: str) -> Decision:
    """The decision for nearly every chat message: ``Decision("allow", (), text, (), "")``."""
    return make_decision("allow", (), text, (), "")
