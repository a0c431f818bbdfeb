"""Round 24: scams and fees told by the errand the worker is asked to run, with no scheme word (standard 5.1.3 c;
刑法 §224-1, §266, §303; 禁止传销条例 §7; 治安管理处罚法 §70; 反电信网络诈骗法 §2; 就业促进法 §40–41; 人力资源市场暂行
条例 §27; 劳动合同法 §30).

Rounds 20–23 read a scheme by its structure or by the act asked (``schemes``, ``deceits``, ``frauds``); fresh
authors tell the errand itself, and its parts are what no lawful job pairs:

- bets placed for the company: a wager on a match, a race or a team, the stake or the losses the company's, the
  winnings shared with the worker (gambling as a job, 刑法 §303) — not a lottery shop's till, not a sports writer;
- a master's work forged: a name or a seal put on a copy, or a copy aged, and the piece sold as the original or at
  auction, paid by the piece — not a copy studio selling copies as copies;
- hospital queues jumped: specialist appointments got and passed on at a mark-up, the worker paid per number
  (号贩子 by another name, 治安管理处罚法) — not an escort who queues with the patient;
- a game-boosting job behind a deposit or an account the worker buys first;
- piece work at home (photos, uploads, labels) paid per item after a materials, membership or opening fee;
- gifts sent in a live room with the worker's money, refunded with a rebate (a gift-rebate task);
- a dealership, franchise or stock bought for a sum and paid back by recruiting a few people, or a rank for
  ten (a pyramid, 禁止传销条例 §7) — not a referral bonus, not a franchise run by its buyer;
- half the pay kept for the first months as a master's or skills fee, or held till a year is served (employer
  side only: 就业促进法 §41 binds employers; 劳动合同法 §30: pay in full).
The folded text has no punctuation and repeats collapsed: stretches are counted in characters. A warning, a
refusal right before the act or the copy told as a copy clears a shape; a question stays the policy's. The readers
that take the worker's money yield the fee as ``deposit`` (a seeker passing one on is no fee) beside the scam.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.buyins import AMOUNT
from moderation.charges import NUMERALS

Raw = tuple[str, str, int, int, str]

_N: Final = f"[{NUMERALS}]"
_AMOUNT: Final = re.compile(AMOUNT)
_NEGATED: Final = re.compile("不|没|无|别|甭|莫|免|勿|禁止|严禁")
_ASKED: Final = re.compile("吗|么|嘛")
# asked last, only once a construction is read: the one full-text search per message
_WARNED: Final = re.compile(
    "骗|别信|举报|报警|违法|犯法|坐牢|判刑|套路|千万别|千万不要|别碰|别接|别去|别交|别做|小心|警惕|谁让你|有人让你|有人叫你|叫你先|冒充"
    "|上当|传销|赌博|号贩子|假画|劳动监察|12333|拒绝|不干|不接|靠谱吗|正常吗|合法吗|能干吗|能做吗|正规吗|是真的吗|是不是"
)


def _asserted(folded: str, start: int, reach: int = 3) -> bool:
    """The word at ``start`` is not refused right before it (不倒号, 不用你花钱)."""
    return _NEGATED.search(folded, max(0, start - reach), start) is None


def _asked(folded: str, end: int) -> bool:
    """The payment is asked about right after it (要交保证金吗): a question, even in a job context."""
    return _ASKED.search(folded, end, end + 8) is not None


def _near(pattern: re.Pattern[str], folded: str, start: int, end: int, reach: int) -> re.Match[str] | None:
    return pattern.search(folded, max(0, start - reach), end + reach)


# ---- bets placed for the company ----
_WON: Final = re.compile("赢|赚了|赚的|盈利|中了|中的")
# the winnings shared with the worker
_SHARE: Final = re.compile(
    f"(?:你|您)(?:拿|得|分|抽|提)|(?:分|给|返|提)(?:给)?(?:你|您)|跟你{_N}{{1,2}}分|按比例分|分成|提成|抽成|{_N}{_N}分|按点数"
)
# a wager on a contest: a match, a score, a race, a team, a result
_CONTEST: Final = re.compile(
    "比赛|比分|球赛|足球|篮球|赛事|赛马|买马|输赢|胜负|战队|球队|买球|押球|盘口|赔率|(?:几|一|每|这|那)场|世界杯|欧冠|nba|电竞"
)
_BET: Final = re.compile("押|买|投|下单|跟单|代买|代投")
# the stake or the losses the company's
_BORNE: Final = re.compile(
    "(?:输|亏)(?:了|的|光了|光|掉|损|钱)?(?:都|全|全部)?(?:算|归|由|是)?(?:公司|我们|老板|平台)|(?:公司|我们|老板|平台)(?:承担|兜|担|赔|出|垫)"
    "|不用你赔|不用你出|不用你担|你不用赔|本金|本钱|公司的钱|我们给的钱|打过去的钱|给你的钱|公司账号|我们的账号|老板的钱"
)
_BET_REACH: Final = 20


def bets_for_company(folded: str) -> Iterator[Raw]:
    """A wager on a match placed for the company, its stake or losses theirs, the winnings shared: gambling as a job."""
    for won in _WON.finditer(folded):
        share = _SHARE.search(folded, won.end(), won.end() + 12)
        if share is None or not _asserted(folded, won.start()):
            continue
        contest = _CONTEST.search(folded)
        if contest is None or _near(_BET, folded, contest.start(), contest.end(), _BET_REACH) is None:
            return
        if _BORNE.search(folded) is not None and _WARNED.search(folded) is None:
            yield ("scam", "block", won.start(), share.end(), "bets for the company")
        return


# ---- a master's work forged and sold as the original ----
# another's name or seal put on the piece, or the piece aged (not one's own name: 签自己的名字)
_SIGNED: Final = re.compile(
    "(?:签|署|题|补签|仿签)(?:上|了)?(?!自己|本人|你的|你自己)[^|]{0,6}?(?:的)?(?:名字|名|款)|落款|盖章|做旧|仿(?:名家|大师|名人)"
)
_AS_GENUINE: Final = re.compile("当(?:成|作)?(?:原作|真迹|真品|真的|原画|原稿)|冒充|拍卖|送拍|挂拍|上拍|拍出去|藏家|按原作")
_PIECE: Final = re.compile(f"一幅|每幅|一张|每张|一件|每件|按件|按幅|提成|分你|给你|你拿|分成|{_N}+(?:块|元)")
_ART: Final = re.compile("画|字|书法|作品|山水|瓷|笔迹|印章")
# sold as what it is: a copy told as a copy
_AS_COPY: Final = re.compile("复制品|临摹品|临摹作品|仿品字样|写明|标明|注明|标注|鉴定|识别|辨别")
_FORGE_REACH: Final = 30


def forged_art(folded: str) -> Iterator[Raw]:
    """A name or a seal put on a copy, or a copy aged, and the piece sold as the original or at auction, paid per
    piece: forgery sold as the work (刑法 §266)."""
    for sale in _AS_GENUINE.finditer(folded):
        signed = _near(_SIGNED, folded, sale.start(), sale.end(), _FORGE_REACH)
        if signed is None or not _asserted(folded, signed.start()):
            continue
        if _PIECE.search(folded) is None or _ART.search(folded) is None:
            return
        if _WARNED.search(folded) is None and _AS_COPY.search(folded) is None:
            yield ("scam", "block", signed.start(), signed.end(), "forgery sold")
        return


# ---- hospital appointments got and passed on at a mark-up ----
_NUMBER: Final = re.compile("号")
_RESOLD: Final = re.compile("转给|交给|倒给|转卖|倒卖|倒出去|倒手|出手|转让|卖给|加价|高价|差价|加钱")
# the worker paid per number or by a cut
_PER_NUMBER: Final = re.compile(
    f"(?:一|每|挂一|约一|抢一)个(?:号)?[^|]{{0,4}}?(?:给|拿|提|结|{_N})|按号|分你|你拿|你抽|给你|提成|抽{_N}成"
)
_HOSPITAL: Final = re.compile("医院|门诊|专家|挂号|号源|特需|三甲|协和|医生|陪诊|陪检|就医")
_QUEUE_REACH: Final = 18


def queues_sold(folded: str) -> Iterator[Raw]:
    """Specialist appointments got and passed on at a mark-up, the worker paid per number (号贩子 by another name)."""
    for resold in _RESOLD.finditer(folded):
        if not _asserted(folded, resold.start()) or _near(_NUMBER, folded, resold.start(), resold.end(), _QUEUE_REACH) is None:
            continue
        cut = _PER_NUMBER.search(folded, resold.end())
        if cut is None or _HOSPITAL.search(folded) is None:
            continue
        if _WARNED.search(folded) is None:
            yield ("scam", "block", resold.start(), resold.end(), "appointments resold")
        return


# ---- a game-boosting job behind a deposit or an account bought ----
_PAID_IN: Final = re.compile(f"押号|号钱|号款|押金|保证金|(?:买|购买|买下|花{_N}+[^|]{{0,8}}?买)[^|]{{0,10}}?(?:号|账号)")
_FIRST: Final = re.compile("先|前|才|得|需|要|不然|否则|进来")
_BOOST_CLEARED: Final = re.compile("客户提供|公司提供|公司配|不收|不用出|免费|公司出")
_BOOST_REACH: Final = 14


def boosting_paid_in(folded: str) -> Iterator[Raw]:
    """A game-boosting job whose worker first leaves a deposit or buys the account: the job takes the money."""
    for paid in _PAID_IN.finditer(folded):
        if not _asserted(folded, paid.start(), 4) or _near(_FIRST, folded, paid.start(), paid.end(), _BOOST_REACH) is None:
            continue
        if _asked(folded, paid.end()):
            return
        if _near(_AMOUNT, folded, paid.start(), paid.end(), _BOOST_REACH) is None and "一笔" not in folded:
            continue
        if _WARNED.search(folded) is None and _BOOST_CLEARED.search(folded) is None:
            yield ("scam", "block", paid.start(), paid.end(), "boosting paid in")
            yield ("fee", "deposit", paid.start(), paid.end(), "boosting paid in")
        return


# ---- piece work at home paid per item after a fee ----
_TASK: Final = re.compile("拍|照片|图片|上传|传到|传上|图库|采集|标注|标一条|审核|录入")
_PER_ITEM: Final = re.compile(f"(?:一|每|按)(?:张|条|图|幅)|计件|张给|{_N}+毛")
_PAY_FIRST: Final = re.compile(
    "(?:先|需|要|得|入门|上岗前|开通前|之前)(?:先)?(?:交|付|买|购买|充|缴|花)|入会费|会员费|素材费|材料费|资料包|开通费|租赁费|激活费|押金|保证金"
)
_ITEM_REACH: Final = 30


def piecework_paid_in(folded: str) -> Iterator[Raw]:
    """Photos, uploads or labels done at home, paid per item, after a materials, membership or opening fee."""
    for first in _PAY_FIRST.finditer(folded):
        if not _asserted(folded, first.start(), 4):
            continue
        if _asked(folded, first.end()):
            return
        if _near(_AMOUNT, folded, first.start(), first.end(), 12) is None:
            continue
        item = _near(_PER_ITEM, folded, first.start(), first.end(), _ITEM_REACH)
        if item is None or _near(_TASK, folded, item.start(), item.end(), _ITEM_REACH) is None:
            continue
        if _WARNED.search(folded) is None:
            yield ("scam", "block", first.start(), first.end(), "piece work paid in")
            yield ("fee", "deposit", first.start(), first.end(), "piece work paid in")
        return


# ---- gifts sent in a live room, refunded with a rebate ----
_GIFT: Final = re.compile("礼物|送礼|刷礼|嘉年华|火箭|打赏|打榜|冲榜|刷榜|游艇|跑车")
# the money back and more: 退你本钱再给两百, 返你本金加百分之十五, 一百回你一百二, 多返两成
_REBATE: Final = re.compile(
    f"(?:退|返|还)(?:给)?(?:你)?[^|]{{0,10}}?(?:多给|再给|额外|加|还带|提成|辛苦费|奖励|{_N}成|百分之)"
    f"|(?:多|额外)(?:返|给|回)|{_N}+(?:回|返)(?:你)?{_N}+"
)
_GIFT_REACH: Final = 36


def gifts_rebated(folded: str) -> Iterator[Raw]:
    """Gifts sent to a streamer with the worker's money, refunded with a rebate: a task that takes the money."""
    for gift in _GIFT.finditer(folded):
        rebate = _REBATE.search(folded, gift.end(), gift.end() + _GIFT_REACH)
        if rebate is None or not _asserted(folded, gift.start(), 4):
            continue
        if _WARNED.search(folded) is None:
            yield ("scam", "block", gift.start(), rebate.end(), "gifts rebated")
            yield ("fee", "deposit", gift.start(), gift.end(), "gifts rebated")
        return


