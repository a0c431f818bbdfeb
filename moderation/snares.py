"""Round 16's and round 17's shapes in one place, so the shared tables (lexicon.ANCHORS, detectors.BY_GROUP,
evidence) take one import. Round 16: numbers spread or foreign (:mod:`moderation.dialled`), meetings at night or
alone (:mod:`moderation.nightly`), pay lures (:mod:`moderation.payouts`) and payments with no fee word
(:mod:`moderation.buyins`). Round 17: money for a post by another name (:mod:`moderation.tolls`), contacts spelled
or searched (:mod:`moderation.spelled`) and harassment with no insult word (:mod:`moderation.exposure`). Round 18:
contacts in split characters, dialect or initials (:mod:`moderation.pieces`), watching and doxxing
(:mod:`moderation.stalking`) and fees by red packet, head count, agency package or instalments (:mod:`moderation.levies`).
Round 19: a fee read by who pays whom for what, whatever its name (:mod:`moderation.payers`), numbers spoken
(:mod:`moderation.readings`), "go elsewhere" without an app word (:mod:`moderation.elsewhere`), a protected ground,
as an open class, wanted or refused (:mod:`moderation.wanted`), and harassment composed of its parts
(:mod:`moderation.shaming`). Round 20: a fee in the terms of the job with no pay verb — a condition, goods only from
the employer, a share of the pay, a place priced, a charge drawn, recruiting costs borne (:mod:`moderation.terms`);
harmful schemes told by their structure, not their name (:mod:`moderation.schemes`); contempt with no insult word
(:mod:`moderation.contempt`). Round 21: contacts written as puzzles — clause heads, marks counted, runs split,
segments placed, numbers reversed, handles by recipe (:mod:`moderation.puzzles`; its ``notation`` group is read on
the original text by the engine). Round 22 (lead): paid deception of buyers or rivals and a seeker's name used for
a cut (:mod:`moderation.deceits`). Round 22: harassment by mockery of a trait, exposure threatened to a place of
the listener's life, and pretexts for contact (:mod:`moderation.abuse`). Round 22: a fee paid in kind — a running cost shared, a gift for a
place, the employer's goods bought, a loan for the kit, the pay held as a guarantee (:mod:`moderation.inkind`).
Round 23: harassment told by the act — a body priced, a presence announced, harm on a condition, touch in an
intimate task, leering told, a crowd called on a person, whoever speaks up threatened (:mod:`moderation.conduct`).
Round 23: discrimination told by a condition, a procedure or unequal terms — a household registration required, a
ground screened by a test or an A-not-A question, a group paid less or moved out (:mod:`moderation.unequal`).
Round 23: scams and fees told by the act the worker is asked to do — original papers handed over, prepaid credit
topped up, the live room's cart bought for an interview, pay kept for the master, a buy-in paid per head, a companion
priced by the night, documents forged for pay (:mod:`moderation.frauds`).
Round 24 (lead): kit summed as one payment, a fee told later, a promotion promised, the post handed out offline by
name, a local number given to be dialled (:mod:`moderation.asides`).
Round 24: harassment by pursuit and by belittling a person's worth — contact kept up after a refusal, a person
followed or waited for, night calls as a condition, a kind sent to a lowly lot, insult openers
(:mod:`moderation.pursuit`).
Round 24: discrimination said as a preference, a hedge or an apology — the people praised, the hiring side's
concern, a stereotype disclaimed (:mod:`moderation.leanings`).
Round 24: scams and fees told by the errand run — bets placed for the company, art forged for auction, hospital
numbers resold, a deposit before boosting, a fee before piece work, gifts rebated, a buy-in repaid by recruits,
half the pay kept (:mod:`moderation.errands`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation import (
    abuse,
    asides,
    buyins,
    conduct,
    contempt,
    deceits,
    dialled,
    elsewhere,
    errands,
    exposure,
    frauds,
    inkind,
    leanings,
    levies,
    nightly,
    payers,
    payouts,
    pieces,
    pursuit,
    puzzles,
    readings,
    schemes,
    shaming,
    spelled,
    stalking,
    terms,
    tolls,
    unequal,
    wanted,
)

Raw = tuple[str, str, int, int, str]

ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    **dialled.ANCHORS, **nightly.ANCHORS, **payouts.ANCHORS, **buyins.ANCHORS,
    **tolls.ANCHORS, **spelled.ANCHORS, **exposure.ANCHORS, **pieces.ANCHORS, **stalking.ANCHORS, **levies.ANCHORS,
    **payers.ANCHORS, **readings.ANCHORS, **elsewhere.ANCHORS, **wanted.ANCHORS, **shaming.ANCHORS,
    **terms.ANCHORS, **schemes.ANCHORS, **contempt.ANCHORS, **puzzles.ANCHORS, **deceits.ANCHORS,
    **abuse.ANCHORS, **inkind.ANCHORS, **conduct.ANCHORS, **unequal.ANCHORS, **frauds.ANCHORS, **asides.ANCHORS,
    **pursuit.ANCHORS,
    **leanings.ANCHORS,
    **errands.ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    **dialled.DETECTORS, **nightly.DETECTORS, **payouts.DETECTORS, **buyins.DETECTORS,
    **tolls.DETECTORS, **spelled.DETECTORS, **exposure.DETECTORS, **pieces.DETECTORS, **stalking.DETECTORS,
    **levies.DETECTORS, **payers.DETECTORS, **readings.DETECTORS, **elsewhere.DETECTORS, **wanted.DETECTORS,
    **shaming.DETECTORS, **terms.DETECTORS, **schemes.DETECTORS, **contempt.DETECTORS,
    **puzzles.DETECTORS, **deceits.DETECTORS, **abuse.DETECTORS, **inkind.DETECTORS, **conduct.DETECTORS,
    **unequal.DETECTORS, **frauds.DETECTORS, **asides.DETECTORS,
    **pursuit.DETECTORS,
    **leanings.DETECTORS,
    **errands.DETECTORS,
})  # fmt: skip
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({
    **payouts.DOUBLES, **buyins.DOUBLES, **tolls.DOUBLES, **spelled.DOUBLES, **exposure.DOUBLES, **pieces.DOUBLES,
    **stalking.DOUBLES, **levies.DOUBLES, **payers.DOUBLES, **readings.DOUBLES, **elsewhere.DOUBLES,
    **wanted.DOUBLES, **shaming.DOUBLES, **terms.DOUBLES, **schemes.DOUBLES, **contempt.DOUBLES,
    **puzzles.DOUBLES, **deceits.DOUBLES, **abuse.DOUBLES, **inkind.DOUBLES, **conduct.DOUBLES, **unequal.DOUBLES,
    **frauds.DOUBLES, **pursuit.DOUBLES,
    **leanings.DOUBLES,
    **errands.DOUBLES,
})  # fmt: skip
#: employer-only groups (a seeker's own spending is no fee: 就业促进法 §41 binds employers), dropped for a viewer
EMPLOYER_ONLY: Final[frozenset[str]] = (
    payers.EMPLOYER_ONLY | terms.EMPLOYER_ONLY | abuse.EMPLOYER_ONLY | inkind.EMPLOYER_ONLY | conduct.EMPLOYER_ONLY
    | unequal.EMPLOYER_ONLY | frauds.EMPLOYER_ONLY | pursuit.EMPLOYER_ONLY | leanings.EMPLOYER_ONLY | errands.EMPLOYER_ONLY
)
#: run after the family shapes and not counted as their category found (detectors.grouped): a payment act ruled
#: review must not keep a named shape's block (papers sold, a buy-in) from being read
LATE: Final[frozenset[str]] = payers.EMPLOYER_ONLY | terms.LATE | inkind.LATE | frauds.LATE | errands.LATE
#: thin evidence (evidence.weak): not dialled's nor spelled e-mails, an address is read in full
LABELS: Final[frozenset[str]] = (
    nightly.LABELS | payouts.LABELS | buyins.LABELS | tolls.LABELS | spelled.LABELS | exposure.LABELS
    | pieces.LABELS | stalking.LABELS | levies.LABELS | payers.LABELS | readings.LABELS | elsewhere.LABELS
    | wanted.LABELS | shaming.LABELS | terms.LABELS | schemes.LABELS | contempt.LABELS | puzzles.LABELS | deceits.LABELS
    | abuse.LABELS | inkind.LABELS | conduct.LABELS | unequal.LABELS | frauds.LABELS | pursuit.LABELS | asides.LABELS | leanings.LABELS | errands.LABELS
)  # fmt: skip
