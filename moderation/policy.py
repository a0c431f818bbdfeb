"""Role- and meaning-aware rules: what a hit means given who said it and how.

The same words mean different things from different people (standard 5.1.3 d, rules
written down in docs/moderation.md): a job seeker asking "要交押金吗？" is asking, a
host saying "入职先交两百押金" is charging (就业促进法 §41). Everything here is pure:
hits in normalised coordinates plus the clause structure in, one action per hit out.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from moderation import benign, fast, grounds, required  # round 24: required.gated
from moderation.alternation import compile_words as _any  # a longest-first word alternation, as a prefix tree
from moderation.anchored import app_refused, not_asked, scheme_refused  # behind a last-character test
from moderation.deceits import FALSE_PAPER  # round 22: 假的 is the goods sold, not a warning
from moderation.decision import Action
from moderation.demands import demanded_near  # round 18: behind a per-hit memo
from moderation.exposure import dress_forbidden  # round 17: 不要穿吊带拖鞋 is a dress code
from moderation.lawful import (  # imported by name: mypyc calls them natively (round 13: measured)
    REIMBURSED,
    a_not_a,
    called_unlawful,
    child_labour_refused,
    closed_to_women,
    courtesy,
    described_refused,
    fee_cleared,
    fee_refused_before,
    members_pay,
    misread,
    not_a_contact,
    offers,
    order_number,
    other_collects,
    own_card,
    pitched,
    refusal_within_reach,
    self_said,
    told_past,
)
from moderation.normalize import Folded, clause_at
from moderation.wording import (
    ADVANCED,
    DIVERSION_NEGATION,
    FEE_NEGATION,
    HARM,
    QUESTION_WORDS,
    REPORTED,
    SCAM_NEGATION,
    SEEKER_PAST,
)

EMPLOYER_ROLES: Final = frozenset({"host", "recruiter"})
EMPLOYER_CONTEXTS: Final = frozenset({"job", "interview"})
SEVERITY: Final[dict[Action, int]] = {"allow": 0, "mask": 1, "review": 2, "block": 3}

_ADVANCED_RE: Final = required.gated(re.compile("|".join(ADVANCED)))
_CLAWBACK: Final = required.gated(re.compile("扣回|扣除|工资里扣|工资中扣|从工资|再扣|还给公司|还公司|慢慢还|分期还"))
# "押金三百，没得商量": a negation word that closes the bargaining, not the fee.
_NOT_A_DENIAL: Final = "(?!商量|讲价|少|便宜|退|还价)"
# "不交押金就不能入职": a refusal that is itself the condition of a demand.
_FEE_CONDITION: Final = required.gated(re.compile("(?:不交|不缴|不付|不给|冇交|冇缴|冇付|唔交|唔俾)[^|]{0,8}?(?:(?:的|就)(?:不|没|别想|无法)|不能|不让|不给|不予|无法|没法|别想|不准|不得|不可以|不安排|不排)|冇(?:交|缴|付)[^|]{0,8}?[个的]莫"))  # Gan: 冇交报名费个莫排队; round 22: Cantonese 冇交/唔俾…就不排班
_ZERO_BEFORE: Final = frozenset("0零无免")  # a fee written as nothing: "0押金", "零费用", "无押金", "免押金"
# A later clause calling it a fraud: "遇到要你垫付的，一定是诈骗" (not "我们不是骗子，押金会退").
_WARNING: Final = required.gated(_any(("诈骗", "骗局", "是骗子", "都是骗", "骗人的", "报警", "举报", "被骗", "就是骗", "别上当", "不要上当", "莫上当"), ("不是", "不会")))
_HARM_RE: Final = required.gated(_any(HARM, "不没无"))  # searched for a yes or no only: the words' order does not matter
# Someone else's demand, told by the employer to disown it: "有人在微信上收押金，那不是我们".
_OTHERS: Final = required.gated(re.compile("有人|别人|冒充|谁让你|谁找你|谁跟你|谁要你"))
_REIMBURSED: Final = required.gated(REIMBURSED)

_QUESTION_RE: Final = required.gated(_any(QUESTION_WORDS))
_FEE_NEGATION_RE: Final = required.gated(re.compile("(?:" + _any(FEE_NEGATION).pattern + ")" + _NOT_A_DENIAL))
# A denial anywhere in the message (not a bare "注意"/"小心", which also open a demand: "注意了，先转800确认名额")
_FEE_DENIED_RE: Final = required.gated(re.compile("(?:" + _any(tuple(w for w in FEE_NEGATION if w not in ("注意", "小心", "谨防"))).pattern + ")" + _NOT_A_DENIAL))
_DIVERSION_NEGATION_RE: Final = required.gated(_any(DIVERSION_NEGATION))
_SCAM_NEGATION_RE: Final = required.gated(_any(SCAM_NEGATION))
# What the learned stage would hold, said as a warning or a denial: its n-grams see the scheme, not the warning.
_MODEL_WARNED_RE: Final = {
    "scam": _any((*SCAM_NEGATION, "别去", "千万别", "都别", "别碰", "不签", "不涉及", "不办", "坑")),
    "fee": re.compile(f"(?:{_FEE_NEGATION_RE.pattern.pattern})|(?:{_HARM_RE.pattern.pattern})|不强制|非强制|自愿"),  # 13: …这是违法的; 20: a choice
    "diversion": _DIVERSION_NEGATION_RE.pattern,
    "discrimination": _any(("都行", "都可以", "都能", "不限", "均可", "都要", "都招", "欢迎", "也可以", "也能", "无所谓", "没关系", "也收", "一个样", "都一样", "一视同仁", "不在单子上", "不查", "不检查", "不做检测")),  # 已婚未婚都行; round 21: 一个样; 22: 不查
}
_PAYER_BEFORE: Final = required.gated(re.compile("(?:公司|厂里|厂方|老板|单位)[^|]{0,4}$"))
_JOB_NATURE: Final = required.gated(re.compile("|".join(f"{s}(?:生|职工|工|士)?(?:浴室|宿舍|更衣室|卫生间|厕所|寝室?|生楼|病房|澡堂)" for s in "女男") + "|岗位性质|工作性质|特殊工种"))  # round 21: 女X|男X, not [女男]X: every branch starts with a literal (``re`` skips to them), same matches
_EITHER_WAY: Final = re.compile("(.)不\\1(?:都行|都可以|也行|均可|都能|无所谓|没关系|都要|都收|都招)"  # "会不会都行" asks nothing
                         "|谁(?:有|的|手上有|家有)[^|]{0,10}?(?:借|租|卖|转|出|给)(?:给)?我|猜[^|]{0,10}?(?:多少|几|哪|谁|啥)")  # round 19: 谁有闲置银行卡借我 asks for it; round 21: 下注猜…多少吨 is a wager's object
_NO_MATTER: Final = required.gated(re.compile("都没关系|没关系|都不影响|不影响录用|不影响入职|都可以|都行|均可|都欢迎|无所谓|不会问|不问|不能问|不许问|不得问|不打听|不做要求|不用填|无需填|不需要填|不必填"))  # "有没有孩子都不影响录用", "婚育情况不会问"; round 17: "婚育情况属于不能问的"
_QUOTED_INSULT_RE: Final = required.gated(re.compile("骂|说我是|说我们是|说是|叫我|让我|要我|说谁"))
_INSULT_ANSWERED_RE: Final = required.gated(re.compile("举报|拉黑|投诉|辞职|换个工作|换工作|不想干了|踢|禁言|封号|管管|不会这样|不会说"))
_IF_SOMEONE_RE: Final = required.gated(re.compile("有人|谁要是|谁敢|要是有人|如果有人|万一有人|遇到"))
_REPORT_ADVICE_RE: Final = required.gated(re.compile("截图|找平台|平台客服|留证据|留好证据|报警|举报|投诉"))
_REPORTED_RE: Final = required.gated(_any(REPORTED))
_SEEKER_PAST_RE: Final = required.gated(_any(SEEKER_PAST))

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


_RULING: Final = fast.tuple_maker(Ruling, 3)  # built in C: a NamedTuple's __new__ is interpreted (round 14)

class Context:
    """The facts about one message the rules look at (computed once, lazily)."""

    def __init__(self, folded: Folded, role: str, context: str) -> None:
        self.folded = folded
        self.employer = role in EMPLOYER_ROLES or context in EMPLOYER_CONTEXTS
        self.job = context in EMPLOYER_CONTEXTS  # a post or an invitation asks nothing: no question forms
        self.name = context == "name"  # a display name is shown beside everything its owner writes
        self.resume = context == "resume"
        self._diversion_negated: bool | None = None
        self._scam_negated: bool | None = None  # a message with two scheme terms asks once
        self._clauses: tuple[list[int], set[int]] | None = None
        self._last_pos = -1
        self._last_clause = (0, 0, False)
        self._questions: dict[int, bool] = {}  # clause start → is it a question
        self._fee_negations: dict[int, bool] = {}  # clause start → does it negate a fee
        self._demand_hit: Hit | None = None  # round 18: fee_negated and _fee ask about the same hit
        self._demanded = False

    def clause(self, pos: int) -> tuple[int, int, bool]:
        """``(start, end, ends_with_question_mark)`` of the clause holding ``pos`` (the last answer is kept)."""
        if pos == self._last_pos:
            return self._last_clause
        if self._clauses is None:
            self._clauses = self.folded.clauses()
        self._last_pos, self._last_clause = pos, clause_at(self._clauses, pos, len(self.folded.text))  # a native call
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
            if "不" in clause or "谁" in clause or "猜" in clause:
                clause = _EITHER_WAY.sub("", clause)
            known = self._questions[start] = qmark or _QUESTION_RE.search(clause) is not None or a_not_a(clause)
        return known

    def fee_negated(self, hit: Hit) -> bool:
        """A fee refused, reimbursed or warned against in its clause ("不收押金"), written as zero ("0押金",
        "零费用"), or a bare list of fees answered by the next clause ("押金、服装费，一律没有")."""
        text = self.folded.text
        before = text[hit.start - 1] if hit.start > 0 else ""
        if before and before in _ZERO_BEFORE and not (before == "0" and hit.start > 1 and text[hit.start - 2].isdigit()):
            return True  # not "200押金"
        start, end, _ = self.clause(hit.start)  # unpacked: a starred call is a generic one (round 17)
        if fee_refused_before(text, hit.start, hit.end) or described_refused(text, hit.start, hit.end, start, end):
            return True  # round 13b: "来了包吃包住不要押金", "不是交钱学技术"; round 14: "不是那种先交钱再包分配的中介"
        known = self._fee_negations.get(start)
        if known is None:
            known = _FEE_NEGATION_RE.search(text, start, end) is not None or _HARM_RE.search(text, start, end) is not None
            if known and _FEE_CONDITION.search(text, start, end) is not None:
                known = False
            if known and _ADVANCED_RE.search(text, start, end) is not None and _CLAWBACK.search(text) is not None:
                known = False  # advanced, then taken back: "体检费公司先垫，第一个月工资里扣回"
            if not known and end < len(text):
                known = _WARNING.search(text, end) is not None
            self._fee_negations[start] = known  # the clause's own answer; what depends on the hit is never cached
        if not known and end < len(text) and (not self.fee_demanded(hit) or _OTHERS.search(text, max(0, start - 12), hit.start) is not None):
            next_start, next_end, _ = self.clause(end)  # round 13b: 有人冒充… in the clause before counts
            known = _FEE_NEGATION_RE.search(text, next_start, next_end) is not None or called_unlawful(text, next_start, next_end)
            self.clause(hit.start)  # keep the cached clause the hit's own
        if (not known and end < len(text) and hit.kind != "deposit" and "押" not in hit.term and "保证" not in hit.term
                and _REIMBURSED.search(text, end) is not None):
            known = _FEE_CONDITION.search(text, end) is None
        if not known and hit.end > end:  # the term straddles a comma: "需办理健康证，费用公司报销"
            next_start, next_end, _ = self.clause(hit.end - 1)
            known = _FEE_NEGATION_RE.search(text, next_start, next_end) is not None
            self.clause(hit.start)
        return known

    def seeker_past(self) -> bool:
        """A job seeker's own or an acquaintance's experience, told (not offered)."""
        return not self.employer and _SEEKER_PAST_RE.search(self.folded.text) is not None

    def scheme_refused(self, hit: Hit) -> bool:
        """The words just before a scheme refuse it ("不陪酒", "我们不做博彩", "不是传销"), or it lies in a refused
        description ("不是那种交钱学技术包分配的培训班", round 14)."""
        text = self.folded.text
        if scheme_refused(text, max(0, hit.start - 4), hit.start):
            return True
        if not refusal_within_reach(text, hit.start):  # most hits: no clause looked up (round 17)
            return False
        start, end, _ = self.clause(hit.start)
        return described_refused(text, hit.start, hit.end, start, end)

    def quoted_question(self, hit: Hit) -> bool:
        """The employer repeats a viewer's question before answering it: "有人问体检费谁出"."""
        start, _, _ = self.clause(hit.start)
        return "问" in self.folded.text[start : hit.start]

    def quoted_insult(self, hit: Hit) -> bool:
        """An insult reported ("骂我们…", "有人说我是…") and asked about or answered (举报, 拉黑, 踢出), or advice."""
        before = self.folded.text[: hit.start]
        if _QUOTED_INSULT_RE.search(before) is None:  # round 11: "谁要是骚扰你，截图发给平台客服" is advice
            return _IF_SOMEONE_RE.search(before) is not None and _REPORT_ADVICE_RE.search(self.folded.text, hit.end) is not None
        return (not self.employer and self.asks()) or _INSULT_ANSWERED_RE.search(self.folded.text) is not None

    def first_person(self, hit: Hit) -> bool:
        """A seeker's own wish ("我只要白班"), not a rule set for others ("我们只要男的")."""
        start, _, _ = self.clause(hit.start)
        before = self.folded.text[start : hit.start]
        return "我" in before.replace("我们", "")

    def reported(self, hit: Hit) -> bool:
        """Someone else's act, told by a seeker: "有人私信我说交钱", "对方让我加微信"."""
        start, _, _ = self.clause(hit.start)
        return _REPORTED_RE.search(self.folded.text, start, hit.start) is not None

    def message_fee_negated(self) -> bool:
        return _FEE_NEGATION_RE.search(self.folded.text) is not None

    def fee_demanded(self, hit: Hit) -> bool:
        """A demand word or an amount right beside the fee in its clause (``demands.demanded_near``), asked
        once per hit: ``fee_negated`` and ``_fee`` both ask for most fee hits."""
        if hit is not self._demand_hit:
            start, end, _ = self.clause(hit.start)
            self._demand_hit, self._demanded = hit, demanded_near(self.folded.text, hit.start, hit.end, start, end)
        return self._demanded

    def scam_negated(self) -> bool:
        if self._scam_negated is None:
            text = self.folded.text
            self._scam_negated = _SCAM_NEGATION_RE.search(text) is not None or _HARM_RE.search(text) is not None
        return self._scam_negated

    def asks(self) -> bool:
        """Any clause of the message is a question: "有人让我点赞赚钱，是刷单吗" asks about a scam."""
        if self.job:
            return False
        if self._clauses is None:
            self._clauses = self.folded.clauses()
        return bool(self._clauses[1]) or _QUESTION_RE.search(self.folded.text) is not None

    def diversion_negated(self) -> bool:
        if self._diversion_negated is None:
            m = _DIVERSION_NEGATION_RE.search(text := self.folded.text)
            while m is not None and m.start() > 0 and text[m.start() - 1] == text[m.start() + 1 : m.start() + 2]:
                m = _DIVERSION_NEGATION_RE.search(text, m.end())  # round 23: 能不能私下 asks (A-not-A), it refuses nothing
            self._diversion_negated = m is not None
        return self._diversion_negated