# ---- a buy-in paid back by recruits ----
_STAKE: Final = re.compile("代理|加盟|店主|合伙人|经销商|名额|会员|拿货|货|股")
_STAKE_PAID: Final = re.compile("花|交|出|拿|买|投入|开|入")
_RECRUITS: Final = re.compile(
    "(?:招满|招够|招到|带够|带满|拉够|拉满|拉来|拉到|介绍|推荐|找|挂|带|发展|拉|招)(?:来|到|满|够|进)?"
    "(?:[2-9]|[两三四五六七八九十])(?:个|位|名|家)?(?:人|下级|店主|合伙人|代理|下线|朋友)?"
)
_PAID_BACK: Final = re.compile(
    "回本|就回来|全回来|钱回来|赚回来|不花钱|返本|区域经理|大区|总监|总代|省代|市代|升级|晋升|升经理|升主管"
)
_PYRAMID_REACH: Final = 14


def recruits_repay(folded: str) -> Iterator[Raw]:
    """A dealership, franchise or stock bought for a sum, paid back by recruiting a few people or a rank for more:
    a pyramid (禁止传销条例 §7), and a fee (the buy-in)."""
    for recruit in _RECRUITS.finditer(folded):
        back = _PAID_BACK.search(folded, recruit.end(), recruit.end() + 16)
        if back is None or not _asserted(folded, recruit.start()):
            continue
        for stake in _STAKE.finditer(folded, 0, recruit.start()):
            amount = _near(_AMOUNT, folded, stake.start(), stake.end(), _PYRAMID_REACH)
            if amount is None or _near(_STAKE_PAID, folded, stake.start(), stake.end(), _PYRAMID_REACH) is None:
                continue
            if _WARNED.search(folded) is None:
                yield ("scam", "block", recruit.start(), back.end(), "recruits repay a buy-in")
                # the span is what is bought, its price right beside it (the policy reads the demand there)
                lo, hi = (amount.end(), stake.end()) if amount.start() < stake.start() else (stake.start(), amount.start())
                yield ("fee", "deposit", lo, max(hi, lo + 1), "recruits repay a buy-in")
            return
        return


