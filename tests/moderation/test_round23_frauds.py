"""Round 23: scams and fees told by the act the worker is asked to do (``moderation/frauds.py``), each violation
beside a clean neighbour, flagged by the rules alone and missed by main's rules in its category.

Standard 5.1.3 c; 就业促进法 §41 and 劳动合同法 §9 (no holding a worker's papers, no deposit or property); 人力资源
市场暂行条例 §24, §27; 禁止传销条例 §7: original papers mailed or handed over, prepaid credit topped up, the live
room's cart bought for an interview, the pay kept as the master's fee, a buy-in with a reward per head, a companion
priced by the night, documents forged for pay. The clean side: copies at signing, the company paying the card, a
host selling goods with no job tied, a paid apprenticeship, a plain guide or carer job, a warning, a viewer asking.
"""

from __future__ import annotations

import pytest

from moderation import frauds
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    (
        "recruiter",
        "chat",
        "工资卡需要你本人去银行办，卡和密码都自己保管",
        "身份证原件和户口本原件寄到我们人事这边，内部名额帮你走流程，办完再还你",
        "fee",
    ),
    (
        "host",
        "chat",
        "我们不扣任何证件，身份证、银行卡都在你自己手上",
        "想进电子厂内部岗的，把银行卡原件和毕业证原件交给带队老师，手续办好了统一发回来",
        "fee",
    ),
    (
        "host",
        "chat",
        "工地实名制要刷身份证登记，刷完证件你自己拿走",
        "工地进场要把身份证和银行卡一起交给班组长，工钱由班组长统一代领",
        "fee",
    ),
    (
        "recruiter",
        "job",
        "入职需提供身份证复印件一份、学历证书复印件一份，用于建立员工档案",
        "招家政阿姨，上户前身份证原件须交中介保管，结束合同后归还",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "公司每月给员工发两百话费补贴，直接充到你手机上",
        "客服岗考核第一步，买一张三百的京东卡把卡密发给组长，考核过了就上岗",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "跑车队的油卡是公司的，加油凭小票报销，入职不收任何钱",
        "试岗期间需要帮店里充三百点卡，充完发截图，这是考察你们的诚意",
        "fee",
    ),
    (
        "host",
        "chat",
        "员工福利：每月发一张三百的超市购物卡",
        "面试通过了，下一步买两张五百面值的超市卡寄过来，这是入职流程",
        "fee",
    ),
    (
        "host",
        "chat",
        "今晚小黄车上新了秋季工装裤，喜欢的家人们可以拍",
        "想约面试的家人们，先去小黄车拍一单工服，付款截图发管理，管理给你排面试",
        "fee",
    ),
    (
        "host",
        "chat",
        "面试跟买不买橱窗里的东西没有任何关系，别听别人瞎说",
        "家人们想来厂里的，橱窗里的体检套餐拍一个，没拍的面试不给排",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "面试报名只填表，不用下单，不用截图付款记录",
        "面试资格要先在直播间下单，小黄车3号链接，订单截图作为面试凭证",
        "fee",
    ),
    (
        "host",
        "chat",
        "小黄车三号链接是劳保手套，工地的兄弟们自用的可以拍，和招聘无关",
        "想报名的先拍小黄车一号链接，凭下单截图进面试群",
        "fee",
    ),
    (
        "host",
        "chat",
        "招聘直播间不卖货，谁让你下单换面试都是冒充的",
        "宝子们下单小黄车里的岗前培训课，截图给客服，就能拿到面试名额",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "电焊学徒第一个月三千，第二个月起四千五，培训费公司出",
        "跟着师傅学电焊，前两个月工资师傅拿，算拜师礼，以后就是你自己的",
        "fee",
    ),
    (
        "recruiter",
        "job",
        "招汽修学徒，学徒期月薪三千五，包吃住，师傅带教不收费",
        "招汽修学徒，首月工资作为师傅的带徒费，第二个月起正常发",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "学徒期三个月，工资按最低工资标准以上发放，签劳动合同",
        "学厨师头三个月没工资，工资全抵拜师钱，三个月后才开始发",
        "fee",
    ),
    (
        "host",
        "chat",
        "老师傅带徒弟，公司每月额外给师傅五百带徒津贴",
        "挖机学徒第一年工资打给师傅当带班费，第二年开始给你发",
        "fee",
    ),
    (
        "recruiter",
        "job",
        "门店招店长，月薪八千，负责门店经营和团队管理",
        "招区域合伙人，入伙金一万，每推荐一位合伙人入伙奖励两千",
        "scam",
    ),
    (
        "host",
        "chat",
        "员工推荐朋友入职满三个月，公司奖励推荐人五百",
        "成为店长要先买五千的份额，带进一个新店长提成一千，带得越多越赚",
        "scam",
    ),
    (
        "recruiter",
        "job",
        "旅行社招导游，持导游证，带团讲解景点，日薪三百加补贴",
        "商务陪伴，夜间陪客户，一夜三千，要求颜值高身材好",
        "scam",
    ),
    (
        "host",
        "chat",
        "养老院招护工，需要值夜班，夜班每晚补贴一百",
        "招私人导游，只接男客，晚上陪同到酒店，按晚结算一千五",
        "scam",
    ),
    (
        "recruiter",
        "job",
        "招地陪，带游客逛景点，下午五点下班，按团结算",
        "招女生旅伴，陪同出差住一起，每晚报酬一千八",
        "scam",
    ),
    (
        "recruiter",
        "job",
        "招财务助理，负责开具发票和核对账目，要求会计证",
        "招兼职开票员，帮公司开假发票，一张提成五十",
        "scam",
    ),
    (
        "host",
        "chat",
        "开假发票、做假流水都是犯法的，这种兼职别接",
        "会做假工资流水的来，一份三百，日结",
        "scam",
    ),
    (
        "recruiter",
        "chat",
        "招人事专员，负责发布招聘信息和筛选简历，月薪五千",
        "兼职发虚假岗位收简历，一个简历五块，收到报名费另外分成",
        "scam",
    ),
    (
        "recruiter",
        "chat",
        "税务代理公司招开票员，给客户开正规增值税发票，月薪四千五",
        "代开增值税发票的业务员，按票面点数提成",
        "scam",
    ),
    (
        "host",
        "chat",
        "收入证明由公司人事出具，盖章后给你，不收钱",
        "招人帮我们编假的工作证明和收入证明，每份给一百",
        "scam",
    ),
]

