"""Round 22 (lead): work whose task is to deceive a third party, and a seeker's name or credit used for a cut.

- Paid deception of buyers or rivals: a task that fakes a market or a crowd — bids raised by a planted bidder,
  reviews written to order, a rival attacked by a hired crowd, a buyer impersonated (抬价, 刷差评, 骂对面, 假装买家,
  水军; 冒充… reads as reported speech to the policy) — beside its pay (一条, 按场, a sum). The platform may not
  carry it (网络信息内容生态治理规定 §24 on hired commenters; 反不正当竞争法 §8, §11; 电子商务法 §17); the writer names
  the task, not the scheme, so the task is read.
- The seeker's account, credit or name used by someone else for a share of the money (用你的公积金…提出来分你两成,
  拿你名下的花呗套出来返你三个点): a fraud the seeker is drawn into as an accomplice (刑法 §266; 反电信网络诈骗法 §31).
- A false certificate, degree or licence sold by the piece or made to order (刑法 §280).
- Work given only behind a membership the worker buys, and parcels received at home and sent on for a fee per piece
  (a reshipping mule).
None fires when the message warns or asks (骗, 举报, 别信, 吗) or refuses right before the task.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.charges import NUMERALS

Raw = tuple[str, str, int, int, str]

_N: Final = f"[{NUMERALS}]"
# the deceiving task; each alternative starts with a literal
DECEIT_ANCHORS: Final = ("抬价", "哄抬", "喊价", "刷好评", "刷差评", "写差评", "打差评", "给差评", "骂对面", "骂同行", "骂竞品", "骂对手",
                  "黑对手", "黑同行", "带节奏", "控评", "冒充买家", "冒充顾客", "冒充客户", "冒充粉丝", "假装买家", "假装顾客",
                  "假装客户", "假装抢", "假装下单", "假买家", "水军")  # fmt: skip
_DECEIT: Final = re.compile("|".join(DECEIT_ANCHORS))
# what the task is paid by: per piece, per session, a sum, a settlement
_PAY: Final = re.compile(
    f"按场|按条|按单|按次|一条|每条|一单|每单|一场|每场|一次|每次|{_N}+(?:块|元|毛|角)|日结|结算|现结|场结|提成|佣金|工资|报酬|给钱|有钱"
)
# the message warns about the practice or asks about it
_WARNED: Final = re.compile("骗|举报|别信|不要信|小心|警惕|违法|违规|犯法|封号|投诉|吗|？|\\?|是不是|有没有|哪里")
_REFUSED_BEFORE: Final = re.compile("(?:不|没|别|禁止|严禁|拒绝|从不|不会|不做|不招|不要)[^|]{0,2}$")


def deceits(folded: str) -> Iterator[Raw]:
    """A task that fakes a market or a crowd, paid: shill bidding, reviews to order, a hired crowd, a fake buyer."""
    if _WARNED.search(folded) is not None or _PAY.search(folded) is None:
        return
    for m in _DECEIT.finditer(folded):
        if _REFUSED_BEFORE.search(folded, max(0, m.start() - 4), m.start()) is None:
            yield ("scam", "block", m.start(), m.end(), "paid deception")
            return


# the seeker's own account, credit line or name
_OWN: Final = "(?:用|拿|借|以|走|刷|套)(?:你|你们|您)(?:的|名下的?|名字|名义)"
_INSTRUMENTS: Final = "公积金|社保|医保|信用卡|花呗|借呗|白条|网贷|贷款|额度|征信|身份证|身份|名字|名义|营业执照|账户|账号|卡"
_CUT: Final = f"(?:分你|分给你|返你|返给你|给你|你拿|你得|抽)[^|]{{0,3}}?(?:{_N}+(?:成|个点|点|%)|百分之|一半|好处费|辛苦费)"
_USED_FOR_CUT: Final = re.compile(f"{_OWN}(?:{_INSTRUMENTS})[^|]{{0,24}}?{_CUT}")
OWN_ANCHORS: Final = tuple(v + w for v in ("用", "拿", "借", "以", "走", "刷", "套") for w in ("你的", "你们的", "您的", "你名下"))


def used_for_cut(folded: str) -> Iterator[Raw]:
    """The seeker's account or name used by another for a share of the money."""
    if _WARNED.search(folded) is not None:
        return
    m = _USED_FOR_CUT.search(folded)
    if m is not None:
        yield ("scam", "block", m.start(), m.end(), "name used for a cut")


# a false paper sold by the piece (假的口腔助理证一千五一本; 办假学历): forgery for sale (刑法 §280)
_FAKE_PAPER: Final = re.compile(
    f"(?:假的?|仿真的?|高仿的?)[^|]{{0,8}}?(?:证|文凭|学历|执照|证书|合同|流水)[^|]{{0,6}}?{_N}+(?:块|元|百|千|万)?"
    "(?:一本|一张|一个|一套|一份)"
    "|(?:办|做|卖|出)(?:假证|假文凭|假学历|假执照|假证书)"
)
FALSE_PAPER: Final = "false paper sold"
FAKE_ANCHORS: Final = ("假的", "假证", "假文凭", "假学历", "假执照", "假证书", "仿真", "高仿")
_FAKE_WARNED: Final = re.compile("骗|举报|别信|不要信|别买|不要买|小心|警惕|违法|犯法|坐牢|查处|抓|吗|？|\\?|是不是|识别|辨别|鉴别")


