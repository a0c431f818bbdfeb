"""Families of wording behind the tenth round's weak topics, each violation beside its clean twin.

Round 9 wrote rules from the exact wording of read batches and gained nothing on the held-out one, so these lines
are written for whole families a different author would use (dialect insults, threats against the family, remarks
about voice and dress, task scams, training loans, money mules, pig-butchering, pyramid "shop owners", kit and
certificates sold to the worker, other platforms named by nickname, lists of refused provinces, part-time degrees
refused, disability "we cannot place them", marriage plans asked in an interview), in trades other than the
batches' lines. 就业促进法 §26–31, §41; 残疾人保障法 §38; 妇女权益保障法 §43; 禁止传销条例 §7; 刑法 §287-2;
standard 5.1.3 c/d.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # insults in dialect and colloquial forms
    ("viewer", "chat", "今天下雨路上差点扑倒，还好没迟到", "你个扑街，招聘都不会招", "harassment"),
    ("host", "chat", "十三号统一面试，别记错了", "问来问去的，侬十三点伐", "harassment"),
    ("viewer", "chat", "主播说话挺耿直的，我喜欢", "这主播就是个瓜批，啥都不懂", "harassment"),
    ("recruiter", "chat", "这批学徒都挺上进的", "一群扶不上墙的东西，教了也白教", "harassment"),
    # threats against the person or the family
    ("viewer", "chat", "面试没过我也不后悔，下次再来", "敢扣我工资，让你后悔一辈子", "harassment"),
    ("recruiter", "chat", "家里老人孩子有人照顾吗？可以安排夜班", "再闹事小心你家人，我说到做到", "harassment"),
    ("viewer", "chat", "宿舍离厂多远？我孩子在镇上上学", "别让我看见你，见你一次打一次", "harassment"),
    ("viewer", "chat", "我记住这个厂名了，下次直接去面试", "你给我小心点，出了直播间我找你算账", "harassment"),
    ("viewer", "chat", "这家店老板嘴真笨，不会说话，但工资准时", "这家店老板娘就是个八婆，嘴碎得很", "harassment"),
    # age named without a number
    ("host", "chat", "年纪大的也可以报，门卫岗位不限年龄", "年纪大的阿姨我们这边一概不收", "discrimination"),
    # remarks about voice, body and dress; private invitations
    ("host", "chat", "客服岗位要求普通话标准，声音清楚就行", "小妹妹声音好撩人，晚上连麦叫哥哥", "harassment"),
    ("recruiter", "interview", "面试穿正装，鞋子干净就好", "面试穿超短裙来，显得精神", "harassment"),
    ("recruiter", "chat", "夜班有补贴，宿舍可以过来看看", "想转正就陪我过夜，懂的都懂", "harassment"),
    ("recruiter", "chat", "前台要求形象端正，着装统一发", "前台要穿低胸的裙子，腰好细的优先", "harassment"),
    # task scams, training loans, money mules
    ("viewer", "chat", "网店客服每天要回复多少条消息？", "网店招兼职，先充后返，做完三单佣金秒到", "scam"),
    ("host", "chat", "汽修学徒包吃住，学费全免，不用贷款", "汽修学徒零元入学，学费从工资里扣，签个贷款就行", "scam"),
    ("recruiter", "chat", "工资每月十号打到你本人的工资卡", "有闲置的卡借张卡给公司过账，一次给两百", "scam"),
    ("host", "chat", "公司财务岗要求有会计证", "招人挂名法人，每月给你三千，什么都不用管", "scam"),
    # pig-butchering and pyramid selling
    ("host", "chat", "电商客服回复买家问题，底薪四千", "客服就是用美女头像跟客户聊感情，再引导投资", "scam"),
    ("recruiter", "chat", "门店店长底薪六千加提成", "交三千成为店主，邀请越多奖金越多", "scam"),
    # kit and certificates sold to the worker
    ("host", "chat", "电工证公司统一报考，证书费公司出", "上岗前考电工证，鉴定费八百，没有证不派活", "fee"),
    ("recruiter", "chat", "美甲学徒包吃住，工具店里配", "美甲学徒要先买课程包才能上手，开课费另算", "fee"),
    ("recruiter", "chat", "出国劳务找有资质的外派公司，中介服务费一律不收", "去日本做护工，出国费和中介服务费一共三万二", "fee"),
    ("host", "chat", "快递站分拣员，面试当天就能定", "分拣员要进站先给两百好处费，我帮你疏通", "fee"),
    # pregnancy as a dismissal
    ("host", "chat", "怀孕了可以申请调岗，不会辞退", "怀孕了就自己走人，别拖累大家", "discrimination"),
    # other platforms named by nickname; "the same account over there"
    ("host", "chat", "这本书里写的都是安全操作规范，大家认真看", "想要岗位表的去书里找我，名字跟这里一样", "diversion"),
    ("recruiter", "chat", "我们在这个直播间每天下午两点开播", "岗位表在某红书上，搜我们厂名", "diversion"),
    # discrimination in other words
    ("host", "chat", "广西和贵州的老乡都可以来，包来回车票", "我们工地不要河南和安徽的，事太多", "discrimination"),
    ("recruiter", "chat", "自考本科也认，学历能查到就行", "专升本的我们公司不承认，别投了", "discrimination"),
    ("host", "chat", "残疾人朋友我们有专门的岗位，可以安排", "坐轮椅的我们这边没法安排，别浪费时间", "discrimination"),
    ("recruiter", "interview", "面试只问工作经历和技能", "面试会问一下你打不打算结婚，什么时候要二胎", "discrimination"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_the_violation_is_flagged_and_its_clean_twin_is_not(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


def test_a_private_school_refusing_no_experience_is_no_school_exclusion(moderator: Moderator) -> None:
    """民办 anchors the school-tier rule; "不要求经验" after it is no refusal."""
    d = moderator.moderate("民办学校招语文老师不要求经验，有证就行", role="host", context="chat")
    assert "discrimination" not in d.categories, d.to_json()


@pytest.mark.parametrize(("clean", "violation"), [
    ("岗位详情看置顶，点投递就行", "看我置顶评论里的号码，打电话报名"),
    ("置顶视频里有宿舍环境", "点我名字进主页，签名里有联系方式"),
    ("其他平台的招聘我们不负责，只在本直播间报名", "去其他平台找我，私聊"),
    ("这个岗位在站外不招", "有事去别的app找我"),
])
def test_the_pinned_card_and_other_platforms_named_are_not_diversion_until_someone_is_sent_there(
    moderator: Moderator, clean: str, violation: str
) -> None:
    """The job card pinned in the stream is this platform's own; naming other platforms without
    sending anyone there is no diversion (at the round 10 merge these clean lines were blocked)."""
    check_pair(moderator, "host", "chat", clean, violation, "diversion")
