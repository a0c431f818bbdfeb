"""Lines the lead fixed in the twenty-first round, each a new wording beside a clean neighbour, flagged by the rules
alone.

From the spent batch 22 and the eighth writer's probes (5.1.3 c; 就业促进法 §41; 人力资源市场暂行条例 §24): what the job
needs sold by the employer and paid at entry (没有的…卖…入职当天交); a source the employer names while the worker pays
(自己买，只认…指定那家); a gift in cartons or bottles handed to a supervisor as the price of a shift (两条…给车间主任…不带的
排不上班); a fee paid as a card's code sent to the employer side while cash is refused (不收现金…购物卡，拍卡号发我); a
charge for each job introduced (介绍一份活收一百五); a monthly income of twenty thousand or more promised to a beginner
(零基础包学会…月薪两万起: held for review; 网络招聘服务管理规定 §15); a job handed out with a purchase or a franchise
(加盟就送…岗位); work guaranteed for a fee (学费…保证每月接八场) and a deposit for work abroad (出国…担保金). And (5.1.3 d;
就业促进法 §3, §30; 妇女权益保障法 §23; 个人信息保护法 §10): a medical history that names no disease with 病 (钙化点,
住过传染科, 做过手术) and a face read as a ground (看面相) refused; the listener's way to and from work claimed as known
beside a condition (你敢告…你上下班那条路我可熟); a number posted with the crowd sent at its owner (大家都去问问他).

From batch 23, read after its end figure: a wager's object is no question (下注猜…多少吨), the legal minimum age said
before its refusal (不满16周岁的我们不能招) and a class said to count the same (…一个样, …也收) let the learned stage's
discrimination hold go.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from moderation.lawful import child_labour_refused
from moderation.policy import model_warned
from tests.moderation.conftest import check_allowed, check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("recruiter", "chat", "保洁工的清洁推车公司配，入职当天领", "保洁工的清洁推车公司有卖，五百一台，入职当天结清", "fee"),
    ("host", "chat", "后厨帮工刀具店里配好，上岗那天领", "后厨帮工刀具自备，没有的店里卖，一套三百，上岗那天给", "fee"),
    ("recruiter", "chat", "焊工的面罩和手套队里统一发，开工头一天领", "焊工的面罩和手套队里有卖，一套一百八，开工头一天拿", "fee"),
    ("recruiter", "job", "货车司机的行车记录仪车队统一装，只认车队指定那个牌子，不用你出",
     "货车司机的行车记录仪自己买，只认车队指定那个牌子，八百多", "fee"),
    ("recruiter", "chat", "这两条线没人排不上班，大家多来报名", "想进装配线的，拎两瓶茅台送组长，空手来的上不了班", "fee"),
    ("host", "chat", "过节公司发两百的购物卡，卡号发你们手机上", "报名的钱不收现金，去超市买张三百的购物卡，卡号拍给我就行", "fee"),
    ("recruiter", "chat", "体检查出结节的，复查一下再来报到", "甲状腺有结节的，这次一概不考虑", "discrimination"),
    ("recruiter", "chat", "做过手术的员工公司给三个月病假", "动过手术的别来面试了", "discrimination"),
    ("recruiter", "chat", "面相不重要，能干活就行", "我们老板看面相招人，下巴尖的不用投了", "discrimination"),
    ("recruiter", "chat", "老乡帮你牵线一个厂，不收钱，进去好好干", "老乡帮你牵线一个厂，抽八十块就行", "fee"),
    ("recruiter", "chat", "我们推荐一个岗位不收任何费用", "给你安排个岗位要两百，别人都这个价", "fee"),
    ("recruiter", "chat", "不是买设备就安排工作的那种，我们正规招工", "订两万块的货即安排你进店上班，卖多少算你的", "scam"),
    ("host", "chat", "烘焙班不收学费，也不承诺就业", "烘焙班学费六千八，学完包你每月有活干", "scam"),
    ("recruiter", "chat", "去海外工地干活，机票公司出，不收押金", "去海外工地干活，先交两万押金，护照办好就走", "scam"),
    ("recruiter", "chat", "你每天回家的路我清楚，注意安全，天黑早点走", "你下班走哪条路我知道，要是再敢投诉试试", "harassment"),
    ("host", "chat", "大家猜猜今天出库多少吨，猜中的送一箱冻虾", "老板发话了，直播间下注猜明天到港多少船货，猜中翻倍", "scam"),
    ("recruiter", "job", "美甲学徒没基础也收，学徒期每月三千，学成以后看手艺", "美甲学徒没基础也收，学成以后每月三万打底", "scam"),
]

CLEAN = [
    ("host", "chat", "招保洁阿姨，城里户口乡下户口一个样，外省的也收"),
    ("host", "chat", "有人问14岁能不能来打暑假工，未满16岁的我们不能要"),
    ("recruiter", "chat", "介绍一份活给朋友，公司奖励推荐人两百"),
    ("viewer", "chat", "有人说介绍一份活收两百，这合法吗"),
    ("recruiter", "chat", "老师傅月薪两万，新手没经验的先从三千五干起"),
    ("recruiter", "chat", "零基础别信那种月入两万的广告，都是骗人的"),
    ("host", "chat", "我们店里有卖面包，二十块一个，欢迎来买"),
    ("host", "chat", "厂里有卖饭票的，一顿十二块，吃不吃自己定"),
    ("recruiter", "chat", "认准我们公司官方账号，别信其他人收三百块的"),
    ("viewer", "chat", "我自己买了一套刀具，两百块，值"),
    ("recruiter", "chat", "新人没经验排不上夜班，先上白班"),
    ("viewer", "chat", "有人让我买三百的卡把卡密发给他，是骗子吧"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(("role", "context", "text"), CLEAN)
def test_lawful_lines_near_the_new_shapes_pass(moderator: Moderator, role: str, context: str, text: str) -> None:
    check_allowed(moderator, role, context, text)


def test_a_number_posted_with_the_crowd_sent_at_its_owner_is_harassment(moderator: Moderator) -> None:
    """A number posted and the crowd sent to "ask" its owner is a pillory (个人信息保护法 §10), not a referral."""
    sent = Moderator(moderator.lexicon, learned=False).moderate(
        "这个放鸽子的保洁阿姨手机186 2233 4455，姐妹们都去问问她", role="recruiter", context="chat")
    assert "harassment" in sent.categories, sent.to_json()
    referred = moderator.moderate("店长手机186 2233 4455，家人们有事都可以问他", role="host", context="chat")
    assert "harassment" not in referred.categories, referred.to_json()


def test_the_legal_minimum_age_before_its_refusal_is_the_law() -> None:
    """就业促进法 and 禁止使用童工规定: refusing under-16s is the law's own limit, whichever comes first."""
    assert child_labour_refused("不满16周岁的我们不能招")
    assert child_labour_refused("未满十六的一律不要")
    assert not child_labour_refused("不满三十岁的我们不招")


def test_a_class_said_to_count_the_same_lets_the_model_hold_go() -> None:
    assert model_warned("discrimination", "农村户口城镇户口一个样外地户籍也收")
    assert not model_warned("discrimination", "外地户籍优先考虑")
