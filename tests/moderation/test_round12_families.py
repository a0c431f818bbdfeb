"""The twelfth round's families (moderation/families.py, grounds.py), each violation beside its clean twin.

Batch 13, read after its end figure, missed mechanisms rather than words: kit charged to the wage, ID papers kept
by a person, a handle behind a homophone of 微, a number "on my card", a doxxing threat, a mild insult, places and
body features refused, a refusal said before the group, pyramid selling, paid tasks, border runs and cards bought
by their steps. These lines are written in other trades and wordings than the batch's (rules alone must flag each
violation; the whole filter must pass each twin). 就业促进法 §3, §26–31, §41; 禁止传销条例 §7; 刑法 §287-2;
standard 5.1.3 c/d.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from moderation.lexicon import LEXICON_DIR
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("host", "chat", "社保个人部分每月从工资里扣三百多", "工服两套，从第一个月工资里扣一百六", "fee"),
    ("recruiter", "chat", "劳保用品厂里免费发，工资里一分不扣", "安全帽和劳保鞋厂里发，钱从工资里扣", "fee"),
    ("host", "chat", "头盔弄坏了照价赔，工资里扣", "体检统一去医院做，费用发工资的时候扣", "fee"),
    ("recruiter", "chat", "伙食费从工资扣，一天十块", "头盔雨衣餐箱站点统一配，第一个月工资抵扣三百", "fee"),
    ("host", "chat", "身份证交给人事复印一下，当场还你", "毕业证原件放在人事那里，转正了才还", "fee"),
    ("recruiter", "chat", "护照自己保管，公司不收", "护照交给中介统一管着，回国才给你", "fee"),
    ("host", "chat", "身份证自己拿好，不要交给任何人保管", "来了先把身份证给班长，干到年底再退给你", "fee"),
    ("recruiter", "name", "小薇HR2024", "深圳电子厂招工威zp6688", "diversion"),
    ("host", "name", "维修师傅老张", "昆山直招葳123456789", "diversion"),
    ("host", "chat", "主页里有岗位详情和工厂视频", "想去的直接打我主页上的电话", "diversion"),
    ("host", "chat", "名片上的公司名字就是我们厂", "具体的打简介里的号码问", "diversion"),
    ("host", "chat", "电话面试的时间我在平台里通知", "我电话尾号是6688，打过来说是直播间的", "diversion"),
    ("recruiter", "chat", "负责人在平台上，有问题找他", "负责人微信138开头的那个，加他", "diversion"),
    ("host", "chat", "你的家庭住址只有人事能看到，放心", "再闹我就把你的家庭住址发到群里", "harassment"),
    ("host", "chat", "把你的获奖照片挂到厂门口表扬", "你再投诉，就把你的信息曝光", "harassment"),
    ("host", "chat", "你一点都不笨，多练练", "你怎么这么笨，说了八遍了", "harassment"),
    ("recruiter", "chat", "不是你太笨，是机器难操作", "你这人咋这么死脑筋", "harassment"),
    ("host", "chat", "你们太厉害了，一天干完了", "你们这帮人太懒了，一个都不想干活", "harassment"),
    ("recruiter", "chat", "店长带三个人，干得好升经理", "发展五个下线就能升总监，每月躺赚", "scam"),
    ("host", "chat", "我们不用你交钱，也不用你拿货", "先交两万进货，自己卖也行，拉人也行", "scam"),
    ("host", "chat", "司机每天去仓库拿货送门店", "交钱提货，拉满十个人升为董事", "scam"),
    ("host", "chat", "看视频学技术，学会了能赚大钱", "刷抖音就能赚钱，一天两百", "scam"),
    ("host", "chat", "转发这个岗位给朋友，帮我们扩散一下", "挂机就能来钱，手机放着就行", "scam"),
    ("host", "chat", "云南边境的橡胶园，月薪六千", "帮忙过关带货，来回一趟三千", "scam"),
    ("host", "chat", "工资卡用本人的银行卡就行", "闲置的电话卡都收，一张五十", "scam"),
    ("recruiter", "chat", "营业执照给大家看一下，我们是正规公司", "回收营业执照和对公账户，价格好谈", "scam"),
    ("host", "chat", "江西的师傅已经到了，明天开工", "江西赣州来的我们这边不要，太难管", "discrimination"),
    ("recruiter", "chat", "四川人多，食堂辣", "不要招四川人，上次走了一大半", "discrimination"),
    ("host", "chat", "近视的也可以，不影响", "口吃的别来了，前台要说话", "discrimination"),
    ("host", "chat", "胖子也可以，我们这边不挑", "胖子一律不要，车间太挤", "discrimination"),
    ("host", "chat", "别要求太高，先干起来", "安徽阜阳的兄弟这批都不招", "discrimination"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_family_member_is_flagged_by_the_rules_and_its_clean_twin_is_not(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


# Ordinary lines a host, recruiter or viewer says; each was flagged on main before round 12 (hand test).
HOST_LINES = [
    ("host", "chat", "上班时间别摸鱼，组长会巡线"),  # 摸摸 folded to 摸: every 摸 was harassment
    ("host", "chat", "新手先摸索一下流程，不懂就问师傅"),
    ("host", "chat", "先摸底一下大家想去哪个城市"),
    ("host", "chat", "有问题打在公屏，我一个个回答"),
    ("host", "chat", "千万不要把银行卡借给别人，会被冻结"),
    ("host", "chat", "点赞关注不迷路，明天见"),
    ("host", "chat", "有人高价收银行卡，那是帮信罪"),
    ("host", "chat", "有人说办贷款学技术包分配，千万别签，那是培训贷"),  # the open item of round 11
    ("host", "chat", "学费分期那种就是培训贷，我们这边不搞这个"),
    ("host", "chat", "有人打着我们名义在别的平台收钱，请大家认准本直播间"),
    ("host", "chat", "问问题就在公屏打，我都能看到，不用找我私聊"),
    ("recruiter", "chat", "所有沟通都在这个平台的聊天里进行，我们不会要你的私人号码"),
    ("host", "chat", "家政员上户不收任何信息费，东家付的服务费我们按比例给你"),
    ("host", "chat", "入职前要你交钱的，不管什么名目，都不合法"),
    ("host", "chat", "如果有人让你办分期、借网贷交学费，那就是培训贷，一定别签"),
    ("viewer", "chat", "培训贷我已经签了，现在后悔了，能退吗"),
    ("viewer", "chat", "主播简介里的电话打不通"),
]

# Their violating neighbours stay flagged.
STILL_FLAGGED = [
    ("host", "先交押金两百，合同别签错了", "fee"),
    ("host", "办培训贷包分配，签了就能上课", "fee"),
    ("host", "摸一下怎么了，又不会少块肉", "harassment"),
    ("host", "出租银行卡日结五百，不要把机会让给别人", "scam"),
]


@pytest.mark.parametrize(("role", "context", "text"), HOST_LINES)
def test_what_people_really_say_is_allowed(moderator: Moderator, role: str, context: str, text: str) -> None:
    decision = moderator.moderate(text, role=role, context=context)
    assert decision.action == "allow", (text, decision.to_json())


@pytest.mark.parametrize(("role", "text", "category"), STILL_FLAGGED)
def test_the_clean_fixes_leave_their_violating_neighbours_flagged(
    moderator: Moderator, role: str, text: str, category: str
) -> None:
    decision = moderator.moderate(text, role=role, context="chat")
    assert decision.action != "allow" and category in decision.categories, (text, decision.to_json())


def test_no_blocking_term_folds_to_a_single_character(moderator: Moderator) -> None:
    """A repeated-character term folds to one character (摸摸 → 摸) and then matches every word holding it."""
    single = []
    for name in ("fee", "harassment", "scam", "discrimination"):
        for line in (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines():
            term = line.split("\t")[0]
            if term and not term.startswith("#") and not term.isascii() and len(moderator.fold(term)) < 2:
                single.append((name, term))
    assert single == []


def test_a_home_address_with_numerals_in_its_street_is_masked_in_a_resume(moderator: Moderator) -> None:
    """A street name holding a numeral ("…平洲二路18号3栋") stopped the address at the numeral (batch 13)."""
    decision = moderator.moderate(
        "我家住在东莞长安镇新安三路12号5栋，找附近的厂", role="viewer", context="resume"
    )
    assert decision.action == "mask" and decision.categories == ("pii",), decision.to_json()
    assert "12号5栋" not in decision.text
