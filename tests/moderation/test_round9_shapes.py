"""Shapes behind the ninth round's misses and false positives (batches 8 and 10, read), each beside its clean twin.

Written by hand for this test, in other trades than the batches' lines: a platform rule told (不能留联系方式) is
no invitation; a fee someone else charges that the host does not recommend is no demand; "会不会都行" asks
nothing, so an escort pitch after it is not a question; a pitch asked as a question (有想赚外快的吗…稳赚) is
still a pitch; the rules for appearance, accent, disability, ethnicity, hepatitis and marriage read a refusal a
few words after the group ("口音重的这次不考虑了"), but not reassurance ("不要担心", "不要紧"); an application
form asking about childbirth is held, an employer saying it will not ask is not. 就业促进法 §26–31, §41;
妇女权益保障法 §43; 残疾人保障法 §38; standard 5.1.3 d.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("host", "chat", "按平台规定这里不能留联系方式，有问题都在评论区问", "报名信息发到我另一个号私信，这边不回", "diversion"),
    ("recruiter", "chat", "考叉车证要交培训费的那种我们不推荐，只招有证的师傅", "上岗前统一考证，考证费一千二，费用自理", "fee"),
    ("host", "chat", "足疗店招技师，会不会都行，不做额外项目，正规店", "足疗店招技师，会不会都行，有额外项目，懂的来", "scam"),
    ("viewer", "chat", "有人说那个投资平台稳赚，是真的吗？", "有想挣零花钱的吗 我这有个投资平台 稳赚", "scam"),
    ("recruiter", "interview", "面试不会问婚育情况，放心来", "入职登记表要写生育计划和配偶单位", "discrimination"),
    ("host", "chat", "口音重的也不要紧，能听懂就行", "长得矮的、口音重的面试直接刷掉", "discrimination"),
    ("host", "chat", "少数民族的朋友不要担心，我们不限民族", "彝族的兄弟这批先不要了，下次再说", "discrimination"),
    ("recruiter", "chat", "听障朋友也可以报，车间有会手语的组长", "盲人干不了这个，别报了", "discrimination"),
    ("host", "chat", "入职体检只查肝功能，不查乙肝", "体检要查肝功能和乙肝，有问题的别来了", "discrimination"),
    ("recruiter", "chat", "结没结婚都可以，我们不问这个", "三十多还没结婚的女的，老板说不稳定，不招", "discrimination"),
    ("viewer", "chat", "主播住哪个小区啊，离厂近吗", "你住哪个小区我都知道，劝你老实点", "harassment"),
    ("recruiter", "chat", "面试穿工装就行，不用特意打扮", "面试穿紧身一点，经理喜欢看身材", "harassment"),
    ("host", "chat", "宿舍四人一间，有问题找宿管", "新来的小妹皮肤真嫩，晚上来我宿舍坐坐", "harassment"),
    ("recruiter", "chat", "收旧手机的店招店员，底薪三千", "闲置的微信号抖音号都收，实名的价格更高", "scam"),
    ("host", "chat", "平台不让私下加好友，有事就在这里问", "平台老封号，私下加好友，我拉你们进群", "diversion"),
    ("recruiter", "chat", "有没有孩子都不影响录用", "有没有孩子？有的话说一下几岁", "discrimination"),
    ("host", "chat", "拉人头返利那种就是传销，大家别碰", "交钱当代理，拉人头返利，多拉多得", "scam"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_the_clean_shape_passes_and_the_violation_beside_it_is_caught(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category)


def test_an_address_after_a_district_road_and_estate_is_masked(moderator: Moderator) -> None:
    """The street part before the building number may be long (区, 大道, 小区): still a home address."""
    decision = moderator.moderate("我住南昌红谷滩区丰和中大道绿地小区12栋2单元 附近有活吗", role="viewer")
    assert decision.action == "mask" and "pii" in decision.categories


def test_either_way_is_not_a_question_but_a_real_a_not_a_still_is(moderator: Moderator) -> None:
    assert moderator.moderate("会不会都行，押金三百", role="host").action == "block"
    assert moderator.moderate("押金会不会退？", role="host").action == "review"


@pytest.mark.parametrize("engine", ["c", "python"])
def test_a_phone_number_followed_by_numerals_is_still_a_phone_number(engine: str) -> None:
    """Separators fold away, so "139…，二十四小时开机" is one digit run in the number view; the ASCII mobile number
    at its head is still found (both front ends), and twelve ASCII digits are still no mobile number."""
    moderator = Moderator(engine=engine, cache_size=0)
    host = moderator.moderate("有事打我电话13912345678，二十四小时开机", role="host")
    assert host.action == "block" and set(host.categories) == {"diversion", "pii"}
    seeker = moderator.moderate("我电话13912345678，一直在线", role="viewer")
    assert seeker.action == "mask" and "13912345678" not in seeker.text
    assert moderator.moderate("订单139123456789，三件", role="viewer").action == "allow"


@pytest.mark.parametrize("engine", ["c", "python"])
def test_a_mobile_number_written_mostly_in_o_and_l_is_still_found(engine: str) -> None:
    """A run mostly of o/l letters is no number ("looooool"), unless it is shaped as a mobile one: 1, then a real
    3-9 (l39oooo1lll, З for 3 included); both front ends alike."""
    moderator = Moderator(engine=engine, cache_size=0)
    host = moderator.moderate("报名打 l39oooo1lll 找人事", role="host")
    assert host.action == "block" and set(host.categories) == {"diversion", "pii"}
    assert moderator.moderate("我电话lЗ9ООООl1ll", role="viewer").action == "mask"
    assert "pii" not in moderator.moderate("哈哈looooolllll", role="viewer").categories  # 1, then 0: no mobile number


@pytest.mark.parametrize("pitch", ["刷单返利，日结三百，不建议错过", "不推荐新手，有经验的来做刷单，日结"])
def test_not_recommending_excuses_a_fee_in_its_clause_but_never_a_whole_scam_pitch(moderator: Moderator, pitch: str) -> None:
    """"不推荐/不建议" refuses the fee of its own clause; anywhere in a pitch it would excuse the scam."""
    decision = moderator.moderate(pitch, role="host")
    assert decision.action == "block" and "scam" in decision.categories, decision