def fake_papers(folded: str) -> Iterator[Raw]:
    """A false certificate, degree or licence sold by the piece, or made to order."""
    if _FAKE_WARNED.search(folded) is not None:
        return
    m = _FAKE_PAPER.search(folded)
    if m is not None and _REFUSED_BEFORE.search(folded, max(0, m.start() - 4), m.start()) is None:
        yield ("scam", "block", m.start(), m.end(), FALSE_PAPER)


# batch 24 read: the work behind a membership the worker buys (通过了再开会员接单，会员一年三千八), and parcels received
# at home and sent on for a fee per piece (代收快递…原封不动转寄，一件给五十): a reshipping mule (反电信网络诈骗法 §31)
_MEMBERSHIP: Final = re.compile(
    "(?:开|办|充|买|开通|升级)(?:个|了)?(?:会员|vip|年卡|月卡)(?:会员)?(?:才能|才可以|才|再|就能|就可以|后|以后)?(?:接单|派单|接活|拿活|上岗|上班|接任务|领任务|开工)"
    "|(?:接单|派单|接活|拿活|接任务|领任务)(?:前|之前)?(?:要|得|需|须|必须)(?:先)?(?:开|办|充|买|开通)(?:个)?(?:会员|vip)"
)
MEMBERSHIP_ANCHORS: Final = ("会员", "vip")
_RESHIP: Final = re.compile(
    f"(?:收到|收件|签收|代收)[^|]{{0,10}}?(?:转寄|再寄|寄出去|转发给|寄到|寄给)[^|]{{0,12}}?(?:一件|每件|一个|每个|一单|每单)(?:给|结|付|算)?{_N}"
)
RESHIP_ANCHORS: Final = ("转寄", "再寄", "寄出去", "转发给")


def memberships(folded: str) -> Iterator[Raw]:
    """Work given only to a worker who buys a membership."""
    if _WARNED.search(folded) is not None:
        return
    m = _MEMBERSHIP.search(folded)
    if m is not None and _REFUSED_BEFORE.search(folded, max(0, m.start() - 4), m.start()) is None:
        yield ("scam", "block", m.start(), m.end(), "work behind a membership")


def reshipping(folded: str) -> Iterator[Raw]:
    """Parcels received at home and sent on, paid by the piece."""
    if _WARNED.search(folded) is not None:
        return
    m = _RESHIP.search(folded)
    if m is not None:
        yield ("scam", "block", m.start(), m.end(), "parcels sent on")


#: anchor group → its anchors (merged into lexicon.ANCHORS through snares) and detector (detectors.BY_GROUP)
# round 23 (lead, batch 25 read): work abroad on a tourist visa (不用工作签证，走旅游转打工) and surrogacy recruited for
# pay (招代孕妈妈…一次二十万): unlawful whoever offers them (出境入境管理法 §41, §43; 人类辅助生殖技术管理办法 §3)
UNLAWFUL_ANCHORS: Final = ("旅游签", "旅游转", "工作签证", "劳务签证", "代孕")
_UNLAWFUL: Final = re.compile(
    "(?:不用|不需要|无需|不要|免|没有)(?:办)?(?:工作|劳务)签证?|旅游签(?:证)?[^|]{0,6}?(?:打工|干活|上班|工作)"
    "|(?:走|用|拿|办个?)旅游(?:签|转)[^|]{0,6}?(?:打工|干活|上班|工作)|旅游转(?:打工|工作)|代孕"
)


def unlawful_work(folded: str) -> Iterator[Raw]:
    """Work offered that the law forbids outright: abroad without a work visa, surrogacy for pay."""
    m = _UNLAWFUL.search(folded)
    if m is not None and _WARNED.search(folded) is None:
        yield ("scam", "block", m.start(), m.end(), "unlawful work")


ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"deceit_task": DECEIT_ANCHORS, "deceit_cut": OWN_ANCHORS, "deceit_paper": FAKE_ANCHORS,
     "deceit_member": MEMBERSHIP_ANCHORS, "deceit_reship": RESHIP_ANCHORS, "deceit_unlawful": UNLAWFUL_ANCHORS}
)  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"deceit_task": deceits, "deceit_cut": used_for_cut, "deceit_paper": fake_papers,
     "deceit_member": memberships, "deceit_reship": reshipping, "deceit_unlawful": unlawful_work}
)  # fmt: skip
#: a shape whose category a term already found is skipped (detectors.grouped)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({group: "scam" for group in ANCHORS})
LABELS: Final[frozenset[str]] = frozenset(
    ("paid deception", "name used for a cut", FALSE_PAPER, "work behind a membership", "parcels sent on", "unlawful work")
)
