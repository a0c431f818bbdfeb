"""Round 19 (contacts helper): a job seeker moved off the platform, caught however the contact is written, each
mechanism in wordings the lines file (docs/measurements/2026-12-07-moderation-round19-contacts-lines.tsv) does not
hold, and each beside a clean neighbour that looks alike.

Numbers (个人信息保护法 §5–6; standard 4.4.1 c; an employer posting one diverts, 5.1.3 d): every script's digits fold
to ASCII, and digits spoken (pinyin, English, homophones), told by place, counted (两个五) or said as a value
(一百五十九) are read as one mobile number. Diversion (standard 5.1.3 d; platforms' published rules): a contact left on
a profile, a code to scan into a group, an app described rather than named, a name assembled to search, a link, an
app named in Cyrillic.
"""

from __future__ import annotations

import pytest

from moderation import elsewhere, readings
from moderation.engine import Moderator
from moderation.normalize import Normalizer, digit_forms
from tests.moderation.conftest import check_allowed, check_caught, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 d", "4.4.1 c")

# (role, context, text, action, categories): each mechanism in wordings the lines file does not hold
CAUGHT = [
    # digits of other scripts: Persian, Khmer, sans-serif negative circled
    ("host", "chat", "报名电话 ۱۳۶۲۲۸۴۵۷۹۰ 晚上也接", "block", ("diversion", "pii")),
    ("recruiter", "chat", "手机 ១៨៧៥២២៩០១៦៣ 直接打", "block", ("diversion", "pii")),
    ("recruiter", "chat", "打这个 ➊➎➑➋➍➏➒➌➐➏➑ 问细节", "block", ("diversion", "pii")),
    # spoken: pinyin, English words, homophones
    ("host", "chat", "手机是 yao wu qi er ling si liu ba ba jiu san", "block", ("diversion", "pii")),
    ("recruiter", "chat", "call me: one five nine, three three eight seven, two two zero one", "block", ("diversion", "pii")),
    ("host", "chat", "电话 衣巴溜 舞思灵巴 妻久耳山", "block", ("diversion", "pii")),
    # a value with place words, a digit counted, digits told by place
    ("host", "chat", "电话 一百五十九，然后 三三八七 二二零一", "block", ("diversion", "pii")),
    ("recruiter", "chat", "号码 一八六，两个五，三九七，二零一", "block", ("diversion", "pii")),
    ("host", "chat", "手机第一位1，第二位8，第三位7，后面八位是 5522 9016", "block", ("diversion", "pii")),
    # a profile, a code to scan, an app described, a name assembled, the plane icon
    ("recruiter", "chat", "招焊工，橱窗里挂着我的v，自己去看", "block", ("diversion",)),
    ("host", "chat", "扫一下直播间背景板上的码，拉你进老乡群", "block", ("diversion",)),
    ("recruiter", "chat", "要报名去那个蓝色图标的软件搜我 zhgong_77", "block", ("diversion",)),
    ("host", "chat", "我叫王磊，名字拼音跟出生年份拼起来搜就是我", "block", ("diversion",)),
    ("recruiter", "chat", "🛩 搜 gz_hr_team 加我", "block", ("diversion",)),
    # links and an app in Cyrillic
    ("host", "chat", "岗位详情 is.gd/Ab3xQ9 自己点", "block", ("diversion",)),
    ("recruiter", "chat", "报名去 hr-zhaopin 点 xyz 填表", "block", ("diversion",)),
    ("recruiter", "chat", "Звоните по Вайберу, номер в шапке профиля", "block", ("diversion",)),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_each_notation_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # digits of another script as a count; as a phone number
    ("host", "chat", "今天到岗 ٢٣ 人，明天还要 ١٥ 人", "有事打 ١٥٩٣٣٨٧٢٢٠١", "diversion"),
    # amounts said as values with units; a number said as values
    ("host", "chat", "宿舍一百八十六间，每间住四个人", "手机一百八十六，五五三九，七二零一", "diversion"),
    # a profile holding the job list; holding a phone number
    ("host", "chat", "主页的岗位列表有每个岗位的工资说明", "主页背景上印着我的手机号，截图存好", "diversion"),
    # a code to check in; a code to become friends
    ("recruiter", "chat", "到厂门口扫码签到，保安会带你进去", "扫码加我好友，发你工厂定位", "diversion"),
    # an app refused; an app described to find the speaker
    ("viewer", "chat", "那个绿色的软件我不用，就在这里问", "去那个绿色的软件，搜我 lw_hr_8 就行", "diversion"),
    # skills that look like domains; a domain to open
    ("recruiter", "job", "会ASP.NET和Vue.js的优先", "报名入口 zp-job.top 进去填", "diversion"),
    # a government site; a short link
    ("host", "chat", "社保政策可以查 www.mohrss.gov.cn", "报名表在 url.cn/5Gk2Lp 里填", "diversion"),
    # thanks in Russian; an app in Russian with a contact verb
    ("viewer", "chat", "Спасибо, работа хорошая", "Пишите в Телегу, ник в профиле", "diversion"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_clean_neighbour_passes_and_notation_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


# clean lines full of numbers and pointers that must stay clean (sums, dates, job codes, counts, addresses)
CLEAN = [
    ("recruiter", "chat", "岗位编号 GZ-2026-1208-33，平台里搜编号能看到"),
    ("host", "chat", "面试安排在十二月十号下午两点，厂区三号门"),
    ("host", "chat", "计件单价三毛五，熟练工一天能做一千二百件"),
    ("recruiter", "chat", "工厂地址：东莞市长安镇乌沙第三工业区18号"),
    ("viewer", "chat", "有人让我扫码进他的群，我没扫，大家小心"),
    ("host", "chat", "点屏幕下面的立即报名，平台会发短信通知面试时间"),
]


@pytest.mark.parametrize(("role", "context", "text"), CLEAN)
def test_clean_numbers_and_pointers_pass(moderator: Moderator, role: str, context: str, text: str) -> None:
    check_allowed(moderator, role, context, text)


def test_digit_forms_read_every_script_but_not_chinese_words() -> None:
    forms = digit_forms()
    assert forms["١"] == "1" and forms["❶"] == "1" and forms["〡"] == "1" and forms["⚅"] == "6" and forms["๙"] == "9"
    assert "一" not in forms and "〇" not in forms and "➓" not in forms  # a word's numeral; ten is no digit
    normalizer = Normalizer()
    assert normalizer.fold("电话١٣٨") == "电话138" and normalizer.fold("一分钱") == "一分钱"
    assert normalizer.fold("१३९५८०२७७४१") == "13958027741"  # repeated digits of any script are not collapsed


def test_readings_need_a_read_group_and_a_mobile_shape() -> None:
    assert list(readings.spoken_numbers("电话13958027741")) == []  # written digits: the digit run's, not doubled
    assert list(readings.spoken_numbers("一百三十八人报名二四六八一三五七")) == []  # a count breaks the chain
    assert list(readings.spoken_numbers("yiersansiwuliuqibajiuling")) == []  # counting, not a mobile number
    assert [r[4] for r in readings.spoken_numbers("号码一三八四个零七七八八")] == ["phone spoken"]


def test_links_skip_public_sites_emails_and_skills() -> None:
    assert list(elsewhere.links("邮箱 hr@qq.com")) == []
    assert list(elsewhere.links("查 www.mohrss.gov.cn")) == []
    assert list(elsewhere.links("熟悉ASP.NET")) == []
    assert [r[4] for r in elsewhere.links("详情 bit.ly/3xJ")] == ["link"]


def test_round19_anchor_groups_are_own() -> None:
    check_own_groups(readings, elsewhere)