# ---- half the pay kept as a master's or skills fee, or till a year is served ----
_HALF: Final = re.compile("一半|半薪|对半|百分之五十|五成")
_PAY: Final = re.compile("工资|工钱|薪|拿|发|领|给")
_SKILL_FEE: Final = re.compile(
    "(?:师傅|师父|带徒|技术|技艺|手艺|学艺|传艺|拜师|学徒|转让|传授|带教)(?:的)?[^|]{0,3}?(?:费|钱|金)"
)
_SERVED: Final = re.compile("满(?:一|1|两|2|半)?年|够一年|年满|跟满|做满|干满|一年后|年底")
_KEPT_PART: Final = re.compile("另一半|另外一半|剩下|其余|剩余|余下|留一半|扣一半|压一半|先留|留着|压着")
_HALF_CLEARED: Final = re.compile("足额|全额|照发|另付|公司出|津贴|补贴|不扣|年终奖")
_HALF_REACH: Final = 16


def half_pay_kept(folded: str) -> Iterator[Raw]:
    """Half the pay of the first months kept as a master's or skills fee, or held till a year is served."""
    for half in _HALF.finditer(folded):
        if not _asserted(folded, half.start()) or _near(_PAY, folded, half.start(), half.end(), 8) is None:
            continue
        kept = _near(_KEPT_PART, folded, half.start(), half.end(), _HALF_REACH)
        if kept is None:
            continue
        fee = _SKILL_FEE.search(folded, kept.start(), kept.end() + _HALF_REACH)
        if fee is None and _SERVED.search(folded, kept.end(), kept.end() + 24) is None:
            continue
        if _WARNED.search(folded) is None and _HALF_CLEARED.search(folded) is None:
            mark = fee if fee is not None else kept
            yield ("fee", "deposit", mark.start(), mark.end(), "half the pay kept")
        return


