"""Whether a fee is demanded: a demand word or an amount right beside it, within its clause.

Moved out of ``policy`` in round 18 (speed) so that ``Context.fee_demanded`` could keep one answer per hit
(``fee_negated`` and ``_fee`` both ask for most fee hits) without ``policy.py`` outgrowing its size.
"""

from __future__ import annotations

from typing import Final

from moderation.alternation import compile_words
from moderation.wording import FEE_DEMAND

DEMAND_BEFORE, DEMAND_AFTER = 6, 8
_FEE_DEMAND_RE: Final = compile_words(FEE_DEMAND)  # plain words: a match lies wholly inside the window it is searched in


def demanded_near(text: str, start: int, end: int, clause_start: int, clause_end: int) -> bool:
    """A demand word or an amount near the fee ``text[start:end]`` in its clause: within DEMAND_BEFORE characters
    before it or DEMAND_AFTER after ("先交300体检费", "押金200"), not anywhere ("顺丰中转场…工牌费全免": 转).
    The two windows are searched in place (no slices joined by a separator, as up to round 17)."""
    before = _FEE_DEMAND_RE.search(text, max(clause_start, start - DEMAND_BEFORE), start)
    return before is not None or _FEE_DEMAND_RE.search(text, end, min(clause_end, end + DEMAND_AFTER)) is not None
