"""Round 21: a contact written as a puzzle the reader solves (standard 5.1.3 d: 导流; 5.2; 个人信息保护法 §5–6).

A word list reads the words a writer chose; a puzzle hides the contact in the order, the count or the arithmetic
of the line, so each reader here applies the operation the line asks for and reads the result as the detectors
would read a plain line:

- **clause heads or tails** (藏头, 藏尾): after a pointer that says which character of each clause to take
  (每句第一个字, 句尾, 竖着读每行…), the characters taken make a new line; it is a contact when it names a channel
  (微信 and its homophones, 扣扣, 钉钉, 电话, 加V…) or its digits make a mobile number;
- **marks counted**: after a pointer to count (个数, 数一数), groups of one repeated mark (🍎🍎🍎, •••) are digits;
- **runs split by the writer**: numerals written next to a mobile number (…8000 8点以后, 工号0385 159…) merge
  with it once the spaces are gone; the original's separators tell where the number ends;
- **segments placed by their labels**: 尾号…前面是…, 中间四位…头三位… put back in the order the labels give, each
  segment a value, digits, or a sum, difference or product (一百三十九减一);
- **a handle by recipe**: a spelling (拼音, 首字母, 缩写) or a date (生日, 年份, 日期) joined to another ingredient
  (加上, 后面跟, 连着写) beside a channel or the speaker's own account: the reader builds the handle.
A reading must end in a mobile number, a QQ-like number beside a QQ word, or a channel; a motto's heads (招工顺利),
a wage sum, an order number or a date alone read as none. Who says it (a warning, a question) stays the policy's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.normalize import CJK_DIGITS, CLAUSE_ENDS
from moderation.readings import spoken_value

Raw = tuple[str, str, int, int, str]
ORIGINAL: Final = "notation"  # the anchor groups the engine reads on the original text, not through BY_GROUP: one per reader,
COUNTED: Final = "notation_count"  # so a phone word runs only the split-run reader and a pointer only the clause reader
RUNS: Final = "notation_run"

_MOBILE: Final = re.compile("1[3-9][0-9]{9}")
# folded: 扣扣 and 钉钉 are one character once repeats collapse
_QQ_WORD: Final = re.compile("扣(?:号|群|是|就是|为|等于)|qq|企鹅|q号|q群|群号")
_DIGITS: Final = str.maketrans({k: v for k, v in CJK_DIGITS.items() if k not in "ol"})

# --- what a decoded line must name: a channel ------------------------------------------------------------------
# 微信 by sound (微薇v + 信心星; 威维围 only after 加: 威信 and 维新 are words), 加 before 微 or V, a QQ or DingTalk
# word, a phone word, the speaker's own account
_CHANNEL: Final = re.compile("加[微薇v]|[微薇v](?:信|心|星|x)|加[威维围](?:信|心|新|欣|星)|加我|扣扣|qq|企鹅|钉钉|电话|手机|号码|飞机|电报")


def _contact(read: str) -> str | None:
    """What a decoded line names: ``phone`` (a mobile number), ``channel``, or None."""
    if _MOBILE.search(read.translate(_DIGITS)) is not None:
        return "phone"
    return "channel" if _CHANNEL.search(read) is not None else None


# --- clause heads and tails ------------------------------------------------------------------------------------
_POINTER: Final = re.compile(
    "(?:每|各|这几|下面)?(?:句|行|段|条)(?:话)?(?:的)?(?:开头|打头|头一个|头个|第一个|首个?|起头|尾巴?|末尾?|最后一个|结尾)"
    "|(?:句|行)(?:首|头|尾|末)|藏头|藏尾|竖着读|竖着念|竖读|首字|头一个字|尾字"
)
POINTER_ANCHORS: Final = (*(f"{a}{b}" for a in "每各" for b in "句行段条"), *(f"{a}{b}" for a in "句行" for b in "首头尾末开打最结"),
                   "藏头", "藏尾", "竖着", "竖读", "首字", "头一个字", "尾字")
_TAIL: Final = re.compile("尾|末|最后")
_CLAUSE_SPLIT: Final = re.compile("[" + re.escape("".join(sorted(CLAUSE_ENDS))) + "、丨|｜\\s]+")  # chat parts lines by spaces


def _edges(text: str, fold: Callable[[str], str], tail: bool) -> str:
    """The first (or last) character of every clause after the pointer's, each folded (a clause of emoji: none)."""
    out = []
    for clause in _CLAUSE_SPLIT.split(text):
        folded = fold(clause)
        if folded:
            out.append(folded[-1] if tail else folded[0])
    return "".join(out)