def can_matter(hit: Hit, employer: bool) -> bool:
    """Cheap pre-check without clauses: False when :func:`rule` would surely return None ("要交押金吗？")."""
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
        if (hit.term[0] == "滚" and hit.start > 0 and ctx.folded.text[hit.start - 1] == "我") or self_said(ctx.folded.text, hit.start, hit.term):
            return None  # said of oneself: "我滚回家算了"; round 14: "我脑子进水了才会去", "感觉我在这行混不下去了"
        text = ctx.folded.text
        if text.endswith("不是", 0, hit.start) and not text.endswith(("是不是", "怕不是", "莫不是"), 0, hit.start):
            return None  # "我们这边不是垃圾公司", but "主播是不是脑子有病" asks nothing kind
        if hit.term == "二百五" and text.endswith(("一个", "每个", "共", "交", "收", "价", "付"), 0, hit.start):
            return None  # a price, 250: "办骑手证，一个二百五"
        if ctx.quoted_insult(hit) or dress_forbidden(text, hit.start, hit.term):
            return None  # "主管天天骂我们傻逼，这正常吗", "有人说我是傻叉，已经拉黑了": abuse reported, not given
        return _RULING(hit, "review" if hit.kind == "review" else "block", ("harassment",))
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
        if ctx.is_question(hit.start) or ctx.scheme_refused(hit) or (ctx.seeker_past() and not offers(ctx.folded.text)):
            return None  # round 15: as for a scam, a telling that ends in an offer passes the scheme on
        return _RULING(hit, "block", ("fee",))
    if (not ctx.employer or fee_cleared(clause := ctx.clause_text(hit.start)) or other_collects(ctx.folded.text, clause)
            or members_pay(ctx.folded.text, hit.start, hit.end, hit.term)):  # round 14: 负责会员充值 is the job, not a fee
        return None  # a job seeker asking about, or reporting, a fee; round 13: 要你交八千学费的那是培训机构, 园方承担
    if ctx.is_question(hit.start):  # echoing a question: "押金？我们没有押金这一说", "有人问体检费谁出"
        return None if ctx.message_fee_negated() or ctx.quoted_question(hit) else _RULING(hit, "review", ("fee",))
    if hit.term == "pay+amount" and _PAYER_BEFORE.search(ctx.folded.text, max(0, hit.start - 8), hit.start):
        return None  # the company is the one paying: "饭卡公司每月充三百"
    demanded = hit.kind == "deposit" or ctx.fee_demanded(hit)  # 押两百: the amount is the demand
    if not demanded and _FEE_DENIED_RE.search(ctx.folded.text) is not None:
        return None  # named, not asked for, and denied elsewhere: "有人问押金，我再说一遍，没有押金"
    return _RULING(hit, "block" if demanded else "review", ("fee",))


