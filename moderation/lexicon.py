"""Word lists per category, shipped as data files and extendable at run time.

A :class:`Lexicon` holds raw terms per scope (``None`` = global, or an organisation
id); it is plain data. :class:`Automaton` compiles one scope's terms, after the same
normalisation as messages, into one Aho–Corasick automaton (pyahocorasick, C), so a
message is scanned once whatever the number of terms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import ahocorasick

from moderation import baits, charges, families, fast, grounds, harms, lures, menace, offsite, shapes, snares
from moderation.decision import CATEGORIES
from moderation.normalize import Normalizer

if TYPE_CHECKING:
    from moderation import _fastscan

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
ALLOW: Final = "allow"  # pseudo-category: harmless phrases that cancel hits inside them
ANCHOR: Final = "anchor"  # pseudo-category: cheap triggers for the regex detectors

DEFAULT_KIND = {"fee": "item", "diversion": "divert", "harassment": "block", "discrimination": "block",
                "pii": "mask", "scam": "block", ALLOW: "allow"}  # fmt: skip
KINDS = {
    "fee": {"item", "fraud", "deposit"},
    "diversion": {"divert", "app"},
    "harassment": {"block", "review"},
    "discrimination": {"block", "review"},
    "pii": {"mask"},
    "scam": {"block", "review"},
    ALLOW: {"allow"},
}

# Detector groups and the words that make running them worthwhile (see detectors.py).
GATED = frozenset({"gender", "hbv", "ethnic", "region", "marital", "school", "disability", "looks", "elder", "ground"})
ANCHORS: dict[str, tuple[str, ...]] = {
    "gender": ("男", "女", "姑娘", "小伙", "帅哥", "妹子", "小妹"),
    "hbv": ("乙肝", "小三阳", "大三阳", "两对半", "肝功能"),
    "ethnic": ("族", "汉人"),
    "region": ("户籍", "户口", "籍贯", "河南", "河北", "山东", "山西", "四川", "湖南", "湖北", "安徽", "江西", "贵州", "云南", "广西",
               "广东", "福建", "甘肃", "青海", "宁夏", "内蒙", "黑龙江", "吉林", "辽宁", "东北", "潮汕", "江苏",
               "浙江", "陕西", "重庆", "海南", "外地", "外省", "农村", "新疆", "西藏", "本地", "本市", "本省",
               "本区", "城镇", "城市"),
    "marital": ("孕", "哺乳", "生育", "生孩子", "生小孩", "年内", "婚", "育", "孩子", "小孩", "宝妈", "没生", "未生", "生过", "结婚", "成家", "单身", "产假"),
    "age": ("岁", "0后", "5后", "之间"),
    "ground": grounds.GROUNDS,
    "spec": grounds.SPEC_ANCHORS,
    "career": shapes.CAREER_ENDS,  # round 11: family shapes (moderation/shapes.py)
    "loan": shapes.LOAN_WORDS,
    "selfpay": shapes.SELF_PAY,
    "payfirst": shapes.PAY_FIRST,
    "favour": shapes.FAVOURS,
    "refusal": grounds.ANCHORS,  # no detector: the "ground" group runs only beside one of these  # round 11: a ground, then a refusal a few words later (moderation/grounds.py)
    "elder": ("年纪大", "年龄大", "岁数大", "年纪偏大", "年龄偏大", "上了年纪", "大龄", "中年"),
    "disability": ("残疾", "残障", "聋", "哑巴", "盲人", "视障", "听障", "瘸子", "轮椅"),
    "looks": ("长得胖", "长得矮", "长得丑", "长得黑", "个子矮", "皮肤黑", "口音重", "口音太重", "不标准"),
    "school": ("985", "211", "双一流", "统招", "重点", "名校", "名牌", "一本", "海归", "第一学历", "全日制", "自考", "成考",
               "成人高考", "函授", "专升本", "民办", "三本", "二本", "电大", "网络教育"),
    "address": ("家住", "我家", "我住", "住址", "家庭地址", "居住地", "住在", "俺家", "咱家", "额家", "偶家", "阿拉", "屋头", "屋里", "俺屋", "我屋",
                "现居", "俺们家"),  # round 14: dialect first persons
    "deposit": ("押", "压"),
    # a payment verb directly followed by an amount: 交80, 充值298, 付两百
    "pay": tuple(v + d for v in ("交", "缴", "缴纳", "付", "充", "充值", "转", "转账", "打", "转我", "打给") for d in "0123456789一二两三四五六七八九十几"),
    "id_card": ("身份证", "毕业证", "学历证", "学位证", "护照"),
    # Not a detector: every pattern of the GATED groups holds one of these words (a limit, a refusal, a
    # test, a negation), so a message without any of them skips those groups' regexes (issue 14: speed).
    "gate": ("唔请", "唔要", "唔收", "不请", "只招", "仅招", "只要", "只收", "只考虑", "仅考虑", "只看", "要求", "限", "优先", "勿扰", "莫扰", "不要",
             "免谈", "不招", "不收", "不考虑", "别来", "别报", "不用报", "除外", "不行", "不可以", "谢绝", "拒绝", "查",
             "检测", "需要", "无", "非", "没有", "不能", "不得", "不许", "不准", "年内", "不是", "才要", "才行", "才可以",
             "第一学历", "算了", "才招", "才收", "刷掉", "过不了", "干不了", "不录用", "不稳定", "拒收", "不认", "不承认",
             "不算数", "不看", "没法安排", "安排不了", "不好安排", "不给安排", "用不了", "别浪费时间", "不接受", "不欢迎",
             "婉拒", "恕不", "不予考虑", "一概不", "辞退", "走人", "离职", "开除", "滚蛋",
             "别投", "莫来", "甭来", "不用来", "不想要", "不太想要", "进不去", "录不进", "进不了", "不用面", "不录",
             "不太要", "甭费劲", "甭报", "不予处理", "就算了", *grounds.PRE_REFUSALS, *grounds.BARE_PRE_ANCHORS,  # round 15: 不太要…; 16: 不收回民
             "自己掂量", "掂量掂量", "pass", "不用递", "别递", "甭想了", "别想了",  # round 17: a refusal by hint (个子矮长得着急的自己掂量)
             "宁愿", "宁可", "空着也", "轮不到", "惦记",
             "冇得要", "冇要", "别给我推", "别推", "莫推", "须为", "须是"),  # round 18 (batch 20 read)  # round 18: by preference or exclusion (老太太腿脚慢，我们宁愿空着)
    "cash": ("现金", "带上", "准备", "备好", "拿上", "工服", "工衣", "工装", "制服", "被褥", "床上用品", "饭卡", "工牌",
             "胸牌", "门禁卡", "健康证", "工具", "材料包", "资料包", "头盔", "餐箱", "劳保", "对讲机", "装备", "工鞋",
             "保安服", "保险", "意外险", "平板", "电脑"),
    "course": shapes.COURSE_ANCHORS,  # round 13: course books and exams with a price (课本和考试一共二百四)
    # a cue directly followed by a handle's start (a letter, or two digits): plain 号 ("15号面试") and "扣1"
    # (a call to action) keep their fast path
    # (after 号 not 13–19 either: a mobile number there is personal data, found without this group)
    "handle": tuple(cue + c for cue in ("号", "号是", "号为", "号码", "号码是", "扣", "抠", "寇", "蔻", "扣号", "扣是")
                    for c in (*"abcdefghijklmnopqrstuvwxyz", *(a + b for a in "0123456789" for b in "0123456789"))
                    if not (cue[0] == "号" and c[0] == "1" and c[1:] in "3456789" and c[1:])),
    "insult": ("滚",),
    "landline": ("座机", "固话", "热线", "电话0", "电话4", "致电", "拨打"),
    **families.ANCHORS,  # round 12: family shapes (moderation/families.py)
    **harms.ANCHORS, **lures.ANCHORS,  # round 14: harassment and scam shapes (moderation/harms.py, lures.py)
    **menace.ANCHORS,  # round 15: menace, exposure and leering (moderation/menace.py)
    **charges.ANCHORS, **offsite.ANCHORS, **baits.ANCHORS,  # round 15: moderation/charges.py, offsite.py, baits.py
    **snares.ANCHORS,  # round 16: moderation/dialled.py, nightly.py, payouts.py, buyins.py
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Entry:
    """One term as written in a lexicon file, with what kind of evidence it is."""

    category: str
    kind: str
    term: str


def parse(category: str, text: str) -> list[Entry]:
    """Lines ``term`` or ``term<TAB>kind``; ``#`` starts a comment line."""
    entries = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, _, kind = line.partition("\t")
        kind = kind.strip() or DEFAULT_KIND[category]
        if kind not in KINDS[category]:
            raise ValueError(f"{category}: unknown kind {kind!r} for {term!r}")
        entries.append(Entry(category, kind, term))
    return entries


