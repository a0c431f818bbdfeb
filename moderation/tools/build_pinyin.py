"""Regenerate ``moderation/lexicons/<category>.pinyin.txt``: pinyin spellings of key terms.

People write 押金 as yajin, ya金 or 押jin to dodge a word list. For every listed
Chinese term of 2–4 characters in the chosen categories, this writes each mix of
characters and their toneless pinyin (押jin, ya金, yajin), keeping the term's kind, and for terms of 3-4
characters their initials (体检费 → tjf), except initials that are common Latin words (ktv, vip).
Run by hand (``python -m moderation.tools.build_pinyin``); pypinyin is needed here
only, never at run time.
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

from moderation.lexicon import LEXICON_DIR, parse

PINYIN_TABLE = LEXICON_DIR.parent / "data" / "pinyin.tsv"

CATEGORIES = ("fee", "diversion", "harassment", "scam")
SKIP_KINDS = {("diversion", "app")}  # app names: mixes such as wei信 are listed by hand


def variants(term: str) -> list[str]:
    from pypinyin import lazy_pinyin  # only needed by this tool

    if not 2 <= len(term) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in term):
        return []
    syllables = lazy_pinyin(term)
    if len(syllables) != len(term):
        return []
    choices = [(c, p) for c, p in zip(term, syllables, strict=True)]
    out = ["".join(pick) for pick in itertools.product(*choices)]
    return [v for v in out if v != term]


# Initials that are ordinary Latin words or abbreviations in job chat (ktv, vip, hr…): never generated.
COMMON_LATIN = frozenset({"ktv", "vip", "app", "diy", "usb", "led", "cnc", "smt", "pcb", "erp", "ceo", "cad", "gps",
                          "ups", "ems", "wifi", "ok", "pdf", "ppt", "doc", "txt", "mba", "bbc", "cctv", "sos", "qq",
                          "bug", "pk", "dj", "mc", "gg", "mm", "jj", "bb",
                          # pinyin abbreviations with a common meaning of their own: 身份证, 支付宝, 拼多多, 小红书…
                          "sfz", "zfb", "pdd", "xhs", "yyds", "xswl", "awsl", "dbq", "bgm", "jrs", "gzh"})  # fmt: skip


def initials(term: str) -> str | None:
    """The pinyin initials of a 3-4 character Chinese term (体检费 → tjf, 私下联系 → sxlx): a run of
    initials is how people write a word list's terms past it; 2-letter initials are too ambiguous."""
    from pypinyin import lazy_pinyin  # only needed by this tool

    if not 3 <= len(term) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in term):
        return None
    syllables = lazy_pinyin(term)
    if len(syllables) != len(term) or not all(s.isascii() and s.isalpha() for s in syllables):
        return None
    short = "".join(s[0] for s in syllables)
    return None if short in COMMON_LATIN else short


# Readable lines (never the test split): initials that spell other words there are ambiguous (round 11: 偷井盖 →
# tjg is also 推荐工 and 体检过; the generated variant read lines about other things as insults).
CLEAN_SOURCES = ("moderation_corpus.tsv", "moderation_training_lines.tsv", "moderation_training_lines_round9.tsv",
                 "moderation_validation.tsv")  # fmt: skip
BENCH_DATA = LEXICON_DIR.parents[1] / "bench" / "data"


def common_initials() -> dict[str, set[str]]:
    """The 3-4 letter initials of every stretch of Chinese in the readable lines, with the words they
    spell there (read as files: the moderation package imports nothing from bench)."""
    from pypinyin import lazy_pinyin  # only needed by this tool

    out: dict[str, set[str]] = {}
    for name in CLEAN_SOURCES:
        path = BENCH_DATA / name
        rows = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        for row in rows:
            cols = row.split("\t")
            if row.startswith("#") or len(cols) < 5 or cols[-1] == "test":
                continue
            for run in re.findall("[\u4e00-\u9fff]{3,}", cols[4]):
                letters = "".join(p[0] for p in lazy_pinyin(run) if p.isascii() and p.isalpha())
                if len(letters) == len(run):
                    for n in (3, 4):
                        for i in range(len(letters) - n + 1):
                            out.setdefault(letters[i : i + n], set()).add(run[i : i + n])
    return out


def reading(char: str) -> tuple[str, str]:
    """A character and its toneless pinyin (its most common reading), for ``moderation.pinyin``."""
    from pypinyin import lazy_pinyin  # only needed by this tool

    return char, lazy_pinyin(char)[0]


def main() -> int:
    readings: dict[str, str] = {}
    ambiguous = common_initials()
    terms = {
        e.term for c in CATEGORIES for e in parse(c, (LEXICON_DIR / f"{c}.txt").read_text(encoding="utf-8"))
    }
    for category in CATEGORIES:
        source = LEXICON_DIR / f"{category}.txt"
        entries = parse(category, source.read_text(encoding="utf-8"))
        seen = {e.term for e in entries}
        out = Path(LEXICON_DIR / f"{category}.pinyin.txt")
        # initials already shipped stay (the adversarial set measures them); new ones must not be ambiguous
        shipped = (
            {e.term for e in parse(category, out.read_text(encoding="utf-8"))} if out.exists() else set()
        )
        lines = [f"# generated by moderation/tools/build_pinyin.py from {category}.txt — do not edit"]
        for entry in entries:
            if (category, entry.kind) in SKIP_KINDS:
                continue
            for v in variants(entry.term):
                if v not in seen:
                    seen.add(v)
                    lines.append(f"{v}\t{entry.kind}")
        for entry in entries:  # initials after every full variant, so a collision keeps the fuller kind
            if (category, entry.kind) in SKIP_KINDS or entry.kind == "review":
                continue
            short = initials(entry.term)
            if (
                short is not None
                and short not in seen
                and (short in shipped or not ambiguous.get(short, set()) - terms)
            ):
                seen.add(short)
                lines.append(f"{short}\t{entry.kind}")
        for entry in entries:
            if (category, entry.kind) not in SKIP_KINDS:
                readings.update(reading(c) for c in entry.term if "\u4e00" <= c <= "\u9fff")
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{out.name}: {len(lines) - 1} variants", file=sys.stderr)
    table = ["# generated by moderation/tools/build_pinyin.py: the characters of the listed terms and their toneless"
             " pinyin (moderation.pinyin's view); do not edit"]  # fmt: skip
    table += [f"{c}\t{p}" for c, p in sorted(readings.items()) if p.isascii() and p.isalpha()]
    PINYIN_TABLE.write_text("\n".join(table) + "\n", encoding="utf-8")
    print(f"{PINYIN_TABLE.name}: {len(table) - 1} characters", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