def _diversion(hit: Hit, ctx: Context) -> Ruling | None:
    """Standard 5.1.3 d (导流): contact outside the platform."""
    if ctx.diversion_negated() or app_refused(ctx.folded.text, max(0, hit.start - 12), hit.start):
        return None
    if not_a_contact(ctx.folded, hit.start, hit.end, hit.term) or (hit.term.startswith("你的") and benign.privacy_told(ctx.folded.text, hit.end)):
        return None  # round 13: 参加我们 (no 加我), 站内私信我, 加我们直播间的粉丝团, 城市发公屏
    if ctx.employer or ctx.name:
        return _RULING(hit, "block", ("diversion",))
    if ctx.is_question(hit.start) or ctx.reported(hit) or told_past(ctx.clause_text(hit.start)):
        return None  # "怎么加你微信？" — asking is not diverting others; nor is telling what someone did
    return _RULING(hit, "review", ("diversion",))


def _discrimination(hit: Hit, ctx: Context) -> Ruling | None:
    """人力资源市场暂行条例 §24, 就业促进法 §26-31, 妇女权益保障法 §43."""
    if hit.kind == "review":  # age limits, questions about marriage and children; not "面试不会问婚育情况"
        text = ctx.folded.text
        _, end, _ = ctx.clause(hit.start)
        asked = not not_asked(text, max(0, hit.start - 6), hit.start) and _NO_MATTER.search(text, hit.end, end) is None
        return _RULING(hit, "review", ("discrimination",)) if ctx.employer and asked else None
    if hit.term in grounds.TESTS and grounds.test_not_done(ctx.folded.text, hit.start, hit.end, *ctx.clause(hit.start)[:2]):
        return None  # a screening the host says is not done: "我们不验孕", "乙肝五项不查的"
    if hit.term == grounds.LABEL and not grounds.ends_clause(ctx.folded.text, hit.end, ctx.clause(hit.end - 1)[1]):
        return None  # a ground and a refusal of something else: "宝妈也可以，不要担心"
    if hit.term == "女士优先" and courtesy(ctx.folded.text, hit.end):
        return None  # round 13b: "女士优先上车" is a courtesy, not a hiring preference
    if ctx.employer:  # a limit justified by the job's nature (女浴室保洁) may be lawful: a person decides
        if "男" in hit.term and closed_to_women(ctx.folded, hit.start):
            return None  # round 13: 矿山井下作业 is closed to women by law (女职工劳动保护特别规定, 附录 1)
        justified = _JOB_NATURE.search(ctx.folded.text) is not None
        return _RULING(hit, "review" if justified else "block", ("discrimination",))
    if ctx.is_question(hit.start) or ctx.first_person(hit) or ctx.resume or (hit.term == grounds.LABEL and ctx.is_question(hit.end - 1)):
        return None  # "是不是只要女生？", "我只要本地的岗位"; a resume describes its writer; round 23: …阳性，是不是就没戏了？
    return _RULING(hit, "review", ("discrimination",))


