"""The moderator: normalise, match, rule, decide (standard 5.1.3 d, 4.4.1 c-d).

Pure: no I/O at decision time. Two front ends with the same results: the compiled one
(``moderation/_fastscan.c``: fold, offsets, clause ends and the Aho–Corasick scan in one
C call; ``engine_kind == "c"``) and the pure-Python reference it falls back to when the
extension is not built (one ``str.translate``, pyahocorasick, a digit-run probe; offsets
only for messages with a hit; ``engine_kind == "python"``). Only a message with a hit
pays for detectors, clauses and rules, in Python on both. Repeated short messages are
answered from a bounded per-instance LRU (see :class:`Moderator`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Final, Literal

from moderation import detectors, elsewhere, evidence, fast, puzzles
from moderation.assemble import decision_of, make_decision, make_match
from moderation.decision import Decision
from moderation.disowned import cued, disowned  # round 18: a flagged hit named to be refused, blocked or told
from moderation.lawful import contact_cue
from moderation.learned import Model, SideModel, model_text
from moderation.lexicon import ALLOW, ANCHOR, GATED, Automaton, Lexicon, Payload
from moderation.normalize import Folded
from moderation.pinyin import PinyinMatcher
from moderation.policy import (
    EMPLOYER_CONTEXTS,
    EMPLOYER_ROLES,
    Context,
    Hit,
    Ruling,
    can_matter,
    model_warned,
    rule,
)
from moderation.reasons import messages
from moderation.reread import MARGIN as REREAD_MARGIN
from moderation.reread import Rereader
from moderation.shared import default_folder, default_normalizer
from moderation.snares import EMPLOYER_ONLY

_LATIN: Final = re.compile("[a-z]")  # the reference front end's probe for moderation.pinyin (C reports it) and the second reading's
_NEW_HIT: Final = fast.tuple_maker(Hit, 6, (False,))  # hits and the folded view built in C (a NamedTuple's __new__ is interpreted)
_NEW_FOLDED: Final = fast.tuple_maker(Folded, 5, (None,))
_GATED: Final = GATED  # round 22: lexicon is interpreted; a compiled read of a Final is a C static, not a dict lookup
ROLES: Final = ("viewer", "host", "recruiter", "reviewer", "admin")
EngineKind = Literal["c", "python"]
log: Final = logging.getLogger("livehire.moderation")
# chat: live chat; job: a job post; interview: an interview invitation or its text; name: a display name; resume: a resume
# or profile text (often another person's data). Job posts and interview texts are the employer side (policy.EMPLOYER_CONTEXTS).
CONTEXTS: Final = ("chat", "job", "interview", "name", "resume")

DEFAULT_CACHE_SIZE: Final = 4096  # decisions kept per Moderator (LRU)
DEFAULT_CACHE_MAX_CHARS: Final = 128  # longer messages (job posts, essays) are rarely repeated: not cached


class Moderator:
    """Decides on one message at a time; ``add_terms`` takes effect for the next message.

    Live chat repeats itself (1, 111, 来了, 包吃住吗), so decisions for short messages are
    kept in a bounded LRU keyed by (text, role, context, org): at most ``cache_size``
    entries of at most ``cache_max_chars`` characters each. A decision is immutable and a
    pure function of that key and the lexicon, so sharing it is safe; ``add_terms``
    clears the cache. ``cache_size=0`` turns it off (the bench measures both).

    ``engine``: "auto" (the compiled front end when it is built, else Python), "c" (fail
    if it is not built) or "python" (the reference); ``engine_kind`` says which one runs.
    """

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        *,
        cache_size: int = DEFAULT_CACHE_SIZE,
        cache_max_chars: int = DEFAULT_CACHE_MAX_CHARS,
        engine: Literal["auto", "c", "python"] = "auto",
        learned: bool = True,
    ) -> None:
        if engine not in ("auto", "c", "python"):
            raise ValueError(f"engine must be auto, c or python, not {engine!r}")
        if engine == "c" and not fast.available():
            raise RuntimeError("moderation._fastscan is not built (pip install -e . compiles it)")
        if engine == "auto" and not fast.available():
            log.warning("moderation: compiled scanner not importable, using the pure-Python engine")
        self.engine_kind: EngineKind = "c" if engine != "python" and fast.available() else "python"
        # the per-hit logic: "mypyc" when setup.py compiled this module, else "python"
        self.rules_kind: EngineKind | Literal["mypyc"] = "mypyc" if "moderation.engine" in fast.compiled_modules() else "python"
        stale = fast.stale_modules()
        if stale:
            log.warning("moderation: %s compiled from older sources; run scripts/install", ", ".join(stale))
        self.normalizer = default_normalizer()  # built once per process (moderation.shared)
        self.lexicon = lexicon if lexicon is not None else Lexicon.from_directory()
        self._automata: dict[str | None, Automaton] = {}
        self._fold = self.normalizer.fold
        self._fast_table = self.normalizer.fast_table
        self._fold_probe = self.normalizer.probe
        self._messages = messages()
        self._digit_probe = detectors.DIGIT_RUN.search
        self._scan = default_folder().scan if self.engine_kind == "c" else None
        self._hashed = default_folder().hashed if self.engine_kind == "c" else None
        self._fold_c = default_folder().fold if self.engine_kind == "c" else None
        self._offsets = default_folder().offsets if self.engine_kind == "c" else None
        self._pinyin = PinyinMatcher(self.lexicon.entries(None))  # pinyin evasions of listed terms
        self._rereader = Rereader(self.lexicon.entries(None), self._pinyin.readings)  # the model's second reading
        self._rebuild(None)
        for org in self.lexicon.orgs():
            self._rebuild(org)
        self._cache_max_chars = cache_max_chars if cache_size > 0 else -1
        # the learned second stage (moderation.learned): only ever turns "allow" into "review"
        self.model = Model.load() if learned else None
        # per side (employer, seeker): (bias, logit threshold, hashed table): plain values on the hot path
        self._sides: tuple[tuple[float, float, bytes], ...] = tuple(
            (s.bias, s.logit_threshold, s.binary_table)
            for s in ((self.model.side(True), self.model.side(False)) if self.model is not None else ())
        )
        self._cached: Callable[[str, str, str, str | None], Decision] = self._decide_learned
        self._cache_clear: Callable[[], None] = _nothing
        self._cache_stats: Callable[[], tuple[int, int]] = _no_stats
        if cache_size > 0:
            cached = lru_cache(maxsize=cache_size)(self._decide_learned)
            self._cached, self._cache_clear = cached, cached.cache_clear
            self._cache_stats = lambda: cached.cache_info()[:2]

    def _rebuild(self, org: str | None) -> None:
        compiled = self.engine_kind == "c"
        self._automata[org] = Automaton(
            self.normalizer, self.lexicon.entries(org), anchors=org is None, compiled=compiled
        )
        if org is None:
            self._global_iter = self._automata[None].iter
            self._global_matcher = self._automata[None].matcher

    def add_terms(self, category: str, terms: Iterable[str], *, org: str | None = None) -> None:
        """Extend the global or one organisation's lexicon at run time (no restart)."""
        self.lexicon.add(category, list(terms), org=org)
        self._rebuild(org)
        if org is None:
            self._pinyin = PinyinMatcher(self.lexicon.entries(None), self._pinyin.readings)
            self._rereader = Rereader(self.lexicon.entries(None), self._pinyin.readings)
        self._cache_clear()  # cached decisions were taken under the old lexicon

    def cache_stats(self) -> tuple[int, int]:
        """``(hits, misses)`` of the decision cache since it was last cleared; (0, 0) when off."""
        return self._cache_stats()

    def clear_cache(self) -> None:
        self._cache_clear()

    def moderate(self, text: str, *, role: str = "viewer", context: str = "chat", org: str | None = None) -> Decision:
        if len(text) <= self._cache_max_chars:
            return self._cached(text, role, context, org)
        return self._decide_learned(text, role, context, org)  # a native call (no bound-method attribute)

    def _rules_seen(self, text: str, role: str, context: str, org: str | None) -> Decision | None:
        """The rules' answer, or None when they saw nothing that could matter (the model's case)."""
        if self._scan is not None:
            return self._decide_compiled(text, role, context, org)
        return self._decide_python(text, role, context, org)

    def _decide_learned(self, text: str, role: str, context: str, org: str | None) -> Decision:
        """The rules first; the model scores only a message in which they read nothing (where they cleared a
        term, "不用加微信", its n-grams see the term and not the negation, and held clean lines). Without a
        model (``learned=False``) the rules' answer or allow."""
        seen = self._rules_seen(text, role, context, org)
        model = self.model
        if seen is not None or model is None:
            return make_decision("allow", (), text, (), "") if seen is None else seen
        employer = role in EMPLOYER_ROLES or context in EMPLOYER_CONTEXTS
        bias, cut, table = self._sides[0 if employer else 1]
        hashed = self._hashed
        if hashed is not None:  # cut digit runs, fold and score in one C call
            logit: float = bias + hashed(text, table, 1)  # type: ignore[operator]  # k == 1: a float
            if logit <= cut - REREAD_MARGIN:
                return make_decision("allow", (), text, (), "")
            side = model.side(employer)  # a call per message: only near or past the cut (round 16)
            if logit <= cut:  # round 16: just under the cut, a second reading of its evasions (moderation.reread)
                return self._reread(text, side, self.fold(text))
            evidenced = side.evidenced(logit, self.fold(model_text(text)))  # round 15's gate (evidence), 16's floor
            if not evidenced:
                return make_decision("allow", (), text, (), "")
            category = side.category(text, default_folder(), "")
        else:
            side = model.side(employer)
            folded = self.fold(model_text(text))
            logit = side.score(folded)
            if cut - REREAD_MARGIN < logit <= cut:
                return self._reread(text, side, self.fold(text))
            evidenced = side.evidenced(logit, folded) if logit > cut else ()
            if not evidenced:
                return make_decision("allow", (), text, (), "")
            category = side.category(text, None, folded)
        return self._model_hold(text, category, evidenced)

    def _reread(self, text: str, side: SideModel, folded: str) -> Decision:
        """The model's second reading of a message just under its cut: digit look-alikes and pinyin read back
        (round 16); a hold on it passes the same gate and the same warnings. Most such messages hold no Latin letter:
        they cost one fold and one search."""
        if _LATIN.search(folded) is None:
            return make_decision("allow", (), text, (), "")
        read = self._rereader.text(folded, side.weights)
        if read is None:
            return make_decision("allow", (), text, (), "")
        read = model_text(read)  # digit runs cut as the first reading's (after the look-alikes became digits)
        logit = side.score(read)
        evidenced = side.evidenced(logit, read) if logit > side.logit_threshold else ()
        if not evidenced:
            return make_decision("allow", (), text, (), "")
        return self._model_hold(text, side.category(text, None, read), evidenced)

    def _model_hold(self, text: str, category: str, evidenced: tuple[str, ...]) -> Decision:
        """The model's hold (``review``), unless the message warns against or denies what it is held for or what
        its n-grams are evidence of (round 16: the category shown is ranked on hashed sums, the evidence exact:
        "男的女的都行" denies the discrimination the evidence of a line held as fee points to)."""
        if not text.strip():
            return make_decision("allow", (), text, (), "")
        plain = self.fold(text)
        if model_warned(category, plain) or any(model_warned(c, plain) for c in evidenced if c != category):
            return make_decision("allow", (), text, (), "")
        match = make_match(category, 0, len(text), "model")  # the whole message (--explain: the n-grams)
        return make_decision("review", (category,), text, (match,), self._messages["review", (category,)])

    def fold(self, text: str) -> str:
        """The normalised text the rules and the model read (in C with the compiled front end; else the fast
        table unless a repeat needs more)."""
        if self._fold_c is not None:
            return self._fold_c(text)
        folded = text.translate(self._fast_table)
        return self._fold(text) if self._fold_probe(folded) is not None else folded

    def _decide_compiled(self, text: str, role: str, context: str, org: str | None) -> Decision | None:
        """The compiled front end: one C call folds, maps offsets and clauses, and scans; None means nothing in the
        message can matter (no term, anchor, phone or ID number, @ or Latin letter: a term written in pinyin)."""
        assert self._scan is not None and self._global_matcher is not None
        org_matcher = self._automata[org].matcher if org is not None and org in self._automata else None
        scanned = self._scan(text, self._global_matcher, org_matcher)
        if scanned is None:
            return None
        employer = role in EMPLOYER_ROLES or context in EMPLOYER_CONTEXTS
        folded, found, org_found, offsets, clause_ends, questions, numbers, at_sign, latin = scanned
        hits = self._hits(text, folded, found, org_found, employer, numbers, at_sign, latin)
        if not hits:
            return None
        assert self._offsets is not None
        starts, ends = self._offsets(offsets)  # only now: most scanned messages have no hit (round 16)
        return self._decide(text, folded, hits, role, context, _NEW_FOLDED(folded, starts, ends, text, (clause_ends, questions)))

    def _decide_python(self, text: str, role: str, context: str, org: str | None) -> Decision | None:
        """The reference front end (and the fallback when ``_fastscan`` is not built)."""
        folded = text.translate(self._fast_table)  # Normalizer.fold's fast path, inlined
        if self._fold_probe(folded) is not None:  # a repeat or a code point past the table: the full fold
            folded = self._fold(text)
        employer = role in EMPLOYER_ROLES or context in EMPLOYER_CONTEXTS
        found = list(self._global_iter(folded))
        org_found = (
            list(self._automata[org].iter(folded)) if org is not None and org in self._automata else []
        )
        numbers: Iterable[detectors.Raw] = ()
        if self._digit_probe(folded) is not None:
            numbers = detectors.numbers(folded, self.normalizer.number_view(folded))
        hits = self._hits(
            text, folded, found, org_found, employer, numbers, "@" in text or "＠" in text, _LATIN.search(folded) is not None
        )
        if not hits:
            return None
        return self._decide(text, folded, hits, role, context, None)

    def _hits(
        self,
        text: str,
        folded: str,
        found: list[tuple[int, Payload]],
        org_found: list[tuple[int, Payload]],
        employer: bool,
        numbers: Iterable[detectors.Raw],
        at_sign: bool,
        latin: bool,
    ) -> list[Hit]:
        """Automaton output → the hits the rules must look at (detectors run here)."""
        hits: list[Hit] = []
        apps = False
        if found:
            hits, groups, apps = self._collect(found, folded)
            if groups:
                hits.extend(_NEW_HIT(*raw) for raw in puzzles.in_original(text, folded, self.fold, groups))  # round 21
                if "gate" in groups:
                    groups.discard("gate")
                elif not groups.isdisjoint(_GATED):  # no limit, refusal or negation word: no discriminatory requirement
                    groups -= _GATED  # can match (the test first: a set difference's call costs more, round 17)
                if not employer:  # deposits and amounts are fee items: never held against a seeker (§41 binds employers)
                    groups.discard("deposit")
                    groups.discard("pay")
                    groups.discard("cash")
                    if not groups.isdisjoint(EMPLOYER_ONLY):  # round 19: payment acts (moderation/payers.py)
                        groups -= EMPLOYER_ONLY
                elif "pay" in groups and any(h.category == "fee" for h in hits):
                    groups.discard("pay")  # a fee term is already there; its clause is checked for amounts
                if groups:  # round 11's shapes do not double a category a term already found (speed)
                    hits.extend(_NEW_HIT(*raw) for raw in detectors.grouped(folded, groups, {h.category for h in hits}))
        if latin:
            hits.extend(self._pinyin.hits(folded))
            hits.extend(_NEW_HIT(*raw) for raw in elsewhere.in_original(text, folded, self.fold))  # round 19: links
        if org_found:
            org_hits, _, org_apps = self._collect(org_found, folded)
            hits.extend(org_hits)
            apps = apps or org_apps
        hits.extend(_NEW_HIT(*raw) for raw in numbers)  # phones and ID numbers, found in C on the compiled path
        if at_sign:
            hits.extend(Hit(*raw, original=True) for raw in detectors.emails(text))
        if hits and apps:
            hits = _resolve_apps(hits, folded)
        if hits and not employer:  # seeker side: drop what cannot matter to it
            hits = [h for h in hits if can_matter(h, False)]
        return hits

    def _collect(self, found: list[tuple[int, Payload]], folded: str) -> tuple[list[Hit], set[str], bool]:
        """Automaton output → hits, detector groups to run, whether a contact-app term is
        among the hits; drops hits inside allow phrases."""
        hits: list[Hit] = []
        groups: set[str] = set()
        safe: list[tuple[int, int]] = []
        apps = False
        anchor, allow, new_hit = ANCHOR, ALLOW, _NEW_HIT  # module globals: read once, not per value
        for last, (length, values) in found:
            start, end = last - length + 1, last + 1
            for category, kind, term, latin in values:
                if category == anchor:
                    groups.add(kind)
                elif category == allow:
                    safe.append((start, end))
                elif not latin or _latin_ok(folded, start, end, kind):
                    hits.append(new_hit(category, kind, start, end, term))
                    if kind == "app":
                        apps = True
        if safe:  # a known-harmless phrase alone still counts as read: the learned stage leaves it (扣1)
            hits = [h for h in hits if not any(a <= h.start and h.end <= b for a, b in safe)]
            hits = hits or [new_hit(allow, allow, safe[0][0], safe[0][1], "")]
        return hits, groups, apps

    def _decide(
        self, text: str, folded: str, hits: list[Hit], role: str, context: str, full: Folded | None
    ) -> Decision | None:
        if full is None:
            full = self.normalizer.fold_with_offsets(text, folded)
        ctx = Context(full, role, context)
        rulings: list[Ruling] = []
        cues = 0  # round 18: 1 when the message may disown a flagged hit (asked once, at the first one)
        for hit in hits:
            ruling = rule(hit, ctx)
            if ruling is not None:
                if cues == 0:
                    cues = 1 if cued(ctx.folded.text) else -1
                if cues < 0 or not disowned(hit, ctx):
                    rulings.append(ruling)
        if not rulings:  # cleared; thin evidence alone (pinyin, a far refusal) leaves the message to the model
            return None if evidence.weak(hits, folded) else make_decision("allow", (), text, (), "")
        return decision_of(text, rulings, full.starts, full.ends, self._messages)


