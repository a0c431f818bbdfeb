"""Round 18, the clean side: a flagged hit that the message names only to disown it.

Found by running 162 hand-written clean lines that look dangerous (``docs/measurements/
2026-12-07-moderation-round18-clean-lines.tsv``); each function answers one mechanism, not one sentence, and
runs only on a hit the rules already flagged (:mod:`moderation.engine`), so ordinary messages pay nothing:

- a block list: what the host blocks, described and then sanctioned ("说代收押金的，我全拉黑了", "刷单返利那种广告
  我一律踢出去"); not a refusal that is the condition ("不交押金的一律拉黑");
- the speaker's own past told in the passive ("我当年进厂被收过体检费", "我以前也被人骂过死胖子");
- a cooperative's shares with the workers exempt ("入股才分红，打工的不用入股"; 农民专业合作社法 §13: members
  subscribe capital, hired workers are no members), not shares with an amount ("先入股两万");
- a lawful payee: the landlord of a rented flat ("房东收押一付三") or a public body for an exam
  ("报名费是在财政局网上交"), and deductions the law requires (工会会费, 社保, 个税: 工资支付暂行规定 §15, 工会法 §43);
- the platform's own code ("面试二维码是平台生成的"), a diversion refused with 不搞 ("不搞私加好友");
- the law that closes mines to women named after a mining job's limit ("采掘工作面只招男工，女工不能下井");
- a fee denied by 没 at its clause's end ("开玩笑的，没押金").
"""

from __future__ import annotations

import re
from typing import Final

from moderation.alternation import contains
from moderation.policy import Context, Hit
from moderation.wanted import CONDEMN_CUES, condemned

# 1. A block list. The description closes on 的 (+ who) in the hit's clause, or the next clause points back at it.
_DESCRIBED: Final = re.compile("[^|]{0,14}?的(?:人|号|账号|小号|那几个|那几位|那位|那帮|那些|那种|厂|公司|中介|广告)?|[^|]{0,4}?(?:那种|这种|那类|这类|那几位|那几个|那帮|那些)(?:广告|人|号)?")
_POINTS_BACK: Final = ("这种", "那种", "这些", "那些", "这类", "那类")
_SANCTION: Final = re.compile(
    "拉黑|拉进黑名单|黑名单|踢出|踢了|踢掉|禁言|删了|删掉|封了|封号|举报|截图发给?(?:客服|平台)|截图给客服|不推|"
    "没一个靠谱|都不靠谱|骂一次|骂一个|封一个|踢一个|是诈骗|都是骗"
)
_SANCTION_REACH: Final = 8  # who sanctions between: 我全, 我这边一概, 场控已经挨个, 我这直播间一律
_CONDITION_WORDS: Final = ("不", "没", "未", "别", "的")  # 不交押金的一律拉黑; 交两百押金的留下，其他的拉黑


def _blocked(text: str, hit: Hit, clause_start: int, clause_end: int) -> bool:
    if _SANCTION.search(text, hit.end) is None:
        return False  # most flagged hits: one search
    before = text[clause_start : hit.start]
    if "不" in before or "没" in before or "未" in before:
        return False  # a refusal that is the condition: 不加微信的踢出去
    described = _DESCRIBED.match(text, hit.end, clause_end)
    if described is not None:
        after = described.end()
    elif text.startswith(_POINTS_BACK, clause_end):
        after = clause_end + 2
    else:
        return False
    sanction = _SANCTION.search(text, after, after + _SANCTION_REACH + 6)
    if sanction is None or sanction.start() - after > _SANCTION_REACH:
        return False
    return not any(w in text[after : sanction.start()] for w in _CONDITION_WORDS)


# 2. A past told in the passive (the speaker's, or with no subject): 被 + who + the act, right before the hit.
_PASSIVE: Final = re.compile("被[^|你我]{0,4}?(?:收|扣|骗|坑|讹|要|骂|叫|说)(?:过|了|走|成|作|做)?(?:[^|]){0,4}$")  # not 被我骂成…: the speaker doing it


def _own_past(text: str, hit: Hit, clause_start: int) -> bool:
    if text.find("被", clause_start, hit.start) < 0:
        return False
    passive = _PASSIVE.search(text, clause_start, hit.start)
    if passive is None:
        return False
    if "你" in text[passive.start() : hit.start]:
        return False  # round 20: the listener's misfortune judged, not a past told (被骗了也是你应得的)
    return "你" not in text[max(0, passive.start() - 20) : passive.start()]  # 我…被, or no subject: not 你就该被人骂