class Lexicon:
    """Terms per scope. ``add`` is how organisations extend it without a restart."""

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        self._scopes: dict[str | None, list[Entry]] = {None: list(entries)}
        self.version = 0

    @classmethod
    def from_directory(cls, directory: Path = LEXICON_DIR) -> Lexicon:
        entries: list[Entry] = []
        for category in (*CATEGORIES, ALLOW):
            for path in (directory / f"{category}.txt", directory / f"{category}.pinyin.txt"):
                if path.exists():
                    entries.extend(parse(category, path.read_text(encoding="utf-8")))
        return cls(entries)

    def add(self, category: str, terms: Iterable[str], *, org: str | None = None, kind: str | None = None) -> None:
        if category not in KINDS:
            raise ValueError(f"unknown category {category!r}; known: {', '.join(KINDS)}")
        kind = kind or DEFAULT_KIND[category]
        if kind not in KINDS[category]:
            raise ValueError(f"unknown kind {kind!r} for {category}")
        new = [Entry(category, kind, t) for t in terms if t.strip()]
        self._scopes.setdefault(org, []).extend(new)
        self.version += 1

    def entries(self, org: str | None = None) -> list[Entry]:
        return list(self._scopes.get(org, ()))

    def orgs(self) -> list[str]:
        return [o for o in self._scopes if o is not None]


