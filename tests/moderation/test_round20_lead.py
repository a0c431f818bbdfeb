"""Lines the lead fixed after reading batch 22 (the twentieth round's held-out batch) at its end figure.

Missed or misread there: a phone number told in the earthly branches (联系方式按地支数：子寅午…), a group number in
mahjong tiles, a third person's workplace posted with a hostile call to the crowd (…在…那家店上班，兄弟们去会会她), a
post "locked" to sell its release (解锁金), SIM cards rented to receive codes (帮我们收验证码, 接验证码), labour scorned as an
insult (臭苦力), an older class told to "think twice" (年纪大的慎重考虑: a hint, review), a ride home read as a car
promised (我开车送你: no asset), a shift pattern read as a transfer of money (四班三运转，七千到九千), and an optional kit
held by the learned stage although the message says it is not compulsory (不强制); and, from the eighth writer's
probes, apps and in-app features used as the channel (全民K歌, 蛋仔派对, 拍一拍, 附近的人) (5.1.3 c/d; 就业促进法 §26, §41;
个人信息保护法 §10; 刑法 §287-2). The violations here are new wordings of those mechanisms, each beside a clean neighbour,
flagged by the rules alone.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("recruiter", "chat", "地支纪年今年是午年，明年开工早", "手机号按地支念：子申 卯寅巳 辰未 午丑酉申", "pii"),
    ("host", "chat", "午休打麻将的别太晚，🀄 下午两点上工", "搬运队报名群：🀈🀊🀌🀎🀐🀒🀔", "diversion"),
    ("host", "chat", "小李在开发区那家超市上班，有事可以去找他帮忙",
     "拉黑我们的那个男的在人民路菜市场摆摊，大伙去堵他", "harassment"),
    ("host", "chat", "账号异常会被锁定，找客服解锁，不收任何钱", "你的入职名额被系统冻结了，先交解锁费才能继续", "scam"),
    ("host", "chat", "注册时手机会收验证码，填进去就行", "谁手里有闲着的电话卡，借来接验证码，按天算钱", "scam"),
    ("viewer", "chat", "搬运这活是苦力，可工资真不低", "搞装卸的臭苦力也配进直播间", "harassment"),
    ("recruiter", "chat", "高空作业请三思，恐高的不适合", "这份活适合年轻小伙，四十岁往上的请三思", "discrimination"),
    ("recruiter", "chat", "以后下班我骑车送你到地铁口，顺路", "做满五年公司奖你一套两居", "scam"),
    ("recruiter", "job", "包装线两班倒，设备常年运转，八千到一万，缴社保", "上岗前转五百给主管办工牌", "fee"),
    # the eighth writer's probes, read after their end figure: apps and in-app features as the channel
    ("viewer", "chat", "我家孩子天天玩蛋仔派对", "想接私活的来蛋仔派对搜房号2417找我", "diversion"),
    ("recruiter", "chat", "群里拍一拍别刷屏", "想了解的拍一拍我，后缀有我手机号", "diversion"),
    ("recruiter", "chat", "附近的人都可以来门店看看", "打开附近的人加我，头像是蓝色安全帽", "diversion"),
    ("host", "chat", "全民K歌里唱得好的可以来应聘驻唱", "全民K歌上搜阿杰，留言发你岗位详情", "diversion"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


def test_a_posted_workplace_is_personal_data_as_well(moderator: Moderator) -> None:
    """The workplace in a pillory is disclosed data (pii) besides the harassment (个人信息保护法 §10)."""
    d = moderator.moderate("删我好评的那个女的在建设路的超市上班，兄弟们去会会她", role="recruiter", context="chat")
    assert {"pii", "harassment"} <= set(d.categories), d.to_json()


def test_an_optional_kit_is_not_held_by_the_learned_stage(moderator: Moderator) -> None:
    """A choice (不强制, 自愿) denies the fee the learned stage would hold the message for."""
    check_allowed(moderator, "host", "chat", "新人先借店里的剪刀练手，出师了再自己配，不强制")
