"""Round 18 (rules helper): the misses batch 19 left, by mechanism, each caught in wordings the lines file
(docs/measurements/2026-12-07-moderation-round18-rules-lines.tsv) does not hold, and each beside a clean neighbour
that looks alike.

Diversion (standard 5.1.3 d): a contact in split characters, a dialect's possessive before the app, a platform's
initials run into a handle. Harassment (standard 5.1.3 c/d; 个人信息保护法 §10; 治安管理处罚法 §42): a person watched
or waited for, doxxing threatened, the listener's address told back (pii), a crowd told to mark a person beside their
number. Fees and scams (就业促进法 §41; 人力资源市场暂行条例 §24, §27; 刑法 §266): a red packet as the fee, a head fee
paid by the worker, a package sold to a model or a host, tuition in numbered instalments. Discrimination (就业促进法
§26–31; 残疾人保障法 §38): older women and missing limbs refused by preference or exclusion.
"""

from __future__ import annotations

import pytest

from moderation import levies, pieces, stalking
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_caught, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c", "5.1.3 d", "4.4.1 c")

# (role, context, text, action, categories): each mechanism in wordings the lines file does not hold
CAUGHT = [
    # a contact in split characters, a dialect possessive, platform initials
    ("recruiter", "chat", "有意向的カロ俺亻言 ding_6677 细聊", "block", ("diversion",)),
    ("host", "chat", "俺个v是 qd_zhaogong88，厂里的事那边说", "block", ("diversion",)),
    ("host", "name", "东莞普工直招 快手ks886620", "block", ("diversion",)),
    # watching, doxxing, the address told back
    ("viewer", "chat", "那个收银小妹我每晚都守在她家楼下等她下班", "block", ("harassment",)),
    ("host", "chat", "你再发一句试试，明天就人肉你", "block", ("harassment",)),
    ("viewer", "chat", "你家就在城南翠湖苑12栋，我清楚得很", "block", ("harassment", "pii")),
    # a crowd told to mark a person beside their number
    ("host", "chat", "兄弟们认清此人，身份证420106199105062216，拖欠工钱", "block", ("harassment", "pii")),
    # a red packet, a head fee, an agency package, numbered instalments
    ("recruiter", "chat", "占名额先给我发个口令红包，六十六，不发不算数", "block", ("fee",)),
    ("recruiter", "chat", "司机接团先交人头钱，一个游客五十", "block", ("fee",)),
    ("host", "chat", "进我们公会先买涨粉套餐，两千八，保你出道", "block", ("fee", "scam")),
    ("recruiter", "chat", "烘焙学徒的学费一万六，分18期付，学成进店", "block", ("scam",)),
    # older women and missing limbs refused by preference or exclusion
    ("recruiter", "chat", "迎宾的活儿，大妈们就别惦记了", "block", ("discrimination",)),
    ("host", "chat", "断了腿的、独眼的，我们宁可缺人", "block", ("discrimination",)),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_each_mechanism_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # split characters named in a warning; a contact in split characters
    ("host", "chat", "拆成力口我亻言那样写的号都是骗子", "力口我亻言 zhao_9911 细说", "diversion"),
    # a dialect possessive without a handle; with one
    ("viewer", "chat", "我个微信用不了了，就在这问吧", "我个微是 lw52013，加我", "diversion"),
    # a brand in a display name; a platform's initials run into a handle
    ("host", "name", "快消品KA招聘", "快消品招聘 抖dy661234", "diversion"),
    # waiting for the factory bus; waiting for a person
    ("viewer", "chat", "我每天在宿舍楼下等厂车", "我天天在她宿舍楼下等她", "harassment"),
    # a job that traces IPs; a threat to trace the listener's
    ("recruiter", "job", "网络安全工程师，负责查IP溯源", "再骂一句我就查你IP", "harassment"),
    # a giveaway; a red packet as the fee
    ("host", "chat", "今晚抽口令红包，大家领着玩", "报名先发个口令红包给我，九十九", "fee"),
    # a head subsidy paid to the worker; a head fee paid by the worker
    ("recruiter", "chat", "导游按人头拿补贴，一个客人二十", "导游先交人头费，一个客人三十", "fee"),
    # a shoot paid by the company; a shoot sold to the model
    ("recruiter", "chat", "拍模卡的钱公司全出", "签约先拍模卡，一套一千八，拍完给你接通告", "scam"),
    # a seeker asking about instalments; tuition in numbered instalments
    ("viewer", "chat", "学费能分期吗？", "学费九千可以分12期，学完留店", "scam"),
    # older women welcome; refused by preference
    ("host", "chat", "保洁岗大妈大叔都欢迎", "保洁岗老太太手慢，我们宁愿空着", "discrimination"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


def test_a_victim_asking_about_being_followed_passes(moderator: Moderator) -> None:
    check_allowed(moderator, "viewer", "chat", "下班总有人跟在我后面，该怎么办？")


def test_a_denied_ip_lookup_passes(moderator: Moderator) -> None:
    check_allowed(moderator, "host", "chat", "我们不会去查你们的IP，放心留言")


def test_marking_an_official_badge_is_no_pillory(moderator: Moderator) -> None:
    check_allowed(moderator, "host", "chat", "大家认准我们的官方认证标识，别的号都不是我们")


def test_round18_groups_replace_no_other_group() -> None:
    check_own_groups(pieces, stalking, levies)