def _scam(hit: Hit, ctx: Context) -> Ruling | None:
    """Harmful recruiting content (gambling, pyramid selling, 刷单, 培训贷, escort work): unlawful whoever
    posts it; an unfounded promise (包就业, 日赚千元) is held for a person. Asking or warning is not posting."""
    if (ctx.scam_negated() and hit.term != FALSE_PAPER) or ctx.scheme_refused(hit) or (ctx.seeker_past() and not offers(ctx.folded.text)):
        return None  # round 14: a told experience that ends in an offer passes the scheme on; round 22: 假的 sold
    if ("名下" in hit.term and own_card(ctx.folded.text, hit.start, ctx.clause_text(hit.start))) or (
        hit.term[0] in "0123456789" and misread(ctx.folded.text, hit.start, hit.term)
    ) or (hit.term == "陪玩" and benign.game_companion(ctx.folded.text)):  # round 15: online play
        return None  # round 13: the worker's own card for the wage; 时薪20元学生 holds no 0元学
    if ctx.is_question(hit.start) and not pitched(ctx.folded.text):
        return None
    if hit.kind == "review":
        return _RULING(hit, "review", ("scam",)) if ctx.employer else None
    if not ctx.employer:  # a seeker passing a scam on is held; one asking about it is not
        return None if ctx.asks() and not pitched(ctx.folded.text) else _RULING(hit, "review", ("scam",))
    return _RULING(hit, "block", ("scam",))


def _pii(hit: Hit, ctx: Context) -> Ruling | None:
    """个人信息保护法 §5-6 and standard 4.4.1 c: personal data in public chat."""
    if hit.kind == "id" and order_number(ctx.folded.text, hit.start):
        return None  # an order or waybill number shaped like an ID number: 订单号440304…
    if not ctx.employer:
        return _RULING(hit, "mask", ("pii",))  # a job seeker's own number: deliver it masked
    if hit.kind in ("phone", "email"):  # the employer side publishing a contact diverts
        return _RULING(hit, "block", ("diversion", "pii"))
    if hit.kind == "mask":  # a listed term, e.g. asking for ID photos in chat
        return _RULING(hit, "review", ("pii",))
    return _RULING(hit, "block", ("pii",))


def model_warned(category: str, folded: str) -> bool:
    """The message warns against, or denies, what the learned stage would hold it for: not held."""
    pattern = _MODEL_WARNED_RE.get(category)
    if category == "discrimination" and child_labour_refused(folded):
        return True  # round 13: "不招十六岁以下的童工" is the law's minimum age
    return pattern is not None and pattern.search(folded) is not None
