"""The moderator: normalise, match, decide (standard 5.1.3 d). Pure: no I/O per message.

First increment: API only, with plain case-folded substring matching. The evasion-
resistant normaliser and role-aware rules replace the internals without changing it.
"""

from __future__ import annotations

from collections.abc import Iterable

from moderation.decision import CATEGORIES, Decision, Match


class Lexicon:
    """Terms per category, global and per organisation."""

    def __init__(self) -> None:
        self.terms: dict[str | None, dict[str, set[str]]] = {None: {c: set() for c in CATEGORIES}}

    def add(self, category: str, terms: Iterable[str], *, org: str | None = None) -> None:
        if category not in CATEGORIES:
            raise ValueError(f"unknown category {category!r}")
        bucket = self.terms.setdefault(org, {c: set() for c in CATEGORIES})
        bucket[category].update(t.casefold() for t in terms if t.strip())


class Moderator:
    """Decides on one message at a time; ``add_terms`` takes effect for the next message."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self._lexicon = lexicon if lexicon is not None else Lexicon()

    def add_terms(self, category: str, terms: Iterable[str], *, org: str | None = None) -> None:
        self._lexicon.add(category, terms, org=org)

    def moderate(self, text: str, *, role: str = "viewer", context: str = "chat", org: str | None = None) -> Decision:
        folded = text.casefold()
        matches: list[Match] = []
        for scope in (None, org) if org is not None else (None,):
            for category, terms in self._lexicon.terms.get(scope, {}).items():
                for term in terms:
                    start = folded.find(term)
                    if start >= 0 and len(folded) == len(text):
                        matches.append(Match(category, start, start + len(term), term))
        if not matches:
            return Decision("allow", (), text, (), "")
        cats = tuple(c for c in CATEGORIES if any(m.category == c for m in matches))
        return Decision("block", cats, text, tuple(matches), "消息包含不允许的内容，未发送。")