def acrostic(text: str, folded: str, fold: Callable[[str], str]) -> Iterator[Raw]:
    """The clause heads (or tails) after a pointer to them, read as a line of their own."""
    pointer = _POINTER.search(folded)
    if pointer is None:
        return
    first, last = _pointer_clause(text, fold, pointer.start(), pointer.end())
    puzzle = text[last:] if fold(text[last:]) else text[:first]  # the clauses after the pointer's, else before
    read = _edges(puzzle, fold, _TAIL.search(pointer.group()) is not None)
    found = _contact(read) if len(read) >= 3 else None
    if found is not None:
        at = folded.find(fold(puzzle))
        start, end = (at, at + len(fold(puzzle))) if at >= 0 else (pointer.start(), pointer.end())
        yield ("pii", "phone", start, end, "acrostic") if found == "phone" else ("diversion", "block", start, end, "acrostic")


def _pointer_clause(text: str, fold: Callable[[str], str], start: int, end: int) -> tuple[int, int]:
    """Original indexes of the pointer's clause: after the clause end before folded ``start``, and after the
    clause end that follows folded ``end`` (the text's length when none follows)."""
    kept, first = 0, 0
    for i, ch in enumerate(text):
        if ch in CLAUSE_ENDS:
            if kept <= start:
                first = i + 1
            elif kept >= end:
                return first, i + 1
        kept += len(fold(ch))
    return first, len(text)


# --- marks counted ---------------------------------------------------------------------------------------------
_COUNT_POINTER: Final = re.compile("个数|数一数|数数|数一下|数清|数点|数星|数苹果|数圈|数心")
COUNT_ANCHORS: Final = ("个数", "数一数", "数数", "数一下", "数清", "数点", "数星", "数苹果", "数圈", "数心")
_GROUPS: Final = re.compile("[^\\s,，、;；:：]+")
_JOINERS: Final = frozenset("\ufe0f\u200d")


def _counted(text: str) -> str:
    """Digits told as groups of one repeated mark (🍎 🍎🍎🍎 → 13); stops at the first group that is not one."""
    digits: list[str] = []
    for m in _GROUPS.finditer(text):
        marks = [c for c in m.group() if c not in _JOINERS]
        if len(set(marks)) != 1 or marks[0].isalnum() or len(marks) > 9:
            if digits:
                break
            continue
        digits.append(str(len(marks)))
    return "".join(digits)


def counted_marks(text: str, folded: str) -> Iterator[Raw]:
    """After a pointer to count, groups of marks read as a mobile number, or a QQ-like number beside a QQ word."""
    if _COUNT_POINTER.search(folded) is None:
        return
    digits = _counted(text)
    if _MOBILE.fullmatch(digits) is not None:
        yield ("pii", "phone", 0, len(folded), "marks counted")
    elif 5 <= len(digits) <= 11 and _QQ_WORD.search(folded) is not None:
        yield ("diversion", "block", 0, len(folded), "marks counted")


# --- runs split by the writer ----------------------------------------------------------------------------------
_SPACED: Final = re.compile("[0-9０-９]+(?:[ \u3000,，、]+[0-9０-９]+)+")
_PIECE: Final = re.compile("[0-9０-９]+")
# round 23: a hotline or a call-back named (招工热线 158… 12小时内回电)
RUN_ANCHORS: Final = ("电话", "手机", "号码", "拨", "打给", "打我", "联系", "同号", "来电", "致电", "打1", "热线", "回电", "直接打")


def split_runs(text: str, folded: str, fold: Callable[[str], str]) -> Iterator[Raw]:
    """A mobile number that the writer's spaces bound, merged with numerals before or after it in the folded text
    (…18650937214 5天, 工号0385 159…): whole pieces only, and never the whole run (the digit detector's). A reading
    is found in the folded text, so a folded text without a mobile number needs no reading (round 22: most phone
    words come without one)."""
    if _MOBILE.search(folded) is None:
        return
    for run in _SPACED.finditer(text):
        pieces = [fold(p.group()) for p in _PIECE.finditer(run.group())]
        for i in range(len(pieces)):
            joined = ""
            for j in range(i, len(pieces)):
                joined += pieces[j]
                if len(joined) >= 11:
                    break
            if len(joined) == 11 and (i > 0 or j < len(pieces) - 1) and _MOBILE.fullmatch(joined) is not None:
                at = folded.find(joined)
                if at >= 0:
                    yield ("pii", "phone", at, at + 11, "run split")
                    return


