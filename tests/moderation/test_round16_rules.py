"""Round 16 (rules helper): the misses batch 17 and earlier batches left, by mechanism, each caught in wordings the
lines file (docs/measurements/2026-12-06-moderation-round16-rules-lines.tsv) does not hold, and each beside a clean
neighbour that looks alike.

Personal data and diversion (个人信息保护法 §5–6; standard 4.4.1 c, 5.1.3 d): a mobile number spread over a sentence,
numbers of Hong Kong, Macau, Taiwan, Singapore and other countries. Harassment (妇女权益保障法 §25; standard
5.1.3 c): an interview or training moved to a private place at night or alone. Scams (人力资源市场暂行条例 §24, §27;
刑法 §240, §287-2): a job abroad offered by its pay alone, pay promised for nothing, cards collected for a price.
Fees (就业促进法 §41; 禁止传销条例 §7): points, shares or a place bought, costs told by their total, papers sold.
"""

from __future__ import annotations

import pytest

from moderation import baits, charges, families, harms, lures, menace, offsite, snares
from moderation.engine import Moderator
from tests.moderation.conftest import check_caught, check_pair

pytestmark = pytest.mark.clause("5.1.3 c", "5.1.3 d", "4.4.1 c")

# (role, context, text, action, categories): each mechanism in wordings the lines file does not hold
CAUGHT = [
    # a number spread over a sentence: masked for a seeker, diversion for the employer side
    ("viewer", "chat", "想报名普工，号码一八八 中间是 三零五七 后面 六二一九", "mask", ("pii",)),
    ("recruiter", "chat", "要面试的打给我，145 接着 7720 再接 3961", "block", ("diversion", "pii")),
    # numbers of other places
    ("host", "chat", "在澳门的老乡直接打我电话 6283 1947", "block", ("diversion", "pii")),
    ("viewer", "chat", "人在香港，手机 5172 8830，想找回内地的工作", "mask", ("pii",)),
    ("recruiter", "job", "台中工厂作业员，联系 +886 925 611 308", "block", ("diversion", "pii")),
    # a meeting at night or alone in a private place
    ("recruiter", "chat", "试镜安排在今晚的宾馆房间，你单独过来", "block", ("harassment",)),
    ("host", "chat", "培训改在深夜的会所包间，老板亲自考核", "block", ("harassment",)),
    # trafficking abroad by pay alone
    ("recruiter", "chat", "缅北招客服，一个月四万，零基础也行，路费全包", "block", ("scam",)),
    # pay for nothing
    ("host", "chat", "啥也不用干，每个月保底五千到账", "review", ("scam",)),
    # a buy-in, a bundle of costs, papers sold
    ("host", "chat", "想上岗先认购三份积分，每份八百", "block", ("fee", "scam")),
    ("recruiter", "chat", "工鞋帽子床单几样合计三百四，到了先交给我", "review", ("fee",)),
    ("host", "chat", "焊工证来我这里办，一千六包过", "block", ("fee",)),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_each_mechanism_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # a bus route and a window number; a number spread
    ("host", "chat", "坐157路到厂门口，报名去135号窗口", "电话157先记好，中间4402，末尾8816", "diversion"),
    # pay in Hong Kong dollars; a Hong Kong number posted
    ("host", "chat", "香港岗位按港币发薪，每周做五天", "香港的朋友打我手机 6390 2714", "diversion"),
    # a night shift in a hotel; a night interview in a room
    ("recruiter", "job", "酒店夜班前台，晚上十一点上班，面试在白天", "今晚十一点到酒店房间面试，别带人", "harassment"),
    # interviews by day in the office; a night interview at home
    ("host", "chat", "我们从不约在酒店面试，都在公司会议室", "晚上九点来我家里面试，一个人来", "harassment"),
    # a lawful job abroad with its skill; a job abroad by pay alone
    ("recruiter", "job", "新加坡电工，月薪四千新币，需电工证和五年经验", "柬埔寨招打字员，月薪三万，会打字就行", "scam"),
    # a police warning; a promise of pay for nothing
    ("host", "chat", "警方提醒：去缅北月薪五万不要经验的都是骗局", "什么都不用干，一个月保底八千", "scam"),
    # a lawful floor in the contract; (above) pay for nothing
    ("recruiter", "job", "试用期保底工资四千五，写进劳动合同", "睡着觉都有钱拿，月入过万", "scam"),
    # a free place; a place bought
    ("host", "chat", "名额还剩二十个，免费报名", "买一个名额六百，买了就能上岗", "fee"),
    # costs the company pays; costs asked for
    ("recruiter", "chat", "体检工服住宿一共八百，公司全包", "体检工服住宿一共八百，先转给我", "fee"),
    # a certificate the seeker gets on their own; one the speaker sells
    ("recruiter", "chat", "保安证要本人去培训点考，公司报销", "保安证来我这办，三百八一本", "fee"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


def test_a_seekers_question_about_a_fee_bundle_passes(moderator: Moderator) -> None:
    d = moderator.moderate("体检工服住宿加起来要交八百吗？", role="viewer", context="chat")
    assert d.action == "allow", d.to_json()


def test_no_anchor_group_is_named_twice() -> None:
    """A group name reused by a later module silently replaces the earlier detector (round 16 did it once, with
    families' "cards")."""
    modules = (families, harms, lures, menace, charges, offsite, baits, snares)
    names = [g for m in modules for g in m.ANCHORS]
    assert len(names) == len(set(names)), sorted(g for g in set(names) if names.count(g) > 1)
