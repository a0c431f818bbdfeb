"""The compiled front end (moderation/_fastscan.c) against the pure-Python reference.

Both engines must give identical Decisions (same action, categories, masked text, spans
into the original text) on the whole corpus and on random text; the C side must never
crash, whatever it is given (lone surrogates, astral characters, long strings, bad args).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import ahocorasick
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bench.corpus import load
from moderation import detectors, fast
from moderation.engine import CONTEXTS, ROLES, Moderator
from moderation.lexicon import Lexicon, Payload
from moderation.normalize import Normalizer

if TYPE_CHECKING:
    from moderation._fastscan import Folder

pytestmark = pytest.mark.skipif(
    not fast.available() and os.environ.get("CI") != "true", reason="_fastscan not built"
)


def test_extension_is_built_and_chosen_by_default() -> None:
    """`pip install -e .` compiles it and the mypyc modules (CI included); Moderator() runs them."""
    assert fast.available()
    assert fast.compiled_modules() == list(fast.MYPYC_MODULES)  # setup.py's mypyc step ran too
    assert Moderator(Lexicon(), cache_size=0).engine_kind == "c"
    assert Moderator(Lexicon(), cache_size=0).rules_kind == "mypyc"
    assert Moderator(Lexicon(), cache_size=0, engine="python").engine_kind == "python"
    with pytest.raises(ValueError, match="engine"):
        Moderator(Lexicon(), engine="rust")  # type: ignore[arg-type]


def test_every_module_setup_compiles_is_checked_for_staleness() -> None:
    """setup.py's mypyc list and fast.MYPYC_MODULES name the same modules: one missing from the second is never
    reported stale, so an edit without `scripts/install` would run the old compiled rules unnoticed."""
    setup = (Path(__file__).resolve().parents[2] / "setup.py").read_text(encoding="utf-8")
    compiled = re.findall(r'"moderation/(\w+)\.py"', setup)
    assert sorted(compiled) == sorted(name.removeprefix("moderation.") for name in fast.MYPYC_MODULES)


@pytest.fixture(scope="module")
def pair() -> tuple[Moderator, Moderator]:
    compiled = Moderator(cache_size=0, engine="c")
    compiled.add_terms("harassment", ["内部黑话", "門禁卡錢"], org="acme")
    reference = Moderator(compiled.lexicon, cache_size=0, engine="python")
    return compiled, reference


def test_whole_corpus_gives_identical_decisions(pair: tuple[Moderator, Moderator]) -> None:
    compiled, reference = pair
    checked = 0
    for line in load():
        for role in ROLES:
            for context in CONTEXTS:
                for org in (None, "acme"):
                    got = compiled.moderate(line.text, role=role, context=context, org=org)
                    assert got == reference.moderate(line.text, role=role, context=context, org=org), (
                        line.text
                    )
                    for m in got.matches:
                        assert 0 <= m.start < m.end <= len(line.text)
                    checked += 1
    assert checked > 10_000


EVASIONS = ["押", "金", "押金", "微", "信", "加", "v", "Ｖ", "x", "vx", "1", "3", "8", "一", "三", "八", "①", "⃣", "️",
            "\u200d", "？", "?", "，", "。", "\n", " ", "@", "＠", "ß", "½", "㈱", "🐧", "🐴", "𠀀", "\U000e0041",
            "保證金", "男", "岁", "35", "乙肝", "勿扰", "不", "吗", "身份证", "我家住", "3栋", "a", "qq", "号"]  # fmt: skip
surrogates = st.integers(0xD800, 0xDFFF).map(chr)
noisy = st.lists(st.sampled_from(EVASIONS) | st.text(max_size=3) | surrogates, max_size=24).map("".join)
fragments = st.lists(st.sampled_from([x.text for x in load()]) | st.sampled_from(EVASIONS), max_size=6).map(
    "".join
)
SETTINGS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(
    st.text() | noisy | fragments,
    st.sampled_from(ROLES),
    st.sampled_from(CONTEXTS),
    st.sampled_from((None, "acme")),
)
def test_random_text_both_engines_agree(
    pair: tuple[Moderator, Moderator], text: str, role: str, context: str, org: str | None
) -> None:
    compiled, reference = pair
    assert compiled.moderate(text, role=role, context=context, org=org) == reference.moderate(
        text, role=role, context=context, org=org
    )


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer()


@pytest.fixture(scope="module")
def folder(norm: Normalizer) -> Folder:
    return fast.folder(norm)


@SETTINGS
@given(st.text() | noisy)
def test_scan_folds_and_maps_offsets_like_the_reference_loop(
    norm: Normalizer, folder: Folder, text: str
) -> None:
    everything = fast.matcher([chr(c) for c in range(0x20, 0x7F)], [(1, ())] * 95)  # any ASCII: never None
    scanned = folder.scan(text + "a", everything, None)
    assert scanned is not None
    folded, _, _, offsets, clause_ends, questions, _, _, latin = scanned
    starts, ends = folder.offsets(offsets)  # round 16: packed by scan(), unpacked on demand
    reference = norm.fold_with_offsets_loop(text + "a")
    assert (folded, starts, ends) == (reference.text, reference.starts, reference.ends)
    assert folded == norm.fold(text + "a")
    assert (clause_ends, questions) == reference.clauses()
    assert latin == any("a" <= c <= "z" for c in folded)


@SETTINGS
@given(st.text() | noisy)
def test_scan_answers_a_message_whose_only_chance_is_a_latin_letter(folder: Folder, norm: Normalizer, text: str) -> None:
    """Nothing found: None, unless the folded text holds a Latin letter (pinyin may spell a term); then the whole
    answer, so the engine need not fold again (round 14)."""
    nothing = fast.matcher(["\U0010fffe"], [(1, ())])  # a key no text holds
    scanned = folder.scan(text, nothing, None)
    latin = any("a" <= c <= "z" for c in norm.fold(text))
    if scanned is None:
        assert not latin
    elif not scanned[1] and not scanned[6] and not scanned[7]:  # no term, number or @: only the letters
        assert scanned[8] is True and latin and scanned[0] == norm.fold(text)


@SETTINGS
@given(st.text() | noisy)
def test_fold_in_c_is_the_normalisers_fold(folder: Folder, norm: Normalizer, text: str) -> None:
    """``Folder.fold`` (the engine's fold with the compiled front end, round 14) is ``Normalizer.fold``."""
    assert folder.fold(text) == norm.fold(text)
    assert folder.fold(text * 300) == norm.fold(text * 300)  # past the stack buffer


DIGITISH_TEXT = st.lists(
    st.sampled_from(["1", "3", "8", "0", "x", "o", "l", "一", "两", "〇", "幺", "壹", "①", " ", "-", "a", "身份证"])
    | st.sampled_from(["13812345678", "11010519491231002x", "440304199003074510", "44030419900307451"]),
    max_size=12,
).map("".join)


@SETTINGS
@given(DIGITISH_TEXT | noisy)
@example("一13812345678x")  # round 14: a numeral before a mobile number and an x after it (the detector missed it)
@example("440304199003074510，三年")  # round 16: an ID number run into a numeral after it
@example("4403041990030745101三")  # nineteen ASCII digits before the numeral: no ID number
def test_phone_and_id_numbers_found_in_c_as_the_detector_finds_them(
    norm: Normalizer, folder: Folder, text: str
) -> None:
    everything = fast.matcher([chr(c) for c in range(0x20, 0x7F)], [(1, ())] * 95)
    scanned = folder.scan(text + "a", everything, None)
    assert scanned is not None
    folded = scanned[0]
    assert scanned[6] == list(detectors.numbers(folded, norm.number_view(folded)))


@SETTINGS
@given(st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=30), st.text(max_size=60) | noisy)
def test_matcher_finds_what_pyahocorasick_finds(keys: list[str], text: str) -> None:
    payloads: list[Payload] = [(len(k), (("fee", "item", k, False),)) for k in keys]
    reference = ahocorasick.Automaton()
    for key, payload in zip(keys, payloads, strict=True):
        reference.add_word(key, payload)
    reference.make_automaton()
    got = fast.matcher(keys, payloads).find(text)
    assert sorted(got) == sorted(reference.iter(text))