# --- a number sung (batch 25 read): solfège syllables, one digit each (电话照简谱唱，哆是1：哆咪嗦 哆发啦来 咪嗦西哆) ---
SOLFEGE: Final = "notation_sung"
SOLFEGE_ANCHORS: Final = ("简谱", "哆", "嗦", "唆")
_SYLLABLE: Final = MappingProxyType({"哆": "1", "多": "1", "来": "2", "瑞": "2", "咪": "3", "米": "3", "发": "4", "嗦": "5",
                                     "唆": "5", "梭": "5", "啦": "6", "拉": "6", "西": "7", "希": "7"})  # fmt: skip
_SUNG: Final = re.compile(r"[哆多来瑞咪米发嗦唆梭啦拉西希](?:[\s，,、。:：]*[哆多来瑞咪米发嗦唆梭啦拉西希]){10,}")


def sung(text: str, folded: str) -> Iterator[Raw]:
    """Eleven solfège syllables in a row that read as a mobile number (the repeats folding would merge are kept)."""
    for run in _SUNG.finditer(text):
        digits = "".join(_SYLLABLE.get(c, "") for c in run.group())
        if _MOBILE.fullmatch(digits) is not None:
            yield ("pii", "phone", 0, len(folded), "number sung")
            return


def in_original(text: str, folded: str, fold: Callable[[str], str], groups: set[str]) -> list[Raw]:
    """The readers that need what folding deletes (clause ends, marks, spaces), in folded coordinates, when the
    automaton saw the ``notation`` anchors; the group is taken out of ``groups`` (no BY_GROUP detector reads it)."""
    raws: list[Raw] = []
    if ORIGINAL in groups:
        groups.discard(ORIGINAL)
        raws.extend(acrostic(text, folded, fold))
    if COUNTED in groups:
        groups.discard(COUNTED)
        raws.extend(counted_marks(text, folded))
    if RUNS in groups:
        groups.discard(RUNS)
        raws.extend(split_runs(text, folded, fold))
    if SOLFEGE in groups:
        groups.discard(SOLFEGE)
        raws.extend(sung(text, folded))
    return raws


# --- segments placed by their labels, each a value or a sum -----------------------------------------------------
_N: Final = "[0-9一二三四五六七八九十百千零两幺洞]"
_COUNT: Final = f"(?:那|的)?{_N}{{1,2}}(?:位|个数字?|个数)"
_LABEL: Final = re.compile(
    f"(?P<head>(?:前|头){_COUNT}|(?:前面|前边|开头|起头|号段)(?:{_COUNT})?)"
    f"|(?P<mid>中间(?:{_COUNT})?)"
    f"|(?P<tail>(?:后|末|最后|尾){_COUNT}|(?:后面|后边|末尾|尾号|尾数|收尾|剩下的?|其余的?)(?:{_COUNT})?)"
)
_TERM: Final = "(?:[0-9]+|[一二三四五六七八九两十][一二三四五六七八九十百千零两]*)"
_OP: Final = "(?:加上|加|减去|减|乘以|乘|除以)"
_EXPR: Final = re.compile(f"(?:是|为|係|系|就是|等于)?(?P<expr>{_TERM}(?:{_OP}{_TERM})*)")
_TERM_RE: Final = re.compile(_TERM)
_OP_RE: Final = re.compile(_OP)
_PLACES: Final = MappingProxyType({"千": 1000, "百": 100, "十": 10})
SEGMENT_ANCHORS: Final = ("前面", "前边", "开头", "起头", "号段", "中间", "后面", "后边", "末尾", "尾号", "尾数", "收尾", "剩下", "其余",
                   *(f"{p}{n}{u}" for p in ("前", "头", "后", "末", "尾") for n in "三四七八" for u in ("位", "个")),
                   "加上", "减", "乘", "除以")  # fmt: skip


def _term(said: str) -> str:
    """A term's digits: written or spoken digit by digit (一五八 → 158), or a value with place words (一百三十九)."""
    if not any(p in said for p in _PLACES):
        return said.translate(_DIGITS)
    return str(spoken_value(said))


def _value(expr: str) -> str:
    """An expression's digits: terms joined by operators, worked left to right (一百三十九减一 → 138)."""
    terms = [_term(t) for t in _TERM_RE.findall(expr)]
    ops = _OP_RE.findall(expr)
    if not ops:
        return terms[0]
    total = int(terms[0])
    for op, term in zip(ops, terms[1:], strict=False):
        n = int(term)
        if op[0] == "加":
            total += n
        elif op[0] == "减":
            total -= n
        elif op[0] == "乘":
            total *= n
        else:
            total //= max(n, 1)
    return str(total) if total >= 0 else ""


