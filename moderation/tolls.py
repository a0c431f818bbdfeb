"""Round 17's money taken for a post with no fee word the lexicon reads as a demand (就业促进法 §41; 人力资源市场暂行条例
§24, §27; 刑法 §266).

- A course the seeker buys (自购两万的课包, 先掏一千九九拍网课套装) or paid training made the condition of a referral
  (形体集训五天三千二，不参加不给推荐): the training is the fee. Kind ``deposit``: the purchase is the demand.
- A loan taken out to apply (报名先办张分期贷款, 现场帮你办网贷, 签完放款单当天进班): a fee and a scam.
- Money to "open a way in" (疏通费五万, 打点关系的费用两万八, 编制内推先付定金): a fee and a scam.
- Medical-insurance fraud offered as a job (拿你的医保卡开点药，每次三百; 高价收医保卡; 挂床): a scam.
Not asked (吗, ？), refused (不收, 免费, 不会让), warned against (骗, 举报, 报警) nor the job's own trade (管道疏通工,
信贷专员, 药店收银). Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

from moderation.buyins import AMOUNT

Raw = tuple[str, str, int, int, str]

_ASKED_OR_WARNED: Final = "吗|么|？|\\?|骗|别信|举报|报警|真的假的|违法|犯法|千万|小心|警惕"

TRAINING: Final = ("课包", "课程包", "网课", "套课", "训练营", "集训", "特训", "培训营", "技能班", "研修班", "形体课", "学习卡", "进阶营",
            "速成营", "速成班", "提升班", "进修班", "培训班")  # fmt: skip
_TRAINING: Final = "|".join((*TRAINING, "课程"))  # 课程 is no anchor: it fills course-fee lines read already
_SELF_BOUGHT: Final = re.compile(
    f"(?:自购|自费|自己买|自己出钱买|自己掏钱买|先买|先掏|先花|掏|先报|报个|报我们的|买我们的|购买)(?:[^|]){{0,8}}?(?:{_TRAINING})"
    f"|(?:{_TRAINING})费?(?:[^|]){{0,6}}?{AMOUNT}(?:元|块)?(?:自理|自付|自己出|自己掏|学员出)"
)
_REFERRAL_KEPT: Final = re.compile(
    "(?:不参加|没参加|不报|没报|没去|不去|没上|不上|没结业|没结课|没毕业|没学完)(?:[^|]){0,10}?(?:不给|不推|不派|不安排|没有(?:[^|]){0,4}?机会|不予|免谈|不录)"
    "|(?:学完|结课|结业|毕业|上完|培训完|买了)(?:[^|]){0,6}?(?:推荐|安排|上岗|内推|排岗|进直播间|就业|分配)"
)
_AMOUNT_RE: Final = re.compile(AMOUNT)
_TRAINING_CLEARED: Final = re.compile(f"{_ASKED_OR_WARNED}|不收|免费|公司出|厂里包|公司包|报销|不会让|不卖|带薪|工资照发|自愿|不强制|不用交|不需要")


def courses_bought(folded: str) -> Iterator[Raw]:
    """A course the seeker buys, or paid training as the condition of a referral: the training is the fee."""
    bought = _SELF_BOUGHT.search(folded)
    kept = _REFERRAL_KEPT.search(folded)
    if bought is None and kept is None:
        return
    amount = _AMOUNT_RE.search(folded) is not None
    if not (bought is not None and (amount or kept is not None)) and not (kept is not None and amount):
        return
    if _TRAINING_CLEARED.search(folded) is not None:
        return
    priced = _AMOUNT_RE.search(folded)  # the price, not the condition: its clause holds no 没有 the fee rules read
    m = priced if priced is not None else bought
    if m is not None:
        yield ("fee", "deposit", m.start(), m.end(), "course bought")


LOAN_ANCHORS: Final = ("分期", "贷款", "网贷", "花呗", "借呗", "白条", "放款", "借款", "消费贷", "学费分", "培训费分", "课费分", "服装费分", "押金分")
_LOAN: Final = re.compile(
    "(?:办|开|申请|签|走|做|贷)(?:[^|]){0,3}?(?:分期贷款|分期|贷款|网贷|花呗|借呗|白条|借款|放款|消费贷)"
    "|(?:学费|培训费|课费|服装费|押金)(?:可以|能)?分(?:[^|]){1,3}期"
)
_LOAN_FOR: Final = re.compile("报名|学费|培训|课|入职|押金|服装费|考|上岗|面试|安排工作|分配|排岗|进班|入学|签约")
_LOAN_CLEARED: Final = re.compile(f"{_ASKED_OR_WARNED}|别|不会让|不会要|不用办|不需要|不要办|专员|经理|业务|负责|信贷|销售|诈骗")


def loans_to_apply(folded: str) -> Iterator[Raw]:
    """A loan or instalments taken out to apply, train or start: a fee and a scam (培训贷)."""
    m = _LOAN.search(folded)
    if m is None or _LOAN_FOR.search(folded) is None or _LOAN_CLEARED.search(folded) is not None:
        return
    yield ("fee", "fraud", m.start(), m.end(), "loan to apply")
    yield ("scam", "block", m.start(), m.end(), "loan to apply")


PULL_ANCHORS: Final = ("疏通", "打点", "关系费", "找关系", "打通关系", "走后门", "门路", "内定", "意思一下", "活动经费", "人情费",
                "好处费", "内部名额", "编制内推", "塞钱", "塞红包", "托人", "托关系", "打招呼", "指标")  # fmt: skip
_PULL: Final = re.compile("(?<!管道|下水|马桶)疏通(?!工|机|师|管|下水|马桶|车辆|渠道)|打点|关系费|找关系|打通关系|走后门|门路|内定|意思一下"
                   "|活动经费|人情费|好处费|内部名额|编制内推|塞钱|塞红包|红包|托人|托关系|打招呼|指标")  # fmt: skip
_ENTRY: Final = re.compile("进|内定|编制|国企|央企|事业|上岸|入职|录用|包过|保证|保你|包你|办成|事成|名额|办不成")
_PULL_CLEARED: Final = re.compile(f"{_ASKED_OR_WARNED}|不需要|不收|不用|没有|从不|绝不|公开|骗子")


def paid_way_in(folded: str) -> Iterator[Raw]:
    """Money to open a way in (疏通费, 打点, 关系费, 内定): buying a post is a fee and a scam."""
    m = _PULL.search(folded)
    if m is None or _AMOUNT_RE.search(folded) is None or _ENTRY.search(folded) is None:
        return
    if _PULL_CLEARED.search(folded) is not None:
        return
    yield ("fee", "fraud", m.start(), m.end(), "paid way in")
    yield ("scam", "block", m.start(), m.end(), "paid way in")


CARD_ANCHORS: Final = ("医保卡", "社保卡", "医保账户", "挂床")
_INSURED: Final = re.compile(
    "(?:医保卡|社保卡|医保账户)(?:[^|]){0,12}?(?:开药|开点药|开几盒药|买药|刷药|拿药|套现|回收|借用|借我|出借|走个量|走量)"
    "|(?:收|回收|借)(?:[^|]){0,3}?(?:医保卡|社保卡)|挂床"
)
_REWARD: Final = re.compile("给你|每次|每单|一次|一趟|结|钱|元|块|赚|佣金|返|辛苦费|折|到账|提成")
_INSURED_CLEARED: Final = re.compile(f"{_ASKED_OR_WARNED}|骗保|不要|收银|结算|报销流程|执业药师|审方|办好|办理")


def insurance_fraud(folded: str) -> Iterator[Raw]:
    """A seeker's medical-insurance card used to draw drugs or cash for a reward: insurance fraud as a job."""
    m = _INSURED.search(folded)
    if m is None or _REWARD.search(folded) is None or _INSURED_CLEARED.search(folded) is not None:
        return
    yield ("scam", "block", m.start(), m.end(), "insurance fraud")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"coursebuy": TRAINING, "applyloan": LOAN_ANCHORS, "wayin": PULL_ANCHORS, "medcard": CARD_ANCHORS}
)
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"coursebuy": courses_bought, "applyloan": loans_to_apply, "wayin": paid_way_in, "medcard": insurance_fraud}
)
# a training loan read already (shapes.training_loans); not coursebuy: a renamed charge found first may be cleared
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"applyloan": "scam"})
LABELS: Final[frozenset[str]] = frozenset(("course bought", "loan to apply", "paid way in", "insurance fraud"))
