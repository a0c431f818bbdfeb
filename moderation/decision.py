"""The result of moderating one message: action, categories and spans in the original text.

Frozen and slotted because a decision travels from the filter to the chat bus, the
review queue and the CLI unchanged (standard 5.1.3 d: every decision is explainable).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Action = Literal["allow", "mask", "review", "block"]
CATEGORIES: tuple[str, ...] = ("fee", "diversion", "harassment", "discrimination", "pii")
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