def _nothing() -> None:
    return None


def _no_stats() -> tuple[int, int]:
    return (0, 0)


def _latin_ok(folded: str, start: int, end: int, kind: str) -> bool:
    """Latin terms (sb, vx, tmd) must not sit inside a longer Latin word (usb, vxyz)."""
    if not folded[start:end].isascii():
        return True
    if start > 0 and "a" <= folded[start - 1] <= "z":
        return False
    if end >= len(folded) or not ("a" <= folded[end] <= "z"):
        return True
    if kind != "app":
        return False
    if end - start > 1:  # a handle may follow directly: vxjob2024
        return True
    handle = detectors.handle_after(folded, end)  # lone "v": only before a handle with a digit (vzhaopin2025, not vip)
    return handle is not None and not folded[handle[0] : handle[1]].isalpha()  # [a-z0-9]+: a digit in it


def _resolve_apps(hits: list[Hit], folded: str) -> list[Hit]:
    """Keep a contact-app term only next to a contact cue or a handle (微信号 abc123)."""
    out: list[Hit] = []
    for hit in hits:
        if hit.category == "diversion" and hit.kind == "app":
            handle = detectors.handle_after(folded, hit.end)
            if handle is not None and len(hit.term) == 1 and folded[handle[0] : handle[1]].isalpha():
                handle = None  # a lone "v" before a word is not a contact: v + handle needs a digit
            if handle is not None:
                out.append(_NEW_HIT("diversion", "handle", hit.start, handle[1], hit.term))
                continue
            if not contact_cue(folded, hit.start, hit.end) and (hit.end - hit.start < 2 or hit.end - hit.start < len(folded)):
                continue  # alone, the name is the message: "V❤信" (not a lone "v")
        out.append(hit)
    return out
