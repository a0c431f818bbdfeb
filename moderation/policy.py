"""Role- and meaning-aware rules: what a hit means given who said it and how.

The same words mean different things from different people (standard 5.1.3 d, rules
written down in docs/moderation.md): a job seeker asking "要交押金吗？" is asking, a
host saying "入职先交两百押金" is charging (就业促进法 §41). Everything here is pure:
hits in normalised coordinates plus the clause structure in, one action per hit out.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from moderation.decision import Action
from moderation.normalize import Folded

EMPLOYER_ROLES = frozenset({"host", "recruiter"})
EMPLOYER_CONTEXTS = frozenset({"job", "interview"})
SEVERITY: dict[Action, int] = {"allow": 0, "mask": 1, "review": 2, "block": 3}

QUESTION_WORDS = ("吗", "么", "嘛", "呢", "是不是", "要不要", "有没有", "会不会", "能不能", "可不可以", "用不用",
                  "需不需要", "交不交", "收不收", "多少", "哪", "谁", "啥", "如何", "请问", "咋")  # fmt: skip
# Negation and warnings around a fee: "不收押金", "体检费公司报销", "交押金的都是骗子".
FEE_NEGATION = ("不收", "不用", "不需要", "无需", "无须", "没有", "无任何", "免费", "全免", "免收", "不要交",
                "不交钱", "不会收", "不让", "从来不", "从不", "不会让", "不扣", "不押", "严禁", "禁止", "拒绝", "谨防", "小心", "注意", "骗", "举报",
                "不要相信", "别信", "报销", "公司出", "冒充", "不要转账", "无中介", "无押金", "不存在", "公司承担", "公司负责", "公司包", "公司给", "零元")  # fmt: skip
# A fee stated with one of these is being demanded ("先交", "自理", an amount).
FEE_DEMAND = ("交", "缴", "付", "支付", "收", "转", "扣", "先", "需", "要", "准备", "带", "自理", "自费", "自己出",
              "贷", "元", "块", "百", "千", "万", "佰", "仟", "拾", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9")  # fmt: skip
# Message-level: talking ABOUT diversion to warn against it ("不用加微信，直接点报名").
DIVERSION_NEGATION = ("不用加", "不要加", "不需要加", "无需加", "别加", "不加", "不会让", "不要相信", "别信",
                      "不需要私下", "不用私下", "不要私下", "严禁", "禁止", "骗子", "谨防", "小心")  # fmt: skip
# Talking ABOUT a scheme to warn against it ("谨防刷单", "冒充我们的都是骗子"); not 不用/免费, which a
# scam's own pitch uses ("不用面试直接录用").
SCAM_NEGATION = ("谨防", "小心", "骗", "举报", "不要相信", "别信", "冒充", "警惕", "远离", "严禁", "禁止",
                 "拒绝", "不要做", "别做", "不招", "上当")  # fmt: skip
# A contact app is diversion only next to one of these, or followed by a handle.
CONTACT_BEFORE = ("加", "联系", "搜", "扫", "私", "找", "留", "添", "关注")
CONTACT_AFTER = ("号", "联系", "找", "私", "聊", "详谈", "谈", "发你", "加", "搜", "同号", "我")



def _any(words: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation: one C scan instead of a Python loop over ``in``."""
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


_QUESTION_RE = _any(QUESTION_WORDS)
_FEE_NEGATION_RE = _any(FEE_NEGATION)
_FEE_DEMAND_RE = _any(FEE_DEMAND)
_DIVERSION_NEGATION_RE = _any(DIVERSION_NEGATION)
_SCAM_NEGATION_RE = _any(SCAM_NEGATION)
_CONTACT_BEFORE_RE = _any(CONTACT_BEFORE)
_CONTACT_AFTER_RE = _any(CONTACT_AFTER)

class Hit(NamedTuple):
    """Evidence found in a message. ``original`` spans index the original text, else the folded one.

    NamedTuples here (not frozen dataclasses): several are built per flagged message.
    """

    category: str
    kind: str
    start: int
    end: int
    term: str
    original: bool = False


