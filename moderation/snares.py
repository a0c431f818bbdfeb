"""Round 16's and round 17's shapes in one place, so the shared tables (lexicon.ANCHORS, detectors.BY_GROUP,
evidence) take one import. Round 16: numbers spread or foreign (:mod:`moderation.dialled`), meetings at night or
alone (:mod:`moderation.nightly`), pay lures (:mod:`moderation.payouts`) and payments with no fee word
(:mod:`moderation.buyins`). Round 17: money for a post by another name (:mod:`moderation.tolls`), contacts spelled
or searched (:mod:`moderation.spelled`) and harassment with no insult word (:mod:`moderation.exposure`). Round 18:
contacts in split characters, dialect or initials (:mod:`moderation.pieces`), watching and doxxing
(:mod:`moderation.stalking`) and fees by red packet, head count, agency package or instalments (:mod:`moderation.levies`). Round 19: a protected ground, as an open class, wanted or refused
(:mod:`moderation.wanted`), and harassment composed of its parts (:mod:`moderation.shaming`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

from moderation import (
    buyins,
    dialled,
    exposure,
    levies,
    nightly,
    payouts,
    pieces,
    shaming,
    spelled,
    stalking,
    tolls,
    wanted,
)

Raw = tuple[str, str, int, int, str]

ANCHORS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    **dialled.ANCHORS, **nightly.ANCHORS, **payouts.ANCHORS, **buyins.ANCHORS,
    **tolls.ANCHORS, **spelled.ANCHORS, **exposure.ANCHORS, **pieces.ANCHORS, **stalking.ANCHORS, **levies.ANCHORS,
    **wanted.ANCHORS, **shaming.ANCHORS,
})  # fmt: skip
DETECTORS: Mapping[str, Callable[[str], Iterator[Raw]]] = MappingProxyType({
    **dialled.DETECTORS, **nightly.DETECTORS, **payouts.DETECTORS, **buyins.DETECTORS,
    **tolls.DETECTORS, **spelled.DETECTORS, **exposure.DETECTORS, **pieces.DETECTORS, **stalking.DETECTORS,
    **levies.DETECTORS, **wanted.DETECTORS, **shaming.DETECTORS,
})  # fmt: skip
DOUBLES: Mapping[str, str] = MappingProxyType({
    **payouts.DOUBLES, **buyins.DOUBLES, **tolls.DOUBLES, **spelled.DOUBLES, **exposure.DOUBLES, **pieces.DOUBLES,
    **stalking.DOUBLES, **levies.DOUBLES, **wanted.DOUBLES, **shaming.DOUBLES,
})  # fmt: skip
#: thin evidence (evidence.weak): not dialled's nor spelled e-mails, an address is read in full
LABELS: frozenset[str] = (
    nightly.LABELS | payouts.LABELS | buyins.LABELS | tolls.LABELS | spelled.LABELS | exposure.LABELS
    | pieces.LABELS | stalking.LABELS | levies.LABELS | wanted.LABELS | shaming.LABELS
)
