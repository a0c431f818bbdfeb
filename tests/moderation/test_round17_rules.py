"""Round 17 (rules helper): the misses batch 18 and earlier batches left, by mechanism, each caught in wordings the
lines file (docs/measurements/2026-12-07-moderation-round17-rules-lines.tsv) does not hold, and each beside a clean
neighbour that looks alike.

Discrimination (就业促进法 §26–31): looks refused by euphemism and a refusal by hint. Fees and scams (就业促进法 §41;
人力资源市场暂行条例 §24, §27; 刑法 §266): a course the seeker buys or paid training made the condition of a referral,
a loan taken out to apply, money to open a way in, medical-insurance fraud offered as a job. Diversion (standard
5.1.3 d): an e-mail spelled in words, a name to search on another platform. Harassment (妇女权益保障法 §25;
个人信息保护法 §10; standard 5.1.3 c): revealing clothes asked at a casting, a private show, a crowd called to report
a person beside their ID number.
"""

from __future__ import annotations

import pytest

from moderation import exposure, spelled, tolls
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_caught, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c", "5.1.3 d", "4.4.1 c")

# (role, context, text, action, categories): each mechanism in wordings the lines file does not hold
CAUGHT = [
    # looks by euphemism, refused by a hint
    ("host", "chat", "咱们柜台要养眼的，长相着急的就掂量掂量", "block", ("discrimination",)),
    ("recruiter", "job", "迎宾岗，皮肤黑、显老的简历别递", "block", ("discrimination",)),
    # a course bought, paid training as the condition of a referral
    ("host", "chat", "当网店客服要先自费买我们的课包，二千四，学完才安排", "block", ("fee",)),
    ("recruiter", "chat", "入职要上十天特训，学费一千五，没参加的一律不推", "block", ("fee",)),
    # a loan to apply, a paid way in, insurance fraud
    ("host", "chat", "考辅警前先签个分期，每月两百，入职后再还", "block", ("fee", "scam")),
    ("recruiter", "chat", "进税务局的内部名额，托关系的钱要六万，办成再给", "block", ("fee", "scam")),
    ("host", "chat", "跑腿兼职，带上医保卡去卫生院开药，一趟给你一百二", "block", ("scam",)),
    # an e-mail spelled, a name to search elsewhere
    ("recruiter", "chat", "材料发 lihr 小老鼠 一二六 点 com", "block", ("diversion",)),
    ("host", "chat", "内部岗位去小红书上搜 阿梅找工作 私聊", "block", ("diversion",)),
    # clothes asked at a casting, a private show, a crowd called against a person
    ("recruiter", "chat", "复试要穿上丝袜和超短裙，拍几张发我", "block", ("harassment",)),
    ("viewer", "chat", "主播下播了私下给哥唱一个呗", "block", ("harassment",)),
    ("viewer", "chat", "偷我手机的就是他 身份证号 130102199003077571 大伙遇到了通知我", "block", ("harassment", "pii")),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "categories"), CAUGHT)
def test_each_mechanism_is_caught_by_the_rules(
    role: str, context: str, text: str, action: str, categories: tuple[str, ...]
) -> None:
    check_caught(role, context, text, action, categories)


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # looks not minded; looks refused by a hint
    ("host", "chat", "长得着急也没事，我们看的是手脚麻利", "前台要好看的，长得着急的自己掂量", "discrimination"),
    # paid training denied; training bought as the condition of a referral
    ("host", "chat", "岗前集训全部免费，不参加也能正常上岗", "岗前集训九百自理，不参加的不给推荐", "fee"),
    # loans as the job; a loan to apply
    ("recruiter", "job", "招车贷专员，负责客户分期贷款的资料审核", "报名先办张分期贷款，考完就上岗", "fee"),
    # a drain-clearing job; a fee to open a way in
    ("host", "chat", "招管道疏通师傅，日结四百，自带工具", "进烟草公司要交疏通费三万，包进", "scam"),
    # a pharmacy till; insurance fraud
    ("recruiter", "job", "药房收银员，会用医保卡刷卡结算", "拿你的医保卡去药店开药，一次给你两百", "scam"),
    # e-mail refused; e-mail spelled
    ("host", "chat", "不用发邮箱，点直播间的报名按钮就行", "简历发 wanghr 艾特 qq 点 com", "diversion"),
    # a social-media job; a name to search elsewhere
    ("host", "chat", "招抖音运营，会剪辑会写脚本", "抖音搜 小李招工 私信我", "diversion"),
    # a dress code; clothes asked at a casting
    ("host", "chat", "面试请穿正装，不要穿吊带", "试镜那天带两件吊带过来给我看", "harassment"),
    # a host thanking the room; a private show
    ("host", "chat", "谢谢哥哥们，明天继续给大家播", "单独给哥哥播一场，播得好就签", "harassment"),
    # a fee denied across the person; a fee asked of the person
    ("host", "chat", "我们不要求主播自己掏钱买样品", "主播要自己掏钱买样品，一套三百", "fee"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


def test_a_call_to_report_sightings_needs_a_number(moderator: Moderator) -> None:
    check_allowed(moderator, "viewer", "chat", "小王的工牌落这了，大家见到他告诉他一声")


def test_a_warning_against_a_loan_passes(moderator: Moderator) -> None:
    check_allowed(moderator, "host", "chat", "谁让你报名先办分期贷款的，直接报警")


def test_round17_groups_replace_no_other_group() -> None:
    check_own_groups(tolls, spelled, exposure)