def placed_segments(folded: str) -> Iterator[Raw]:
    """Segments labelled by their place, each a value or a sum, put in the labels' order: one mobile number; or a
    sum alone that makes one (…加上1), or a QQ-like number beside a QQ word (扣扣号等于…乘以3)."""
    placed: list[tuple[int, str]] = []
    start = -1
    for m in _LABEL.finditer(folded):
        e = _EXPR.match(folded, m.end())
        if e is None:
            continue
        rank = 0 if m.group("head") else 1 if m.group("mid") else 2
        placed.append((rank, _value(e.group("expr"))))
        start = m.start() if start < 0 else start
        if len(placed) >= 2:
            joined = "".join(d for _, d in sorted(placed, key=lambda p: p[0]))
            if _MOBILE.fullmatch(joined) is not None:
                yield ("pii", "phone", start, e.end(), "segments placed")
                return
    for e in re.finditer(f"{_TERM}(?:{_OP}{_TERM})+", folded):
        if _OP_RE.search(e.group()) is None:
            continue
        read = _value(e.group())
        if _MOBILE.fullmatch(read) is not None and read != _term(_TERM_RE.findall(e.group())[0]):
            yield ("pii", "phone", e.start(), e.end(), "sum read")
            return
        if 5 <= len(read) <= 11 and _QQ_WORD.search(folded, max(0, e.start() - 8), e.start()) is not None:
            yield ("diversion", "block", e.start(), e.end(), "sum read")
            return


# --- a handle by recipe ----------------------------------------------------------------------------------------
_SPELL: Final = "拼音|全拼|首字母|缩写|拼写|英文名"
_DATUM: Final = "生日|出生年月日?|出生年份|出生日期|年份|日期|月和日|月日|工号|尾号|后四位|后六位|区号|年龄|门牌号"
_JOIN: Final = "加上|加个|加|后面?(?:再)?(?:带上?|跟上?|接上?|加上?|加个)|后头跟上?|再接上?|接上|接着写|连上|连着写|连起来|跟上?|带上?|拼上|和|连"
_RECIPE: Final = re.compile(
    f"(?:{_SPELL}|{_DATUM})[^|]{{0,3}}?(?:{_JOIN})[^|]{{0,6}}?(?:{_SPELL}|{_DATUM}|(?<![a-z])[a-z](?![a-z]))"
)
RECIPE_ANCHORS: Final = ("拼音", "全拼", "首字母", "缩写", "拼写", "英文名", "生日")
# the recipe's subject a contact: a channel word, the speaker's own account, a search for the speaker
_SUBJECT: Final = re.compile(
    "微信|威信|薇|wx|vx|(?<![a-z])v(?![a-z])|扣(?:号|是|就是|为)|qq|企鹅|钉(?:号|账号|是|就是|上)|电报|飞机|小红书|抖音|快手"
    "|(?:我|阮|俺|偶)(?:的|那|个|嘅)?号|号(?:是|就是|为|码是)|加我|加阮|加俺|搜我|找我|一搜"
)
_BARE: Final = re.compile("(?<![0-9工编学单序型批车座账尾牌第几月])号[^|]{0,6}$")  # 号 right before the recipe (号=名字全拼+生日)
# the recipe names something else: a password, a file, an employee number (密码别设成名字拼音加生日)
_OTHER: Final = re.compile("密码|文件名|命名|工号规则|编号|学号|用户名|昵称别")


def recipes(folded: str) -> Iterator[Raw]:
    """A handle assembled by the reader from a spelling and a date (or two dates) beside a channel or the speaker's
    own account: the contact is given, only in pieces."""
    for m in _RECIPE.finditer(folded):
        if _OTHER.search(folded, max(0, m.start() - 10), m.start()) is not None:
            continue
        if (_SUBJECT.search(folded, max(0, m.start() - 16), min(len(folded), m.end() + 12)) is not None
                or _BARE.search(folded, max(0, m.start() - 8), m.start()) is not None):
            yield ("diversion", "block", m.start(), m.end(), "handle by recipe")
            return


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP); the
#: group ``notation`` (:data:`ORIGINAL`) is read on the original text by the engine (:func:`in_original`).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    ORIGINAL: POINTER_ANCHORS, COUNTED: COUNT_ANCHORS, RUNS: RUN_ANCHORS, SOLFEGE: SOLFEGE_ANCHORS,
    "placed": SEGMENT_ANCHORS, "recipe": RECIPE_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"placed": placed_segments, "recipe": recipes}
)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({})
LABELS: Final[frozenset[str]] = frozenset()