# 3. A cooperative's shares, the workers exempt.
_WORKERS_EXEMPT: Final = re.compile(
    "(?:打工|务工|干活|上班|临时工|工人|员工|采茶工)[^|]{0,10}?(?:不用|无需|不需要|不掏|不出|不交|分文不|一分钱不)"
    "|(?:打工|务工)[^|]{0,3}?的?只管(?:干活|上班|做事)|不用入股|无需入股|不需要入股"
)
_SHARE_AMOUNT: Final = re.compile("入股[^|]{0,2}?[0-9一二两三四五六七八九十百千万]|保底|年化|稳赚|回报|利息|返利|个点")  # or a return


def _workers_exempt(text: str, hit: Hit) -> bool:
    if "入股" not in text:
        return False
    return _WORKERS_EXEMPT.search(text) is not None and _SHARE_AMOUNT.search(text) is None


# 4. A lawful payee in the fee's clause, or a deduction the law requires.
_PAYEE: Final = re.compile(
    "房东[^|]{0,3}?(?:收|要|拿|谈|定|管|说了算)|(?:交给|付给)房东|押[一二三1-3]付[一二三1-3]"
    "|(?:交给|交到|在|到|向|去|走)(?:当地|本地|省里?|市里?|区里?|县里?)?的?(?:财政局|人社局|人社厅|人事考试|考试院|考试中心|考点|教育考试"
    "|应急管理|住建|车管所|疾控|卫健|教育局|招生办|官网|官方网站|政务服务)"
)
_STATUTORY: Final = ("工会会费", "工会费", "社保", "个税", "公积金", "养老", "医保", "医疗保险", "失业保险")
_LAW_NAMED: Final = re.compile("规定|依法|法定|按国家|代扣|代缴|自愿")
_FORCED: Final = re.compile(
    "不(?:交|缴|入)[^|]{0,6}?(?:不让|不能|不给|不予|别想|就不)"
    "|(?:交给|交到|给|转给)(?:我们|我|公司|厂里|人事)|我们转|代收|代交"  # the employer collects it for the payee
)


def _lawful_payee(text: str, hit: Hit, clause_start: int, clause_end: int) -> bool:
    clause = text[clause_start:clause_end]
    if "指定" in clause or _FORCED.search(text) is not None:
        return False  # a designated place; dues made a condition; the employer collecting for the payee
    if hit.term == "renamed charge" and text.startswith(_STATUTORY, hit.start):
        return _LAW_NAMED.search(text) is not None  # "工会会费千分之五，是工会法规定的"
    return _PAYEE.search(clause) is not None


# 5. Contacts: the platform's own code, a refusal with 不搞/不兴/不整.
_PLATFORM_CODE: Final = re.compile("(?:平台|系统)[^|我]{0,10}$")  # not 系统发的没用，扫我这个二维码
_PLATFORM_MADE: Final = re.compile("[^|]{0,3}?(?:平台|系统)(?:生成|发|推送|自动)")
_REFUSED: Final = ("不搞", "不兴", "不整")


def _own_contact(text: str, hit: Hit) -> bool:
    if hit.term == "二维码":
        return (_PLATFORM_CODE.search(text, max(0, hit.start - 12), hit.start) is not None
                or _PLATFORM_MADE.match(text, hit.end) is not None)  # fmt: skip
    before = text[max(0, hit.start - 4) : hit.start].removesuffix("私下").removesuffix("私")
    return before.endswith(_REFUSED)


# 6. A mining job's men-only limit (or women refused) with the law that closes mines to women named after it.
_MINING_BEFORE: Final = re.compile("采掘|采煤|掘进|矿")
_MINE_LAW: Final = re.compile("女[^|]{0,4}?(?:不能|不得|禁止|不许|不可以)下井|(?:这是|属于|按)(?:法律|国家|法规)(?:规定|要求)")  # batch 26


def _mine_law(text: str, hit: Hit) -> bool:
    if ("男" not in hit.term and "女" not in hit.term) or _MINING_BEFORE.search(text, max(0, hit.start - 16), hit.start) is None:
        return False
    return _MINE_LAW.search(text, hit.end) is not None


# 7. 没 + the fee closing its clause ("开玩笑的，没押金"), unless the next words make it a condition.
_THEN_CONDITION: Final = re.compile("[^|]{0,3}?(?:不行|不能|不让|没法|无法|别想|不给|就不|的不)")


