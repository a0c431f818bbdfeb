"""Evasions of a filter, applied to labelled lines: the adversarial set of ``livehire bench moderation``.

People who post scams in job streams dodge word lists by changing how a line is written, not what it
says: look-alike letters, full-width forms, traditional characters, pinyin or its initials, separators
between characters, emoji digits, words split by spaces, several of these at once. Each transform here
is deterministic given its ``random.Random``, so the set is the same on every run; the bench builds it
from the TEST split's violations only (the split no rule or model was tuned on).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable

from moderation.normalize import load_t2s

# Latin → look-alikes from Cyrillic and Greek (what a homoglyph attack substitutes).
_HOMOGLYPH = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "i": "і", "k": "κ",
              "v": "ν", "q": "ԛ", "B": "В", "H": "Н", "T": "Т", "M": "М", "0": "О", "1": "l", "3": "З"}  # fmt: skip
_KEYCAP = {str(d): f"{d}\ufe0f\u20e3" for d in range(10)}
_CIRCLED = dict(zip("0123456789", "⓪①②③④⑤⑥⑦⑧⑨", strict=True))
_SEPARATORS = ("·", " ", "_", "|", "-", "*", "/", ".")
# Toneless pinyin of characters that carry meaning in recruiting scams and abuse (written by hand).
PINYIN = {
    "加": "jia", "微": "wei", "信": "xin", "押": "ya", "金": "jin", "费": "fei", "交": "jiao", "钱": "qian",
    "转": "zhuan", "刷": "shua", "单": "dan", "贷": "dai", "款": "kuan", "培": "pei", "训": "xun",
    "扣": "kou", "群": "qun", "私": "si", "聊": "liao", "号": "hao", "电": "dian", "话": "hua",
    "报": "bao", "名": "ming", "体": "ti", "检": "jian", "服": "fu", "装": "zhuang", "保": "bao",
    "证": "zheng", "赌": "du", "博": "bo", "彩": "cai", "传": "chuan", "销": "xiao", "下": "xia",
    "线": "xian", "陪": "pei", "酒": "jiu", "台": "tai", "傻": "sha", "逼": "bi", "滚": "gun",
    "死": "si", "男": "nan", "女": "nv", "只": "zhi", "要": "yao", "限": "xian", "招": "zhao",
    "乙": "yi", "肝": "gan", "婚": "hun", "孕": "yun", "岁": "sui", "身": "shen", "份": "fen",
    "返": "fan", "佣": "yong", "垫": "dian", "付": "fu", "介": "jie", "绍": "shao", "包": "bao",
    "过": "guo", "赚": "zhuan", "日": "ri", "结": "jie", "入": "ru", "会": "hui", "人": "ren",
    "头": "tou", "拉": "la", "约": "yue", "睡": "shui", "晚": "wan", "饭": "fan", "照": "zhao",
    "片": "pian", "废": "fei", "物": "wu", "脑": "nao", "残": "can", "地": "di", "户": "hu", "口": "kou",
    "本": "ben", "科": "ke", "学": "xue", "历": "li", "名额": "ming e", "分": "fen", "期": "qi",
}  # fmt: skip


def homoglyphs(text: str, rng: random.Random) -> str:
    """Latin letters and digits swapped for Cyrillic/Greek look-alikes."""
    return "".join(_HOMOGLYPH.get(c, c) if rng.random() < 0.8 else c for c in text)


def full_width(text: str, rng: random.Random) -> str:
    """ASCII letters, digits and punctuation written in their full-width forms."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def traditional(text: str, rng: random.Random, *, s2t: dict[str, str] | None = None) -> str:
    """Simplified characters written in a traditional form."""
    table = s2t if s2t is not None else _s2t()
    return "".join(table.get(c, c) for c in text)


def pinyin(text: str, rng: random.Random) -> str:
    """Two or three meaningful characters written as pinyin (押金 → ya金, 加微信 → jia wei信)."""
    spots = [i for i, c in enumerate(text) if c in PINYIN]
    chosen = set(rng.sample(spots, min(len(spots), rng.choice((2, 3)))))
    return "".join(PINYIN[c] if i in chosen else c for i, c in enumerate(text))


def initials(text: str, rng: random.Random) -> str:
    """Runs of two or more meaningful characters written as pinyin initials (微信 → wx, 押金 → yj)."""
    out: list[str] = []
    i = 0
    done = False
    while i < len(text):
        j = i
        while j < len(text) and text[j] in PINYIN:
            j += 1
        if j - i >= 2 and not done and rng.random() < 0.7:
            out.append("".join(PINYIN[c][0] for c in text[i:j]))
            done = rng.random() < 0.5
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def separators(text: str, rng: random.Random) -> str:
    """One separator between every two characters of the line's Chinese words (加·微·信)."""
    sep = rng.choice(_SEPARATORS)
    return "".join(c + sep if "\u4e00" <= c <= "\u9fff" and i + 1 < len(text) else c for i, c in enumerate(text))


def emoji_digits(text: str, rng: random.Random) -> str:
    """Digits written as keycap emoji or circled numbers; lines without digits get separators instead."""
    if not any(c.isdigit() for c in text):
        return separators(text, rng)
    table = _KEYCAP if rng.random() < 0.5 else _CIRCLED
    return "".join(table.get(c, c) for c in text)


def split_words(text: str, rng: random.Random) -> str:
    """Spaces or line-breaking zero-width characters inside words, at random places."""
    gap = rng.choice((" ", "  ", "\u200b", "\u3000"))
    return "".join(c + gap if rng.random() < 0.4 else c for c in text).rstrip()


def mixed(text: str, rng: random.Random) -> str:
    """Several at once: pinyin, then traditional, full width and look-alikes."""
    text = pinyin(text, rng)
    text = traditional(text, rng)
    return homoglyphs(full_width(text, rng), rng) if rng.random() < 0.5 else full_width(text, rng)


TRANSFORMS: dict[str, Callable[[str, random.Random], str]] = {
    "homoglyph": homoglyphs, "full_width": full_width, "traditional": traditional, "pinyin": pinyin,
    "initials": initials, "separators": separators, "emoji_digits": emoji_digits, "split_words": split_words,
    "mixed": mixed,
}  # fmt: skip


@functools.cache
def _s2t() -> dict[str, str]:
    """The first traditional form of each simplified character (the t2s table inverted)."""
    out: dict[str, str] = {}
    for trad, simp in load_t2s().items():
        if trad != simp and len(simp) == 1:
            out.setdefault(simp, trad)
    return out


def variants(text: str, seed: str) -> list[tuple[str, str]]:
    """``(transform, evaded text)`` for every transform that changes the line."""
    s2t = _s2t()
    out = []
    for name, transform in TRANSFORMS.items():
        rng = random.Random(f"{seed}:{name}")
        evaded = traditional(text, rng, s2t=s2t) if name == "traditional" else transform(text, rng)
        if evaded != text:
            out.append((name, evaded))
    return out
