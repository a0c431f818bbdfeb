"""Round 16's shapes in one place, so the shared tables (lexicon.ANCHORS, detectors.BY_GROUP, evidence) take one
import: numbers spread or foreign (:mod:`moderation.dialled`), meetings at night or alone (:mod:`moderation.nightly`),
pay lures (:mod:`moderation.payouts`) and payments with no fee word (:mod:`moderation.buyins`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType

from moderation import buyins, dialled, nightly, payouts

Raw = tuple[str, str, int, int, str]

ANCHORS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {**dialled.ANCHORS, **nightly.ANCHORS, **payouts.ANCHORS, **buyins.ANCHORS}
)
DETECTORS: Mapping[str, Callable[[str], Iterator[Raw]]] = MappingProxyType(
    {**dialled.DETECTORS, **nightly.DETECTORS, **payouts.DETECTORS, **buyins.DETECTORS}
)
DOUBLES: Mapping[str, str] = MappingProxyType({**payouts.DOUBLES, **buyins.DOUBLES})
#: thin evidence (evidence.weak): not dialled's, a number is read in full
LABELS: frozenset[str] = nightly.LABELS | payouts.LABELS | buyins.LABELS