def _denied_at_end(text: str, hit: Hit, clause_end: int) -> bool:
    return (hit.start > 0 and text[hit.start - 1] == "没" and hit.end == clause_end
            and _THEN_CONDITION.match(text, clause_end) is None)  # fmt: skip


# 8. Round 24: another's rule or approach reported, then called false, unlawful or not done here ("有人说我们只要本地户口，
# 那是瞎传的", "要是哪个厂让你验孕才能进，直接举报", "有人问要不要验孕，我们不验"); not a condition (要是哪个不交押金…).
_OTHER_FRAME: Final = re.compile(
    "有人(?:说|讲|问|传|让你|叫你|要你|找你|喊你|私聊你|跟你说)?|谁(?:让你|叫你|要你|私聊你|找你)?|陌生人|别人|有的人|听说|据说|网上(?:说|传)"
    "|(?:要是|如果)(?:哪个|有)|哪个(?:厂|公司|老板|中介|单位)"
)
_VERDICT: Final = re.compile(
    "瞎传|谣言|假的|不是真的|没有这回事|违法|犯法|举报|淘汰|投诉|报警|别信|莫信|是骗|诈骗|不验|不查|不看|不问|不限|不设|早该|拉黑|截图|是骚扰|就是骚扰|骗子|别理|不要理|别上当|不要信"
)
_A_NOT_A: Final = re.compile(r"(.)不\1")


def _other_reported(text: str, hit: Hit) -> bool:
    frame = _OTHER_FRAME.search(text, max(0, hit.start - 12), hit.start)
    if frame is None:
        return False
    between = _A_NOT_A.sub("", text[frame.end() : hit.start])  # 有人问要不要验孕 asks; 要是哪个不交押金 is a condition
    if "不" in between or "没" in between or "未" in between:
        return False
    return _VERDICT.search(text, hit.start + 1) is not None  # the verdict may close the hit's own span (…早该淘汰了)


# Every mechanism above needs one of these in the message: searched once per flagged message (the engine), so a
# violation with none of them costs one search.
# round 23: the words as a list, tested in one Aho–Corasick pass (``alternation.contains``), not ``re``'s alternation.
_CUES: Final = contains((
    "拉黑", "黑名单", "踢", "禁言", "删", "封", "举报", "截图", "不推", "靠谱", "骂一", "被", "入股", "房东", "财政", "考试", "考点", "应急管理", "车管所", "疾控", "卫健",
    *(f"押{n}付" for n in "一二三123"),  # was 押[一二三1-3]付
    "教育局", "招生办", "官网", "官方网站", "政务", "工会", "社保", "个税", "公积金", "养老", "医保", "医疗保险", "失业", "二维码", "不搞", "不兴", "不整", "下井", "没",
    "瞎传", "谣言", "假的", "不是真的", "违法", "犯法", "淘汰", "报警", "莫信", "是骗", "诈骗", "不验", "不查", "不看", "不问", "不限", "不设", "早该", "骚扰", "骗子", "别理", "不要理", "别上当", "不要信",  # round 24
    "法律规定", "国家规定", "法规规定", "法律要求", "国家要求",  # batch 26: a mine's limit with the law named
    *CONDEMN_CUES,  # round 19: another's discriminatory rule condemned (moderation/wanted.py)
))


def cued(folded: str) -> bool:
    """The message holds a word some mechanism of this module needs: only then are its flagged hits looked at."""
    return _CUES(folded) != 0


def disowned(hit: Hit, ctx: Context) -> bool:
    """The flagged hit is named to be refused, blocked, told as done to the speaker, or paid to a lawful payee."""
    text = ctx.folded.text
    start, end, _ = ctx.clause(hit.start)
    category = hit.category
    if category != "pii" and (_blocked(text, hit, start, end) or _other_reported(text, hit)):
        return True  # round 24: every category's hit blocked (说人家长得丑的那几位，已经被我禁言了); another's rule reported
    if category in ("fee", "harassment") and _own_past(text, hit, start):
        return True
    if category == "scam":
        return _workers_exempt(text, hit)
    if category == "fee":
        return _lawful_payee(text, hit, start, end) or _denied_at_end(text, hit, end)
    if category == "diversion":
        return _own_contact(text, hit)
    return category == "discrimination" and (_mine_law(text, hit) or condemned(text, hit.start))