class Ruling(NamedTuple):
    """The action for one hit and the categories it is reported under."""

    hit: Hit
    action: Action
    categories: tuple[str, ...]


class Context:
    """The facts about one message the rules look at (computed once, lazily)."""

    def __init__(self, folded: Folded, role: str, context: str) -> None:
        self.folded = folded
        self.employer = role in EMPLOYER_ROLES or context in EMPLOYER_CONTEXTS
        self.job = context in EMPLOYER_CONTEXTS  # a post or an invitation asks nothing: no question forms
        self.name = context == "name"  # a display name is shown beside everything its owner writes
        self._diversion_negated: bool | None = None
        self._clauses: tuple[list[int], set[int]] | None = None
        self._last_pos = -1
        self._last_clause = (0, 0, False)
        self._questions: dict[int, bool] = {}  # clause start → is it a question
        self._fee_negations: dict[int, bool] = {}  # clause start → does it negate a fee

    def clause(self, pos: int) -> tuple[int, int, bool]:
        """``(start, end, ends_with_question_mark)`` of the clause holding ``pos``; a fee rule
        asks up to three times for the same hit, so the last answer is kept."""
        if pos == self._last_pos:
            return self._last_clause
        if self._clauses is None:
            self._clauses = self.folded.clauses()
        self._last_pos, self._last_clause = pos, self.folded.clause(pos, self._clauses)
        return self._last_clause

    def clause_text(self, pos: int) -> str:
        start, end, _ = self.clause(pos)
        return self.folded.text[start:end]

    def is_question(self, pos: int) -> bool:
        if self.job:
            return False
        start, end, qmark = self.clause(pos)
        known = self._questions.get(start)  # several hits in one clause: decide it once
        if known is None:
            clause = self.folded.text[start:end]
            known = self._questions[start] = qmark or _QUESTION_RE.search(clause) is not None or _a_not_a(clause)
        return known

    def fee_negated(self, hit: Hit) -> bool:
        start, end, _ = self.clause(hit.start)
        known = self._fee_negations.get(start)
        if known is None:
            known = self._fee_negations[start] = _FEE_NEGATION_RE.search(self.folded.text, start, end) is not None
        return known

    def message_fee_negated(self) -> bool:
        return _FEE_NEGATION_RE.search(self.folded.text) is not None

    def fee_demanded(self, hit: Hit) -> bool:
        start, end, _ = self.clause(hit.start)
        text = self.folded.text
        rest = text[start : hit.start] + "|" + text[hit.end : end]
        return _FEE_DEMAND_RE.search(rest) is not None

    def scam_negated(self) -> bool:
        return _SCAM_NEGATION_RE.search(self.folded.text) is not None

    def asks(self) -> bool:
        """Any clause of the message is a question: "有人让我点赞赚钱，是刷单吗" asks about a scam."""
        if self.job:
            return False
        if self._clauses is None:
            self._clauses = self.folded.clauses()
        return bool(self._clauses[1]) or _QUESTION_RE.search(self.folded.text) is not None

    def diversion_negated(self) -> bool:
        if self._diversion_negated is None:
            text = self.folded.text
            self._diversion_negated = _DIVERSION_NEGATION_RE.search(text) is not None
        return self._diversion_negated


def _a_not_a(clause: str) -> bool:
    """The A-not-A question form: 招不招, 收不收, 能不能."""
    i = clause.find("不", 1)
    while 0 < i < len(clause) - 1:
        if clause[i - 1] == clause[i + 1]:
            return True
        i = clause.find("不", i + 1)
    return False


def contact_cue(folded: str, start: int, end: int) -> bool:
    """A contact app next to an add/contact verb: 加微信, 微信号, 绿泡泡找我."""
    return (
        _CONTACT_BEFORE_RE.search(folded, max(0, start - 6), start) is not None
        or _CONTACT_AFTER_RE.match(folded, end) is not None
    )