# (length, ((category, kind, term, term_is_latin), ...)); the Latin flag is precomputed so
# the engine checks word boundaries only for Latin terms (sb, vx), not for every hit.
Payload = tuple[int, tuple[tuple[str, str, str, bool], ...]]


class Automaton:
    """One compiled scope: normalised term → every (category, kind) it stands for.

    ``compiled=True`` builds the C automaton (:mod:`moderation.fast`) instead of
    pyahocorasick's; ``iter`` yields the same ``(end_index_inclusive, payload)`` pairs.
    """

    def __init__(
        self, normalizer: Normalizer, entries: Iterable[Entry], *, anchors: bool, compiled: bool = False
    ) -> None:
        merged: dict[str, list[tuple[str, str, str, bool]]] = {}
        for e in entries:
            folded = normalizer.fold(e.term)
            if folded:
                merged.setdefault(folded, []).append((e.category, e.kind, folded, folded.isascii()))
        if anchors:
            for group, words in ANCHORS.items():
                for word in words:
                    merged.setdefault(word, []).append((ANCHOR, group, word, word.isascii()))
        self.size = len(merged)
        payloads: list[Payload] = [(len(folded), tuple(dict.fromkeys(values))) for folded, values in merged.items()]
        # ``iter`` is the C method itself when there is something to find: one call less per message.
        self.iter: Callable[[str], Iterable[tuple[int, Payload]]] = _nothing_found
        self.matcher: _fastscan.Matcher | None = None
        if compiled:
            self.matcher = fast.matcher(list(merged), payloads)
            self.iter = self.matcher.find
            return
        self._automaton = ahocorasick.Automaton()
        for folded, payload in zip(merged, payloads, strict=True):
            self._automaton.add_word(folded, payload)
        if merged:
            self._automaton.make_automaton()
            self.iter = self._automaton.iter


def _nothing_found(folded: str) -> Iterator[tuple[int, Payload]]:
    """``(end_index_inclusive, payload)`` for every occurrence of every term: none here."""
    return iter(())