CLEAN = [
    ("host", "chat", "身份证原件不要交给任何人，说内部名额要寄原件的都是骗子"),
    ("viewer", "chat", "招聘的让我把户口本原件寄过去，这个正常吗？"),
    ("recruiter", "interview", "签合同那天带身份证复印件和毕业证复印件，原件看一眼当场还你"),
    ("host", "chat", "劳动合同法规定用人单位不能扣押劳动者证件，遇到了直接打12333"),
    ("recruiter", "job", "招货车司机，油卡由公司充值，每月按里程发放，不用自己垫"),
    ("host", "chat", "有人让你充Q币做入职测试的，百分百是诈骗，赶紧拉黑"),
    ("viewer", "chat", "面试要我先买京东卡把卡密发过去，这是骗子吧"),
    ("host", "chat", "加油站招收银员，会办加油卡业务优先，月薪四千五"),
    ("viewer", "chat", "主播，面试是不是要先拍小黄车的链接啊？"),
    ("host", "chat", "招聘直播间不卖货，谁让你下单换面试都是冒充的"),
    ("host", "chat", "带货主播岗位，负责介绍橱窗商品，底薪六千加提成"),
    ("host", "chat", "学厨不用交拜师钱，学徒期工资照发，每月四千"),
    ("viewer", "chat", "美发店说头半年工资抵培训费，这样合法吗？"),
    ("host", "chat", "别信那种前三个月工资给师傅的说法，学徒也是劳动者，工资一分不能少"),
    ("host", "chat", "交钱入股、拉人头返钱的都是传销，大家千万别碰"),
    ("viewer", "chat", "有人拉我入股合作社，说每拉一个人给五百，这是不是传销？"),
    ("recruiter", "job", "农业合作社招饲养员，月薪五千，不用入股，包吃住"),
    ("host", "chat", "招医院陪护，照顾住院老人，夜班有补贴，一天两百五"),
    ("viewer", "chat", "说是招旅游陪同还要过夜，按晚算钱，这不就是那种吗？"),
    ("host", "chat", "那种陪老板过夜的所谓陪同工作就是违法的，我们直播间不接"),
    ("recruiter", "job", "酒店招夜班前台，晚上值班，月薪五千，包住"),
    ("viewer", "chat", "有人让我帮忙发招聘帖收简历，一个简历五块，靠谱吗？"),
    ("host", "chat", "我们发的岗位都是真实的，所有岗位都不收报名费"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(("role", "context", "text"), CLEAN)
def test_lawful_lines_near_the_new_shapes_pass(moderator: Moderator, role: str, context: str, text: str) -> None:
    check_allowed(moderator, role, context, text)


def test_papers_shown_and_returned_are_no_hold() -> None:
    """An original shown at signing and given back, a copy kept: no papers handed over."""
    assert not list(frauds.papers_handed("签合同带身份证复印件原件看一眼当场还你"))
    assert list(frauds.papers_handed("老乡你把户口本和身份证快递过来我拿去给你办入职名额是内部留的"))


def test_a_seeker_telling_of_papers_or_credit_is_no_fee(moderator: Moderator) -> None:
    """The fee groups are the employer's (§41 binds employers): a viewer telling of their own passes."""
    for text in (
        "我把身份证原件寄给我妈了，她帮我去办社保卡",
        "我给自己的加油卡充了五百，明天跑长途",
    ):
        check_allowed(moderator, "viewer", "chat", text)


def test_the_round_names_its_own_groups() -> None:
    check_own_groups(frauds)
    assert frauds.LATE == frauds.EMPLOYER_ONLY and frozenset(frauds.DOUBLES).isdisjoint(frauds.EMPLOYER_ONLY)