def can_matter(hit: Hit, employer: bool) -> bool:
    """Cheap pre-check without clauses: False when :func:`rule` would surely return None.

    Lets the common clean message ("要交押金吗？" from a job seeker) skip the offset map.
    """
    if employer:
        return True
    return not (hit.category == "fee" and hit.kind != "fraud") and not (
        hit.category == "discrimination" and hit.kind == "review"
    )


def rule(hit: Hit, ctx: Context) -> Ruling | None:
    """One hit → its ruling, or None when it is harmless in this context."""
    cat = hit.category
    if cat == "fee":
        return _fee(hit, ctx)
    if cat == "diversion":
        return _diversion(hit, ctx)
    if cat == "harassment":  # the same for every role
        return Ruling(hit, "review" if hit.kind == "review" else "block", ("harassment",))
    if cat == "discrimination":
        return _discrimination(hit, ctx)
    if cat == "pii":
        return _pii(hit, ctx)
    if cat == "scam":
        return _scam(hit, ctx)
    return None


def _fee(hit: Hit, ctx: Context) -> Ruling | None:
    """就业促进法 §41 and 人力资源市场暂行条例 §27: fees asked of job seekers."""
    if ctx.fee_negated(hit):
        return None
    if hit.kind == "fraud":  # 刷单, 培训贷, 押身份证: unlawful whoever promotes it
        return None if ctx.is_question(hit.start) else Ruling(hit, "block", ("fee",))
    if not ctx.employer:
        return None  # a job seeker asking about, or reporting, a fee
    if ctx.is_question(hit.start):  # echoing a question: "押金？我们没有押金这一说"
        return None if ctx.message_fee_negated() else Ruling(hit, "review", ("fee",))
    demanded = hit.kind == "deposit" or ctx.fee_demanded(hit)  # 押两百: the amount is the demand
    return Ruling(hit, "block" if demanded else "review", ("fee",))


def _diversion(hit: Hit, ctx: Context) -> Ruling | None:
    """Standard 5.1.3 d (导流): contact outside the platform."""
    if ctx.diversion_negated():
        return None
    if ctx.employer or ctx.name:
        return Ruling(hit, "block", ("diversion",))
    if ctx.is_question(hit.start):
        return None  # "怎么加你微信？" — asking is not diverting others
    return Ruling(hit, "review", ("diversion",))


def _discrimination(hit: Hit, ctx: Context) -> Ruling | None:
    """人力资源市场暂行条例 §24, 就业促进法 §26-31, 妇女权益保障法 §43."""
    if hit.kind == "review":  # age limits, questions about marriage and children
        return Ruling(hit, "review", ("discrimination",)) if ctx.employer else None
    if ctx.employer:
        return Ruling(hit, "block", ("discrimination",))
    if ctx.is_question(hit.start):
        return None  # "是不是只要女生？"
    return Ruling(hit, "review", ("discrimination",))


def _scam(hit: Hit, ctx: Context) -> Ruling | None:
    """Harmful recruiting content (gambling, pyramid selling, 刷单, 培训贷, escort work): unlawful whoever
    posts it; an unfounded promise (包就业, 日赚千元) is held for a person. Asking or warning is not posting."""
    if ctx.scam_negated() or ctx.is_question(hit.start):
        return None
    if hit.kind == "review":
        return Ruling(hit, "review", ("scam",)) if ctx.employer else None
    if not ctx.employer:  # a seeker passing a scam on is held; one asking about it is not
        return None if ctx.asks() else Ruling(hit, "review", ("scam",))
    return Ruling(hit, "block", ("scam",))


def _pii(hit: Hit, ctx: Context) -> Ruling | None:
    """个人信息保护法 §5-6 and standard 4.4.1 c: personal data in public chat."""
    if not ctx.employer:
        return Ruling(hit, "mask", ("pii",))  # a job seeker's own number: deliver it masked
    if hit.kind in ("phone", "email"):  # the employer side publishing a contact diverts
        return Ruling(hit, "block", ("diversion", "pii"))
    if hit.kind == "mask":  # a listed term, e.g. asking for ID photos in chat
        return Ruling(hit, "review", ("pii",))
    return Ruling(hit, "block", ("pii",))
