"""Which cleared hits keep the learned stage off (round 11).

The rules' answer is final when they read a term and cleared it ("不用加微信": the model's n-grams would see the
term, not the negation). That is right for a term read in full, wrong for thin evidence: a term matched in
pinyin or initials (a Latin letter in its span: yajin, 押jin, tjf — round 10's generated variants cost the
adversarial set a line this way), a ground paired with a refusal of something else (moderation/grounds.py) and
round 12's family shapes (moderation/families.py: a paid task cleared as a seeker's report of an 广告) and round
14's (moderation/harms.py, lures.py).
When the rules clear only such hits, the message goes to the model as if they had read nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from moderation.baits import LABELS as BAIT_LABELS
from moderation.charges import LABELS as CHARGE_LABELS
from moderation.families import LABELS
from moderation.grounds import LABEL
from moderation.harms import LABELS as HARM_LABELS
from moderation.lures import LABELS as LURE_LABELS
from moderation.menace import LABELS as MENACE_LABELS
from moderation.offsite import LABELS as OFFSITE_LABELS
from moderation.policy import Hit
from moderation.snares import LABELS as ROUND16_LABELS

_LATIN: Final = re.compile("[a-z]")
# round 15 (charges, offsite, baits, menace) and round 16 (moderation/snares.py)
_ROUND15: Final = CHARGE_LABELS | OFFSITE_LABELS | BAIT_LABELS | MENACE_LABELS | ROUND16_LABELS


def weak(hits: Sequence[Hit], folded: str) -> bool:
    """Every hit is thin evidence: a ground+refusal pair, a family shape, or a Latin letter in its span (not an e-mail's)."""
    for h in hits:
        if h.term == LABEL or h.term in LABELS or h.term in HARM_LABELS or h.term in LURE_LABELS or h.term in _ROUND15:
            continue
        if h.original or _LATIN.search(folded, h.start, h.end) is None:
            return False
    return True