@pytest.mark.parametrize(
    "text", ["", "\ud800", "\udfff押金", "a" * 100_000, "押" * 50_000, "⃣" * 1000, "½" * 20_000]
)
def test_edge_inputs_do_not_crash(pair: tuple[Moderator, Moderator], text: str) -> None:
    compiled, reference = pair
    assert compiled.moderate(text, role="host") == reference.moderate(text, role="host")


def test_bad_arguments_raise_instead_of_crashing(norm: Normalizer, folder: Folder) -> None:
    from moderation import _fastscan

    matcher = fast.matcher(["押金"], [(2, ())])
    with pytest.raises(TypeError):
        folder.scan(b"bytes", matcher, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        folder.scan("押金", "not a matcher", None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        folder.scan("押金", matcher)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        folder.offsets(b"123")  # not a whole number of (start, end) pairs
    with pytest.raises(ValueError):
        _fastscan.Folder(b"", b"", b"", b"", b"", b"")
    with pytest.raises(ValueError):
        fast.matcher(["a", "b"], [(1, ())])
    with pytest.raises(TypeError):
        fast.matcher([""], [(0, ())])
    table, keys, values, pool, flags, digits = fast.tables(norm)
    with pytest.raises(ValueError):  # an entry pointing past the expansion pool
        _fastscan.Folder(b"\x00\x00\x00\x90" + table[4:], keys, values, pool, flags, digits)
    with pytest.raises(ValueError):  # a digit for a character that is not digit-ish
        _fastscan.Folder(table, keys, values, pool, flags, b"\x05" + digits[1:])
    with pytest.raises(TypeError):
        matcher.find(5)  # type: ignore[arg-type]


def test_a_matcher_keeps_its_own_payloads() -> None:
    payloads: list[Payload] = [(2, (("fee", "item", "押金", False),))]
    matcher = fast.matcher(["押金"], payloads)
    payloads.clear()  # the caller's list may change; the automaton copied it
    assert matcher.find("交押金") == [(2, (2, (("fee", "item", "押金", False),)))]


def test_the_matcher_packs_states_in_20_bits_and_says_so() -> None:
    """Round 14: a transition is 8 bytes (state and next state in 20 bits each), so keys of 2^20 characters or
    more are refused at build time, and a chain of states just under it still matches at its end."""
    with pytest.raises(ValueError, match="2\\^20"):
        fast.matcher(["a" * (1 << 20)], [(1 << 20, ())])
    long_key = "押" * ((1 << 20) - 4)  # every character a new state; with 押金 and the root: 2^20 - 1 characters
    matcher = fast.matcher([long_key, "押金"], [(len(long_key), ()), (2, ())])
    assert matcher.states() == (1 << 20) - 2  # the root, the chain, and 金 after one 押
    assert matcher.find(long_key + "金")[-1][0] == len(long_key)