BET_ANCHORS: Final = ("赢了", "赢的", "每赢", "赢一", "赢钱", "赚了", "赚的", "盈利", "中了", "中的")
FORGE_ANCHORS: Final = ("原作", "真迹", "真品", "原画", "拍卖", "送拍", "挂拍", "上拍", "藏家", "拍出去")
QUEUE_ANCHORS: Final = ("专家号", "特需号", "号源", "挂号", "抢号", "门诊号", "医院的专家", "专家门诊", "约专家", "放号")
BOOST_ANCHORS: Final = ("代练", "代打", "代肝", "上分", "打金", "陪练", "练号", "押号")
PIECE_ANCHORS: Final = ("上传", "传到", "传上", "图库", "拍照", "拍摄", "拍一张", "照片", "图片", "标注", "标一条")
GIFT_ANCHORS: Final = ("礼物", "送礼", "刷礼", "嘉年华", "火箭", "打赏", "打榜", "冲榜", "刷榜")
PYRAMID_ANCHORS: Final = ("回本", "就回来", "全回来", "钱回来", "赚回来", "不花钱", "返本")
HALF_ANCHORS: Final = ("一半", "半薪", "对半", "百分之五十", "五成")

#: anchor group → its anchors (merged into lexicon.ANCHORS through snares) and detector (detectors.BY_GROUP); the
#: names carry the module's prefix, since a group name reused silently replaces another module's detector
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "errand_bets": BET_ANCHORS, "errand_forge": FORGE_ANCHORS, "errand_queue": QUEUE_ANCHORS,
    "errand_boost": BOOST_ANCHORS, "errand_piece": PIECE_ANCHORS, "errand_gift": GIFT_ANCHORS,
    "errand_repay": PYRAMID_ANCHORS, "errand_halfpay": HALF_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "errand_bets": bets_for_company, "errand_forge": forged_art, "errand_queue": queues_sold,
    "errand_boost": boosting_paid_in, "errand_piece": piecework_paid_in, "errand_gift": gifts_rebated,
    "errand_repay": recruits_repay, "errand_halfpay": half_pay_kept,
})  # fmt: skip
#: none is a double: a scam held for review elsewhere (在家就能做) must not keep an errand's block from being read, and
#: the anchors are rare enough to run every reader they name
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({})
LABELS: Final[frozenset[str]] = frozenset(
    ("bets for the company", "forgery sold", "appointments resold", "boosting paid in", "piece work paid in",
     "gifts rebated", "recruits repay a buy-in", "half the pay kept")
)  # fmt: skip
#: pay withheld is the employer's act (§41 binds employers)
EMPLOYER_ONLY: Final[frozenset[str]] = frozenset(("errand_halfpay",))
#: run late (detectors.grouped), as round 23's fee readers: a fee word cleared elsewhere must not keep it from running
LATE: Final[frozenset[str]] = EMPLOYER_ONLY
