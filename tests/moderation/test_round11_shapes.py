"""Families of wording behind the eleventh round's weak topics, each violation beside its clean twin (rules alone).

Fresh batches missed discrimination phrased as a group, a reason, then a refusal at the end of a clause
(moderation/grounds.py), a gender written as a job card's field, threats ("wait and see", the family, property,
the career, exposure, daring the reader to complain), every step of a task scam, training fees deferred or
financed, kit and insurance the worker must buy, and a contact moved by topic. Written in trades other than the
batches' lines. 就业促进法 §3, §26–31, §41; 妇女权益保障法 §43; 残疾人保障法 §38; 禁止传销条例 §7; standard 5.1.3 c/d.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from moderation.lexicon import LEXICON_DIR
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("recruiter", "chat", "录用的事等HR通知，三个工作日内", "陪我吃顿饭，录用的事好说", "harassment"),
    (
        "host",
        "chat",
        "微信转账的工资记得查收，有问题找我",
        "排班表放在我钉钉里了，报名的都加一下",
        "diversion",
    ),
    (
        "host",
        "chat",
        "工资走银行卡，不走微信，加班费另算",
        "宿舍照片在我快手里，想看的都去搜一下",
        "diversion",
    ),
    (
        "recruiter",
        "chat",
        "穆斯林朋友也能报，食堂有清真窗口",
        "信教的我们这边管理不方便，这批就不收了",
        "discrimination",
    ),
    (
        "host",
        "chat",
        "外地口音没关系，普通话能听懂就行",
        "广西那边过来的口音太重，客户听不懂，不考虑了",
        "discrimination",
    ),
    (
        "recruiter",
        "chat",
        "有病史的入职体检时说明一下，能干的都安排",
        "有过抑郁病史的，压力大怕出事，一律不要",
        "discrimination",
    ),
    (
        "host",
        "chat",
        "带娃的宝妈可以选上午班，十一点就下班",
        "带娃的宝妈老请假，我们店里排不过来，别投了",
        "discrimination",
    ),
    (
        "recruiter",
        "chat",
        "离过婚的也欢迎，我们只看能力",
        "离过婚的性格一般都不太好，我们领导不太想要",
        "discrimination",
    ),
    (
        "recruiter",
        "chat",
        "单亲妈妈我们也招，白班时间固定",
        "单亲的家里事多，排班不好排，这批不招了",
        "discrimination",
    ),
    (
        "recruiter",
        "chat",
        "大专学历就能报，不卡学校",
        "中专技校出来的素质跟不上，面都不用面",
        "discrimination",
    ),
    (
        "host",
        "chat",
        "五十岁往上身体好的也能来看仓库",
        "五十往上的反应慢，系统里录不进去，不要了",
        "discrimination",
    ),
    ("recruiter", "job", "后厨帮工 男女不限 能吃苦", "后厨帮工 男 35以下 能吃苦", "discrimination"),
    ("recruiter", "job", "性别不限，有健康证优先", "性别：男，退伍军人优先", "discrimination"),
    ("host", "chat", "下雨天路滑，大家下班慢点走", "你敢在外面乱说我们厂，给老子等着", "harassment"),
    ("recruiter", "chat", "试用期表现好的，转正不用等", "敢去劳动局告状，让你找不到工作", "harassment"),
    (
        "viewer",
        "chat",
        "我老家在河南，离这个厂远吗？",
        "你老婆在哪个厂上班我都查到了，你家里人小心点",
        "harassment",
    ),
    ("host", "chat", "车停在厂区里，门卫会看着", "再在评论区带节奏，砸你车划你车你别怪我", "harassment"),
    (
        "viewer",
        "chat",
        "我之前的照片还在简历里，要换吗？",
        "我已经把你照片发到老乡群里了，等着被人肉出来吧",
        "harassment",
    ),
    (
        "recruiter",
        "chat",
        "饭店服务员，每天四点下班，有员工餐",
        "你去投诉我试试，看以后哪家饭店还敢要你",
        "harassment",
    ),
    (
        "host",
        "chat",
        "兼职是门店发传单，日结，不用交任何钱",
        "在家接任务赚钱，新人首单返二十，后面充值升级才能接大单",
        "scam",
    ),
    (
        "viewer",
        "chat",
        "提现要几天到账？这个平台靠谱吗？",
        "我这个兼职账户冻结了，交了解冻费马上就能提，大家放心做",
        "scam",
    ),
    ("host", "chat", "看视频就给钱的都是骗子，别信", "在家刷视频赚零花钱，看视频就给钱，想做的来", "scam"),
    (
        "recruiter",
        "chat",
        "学费全免，不贷款也不分期",
        "美甲班学费先欠着，签分期慢慢还，学完工资还学费",
        "scam",
    ),
    (
        "recruiter",
        "chat",
        "学驾驶的补贴公司出，不用你掏一分",
        "学挖机的学费后付，办个助学贷，每个月从工资里扣",
        "scam",
    ),
    (
        "host",
        "chat",
        "冷库的防寒服和手套公司统一发",
        "冷库上岗前防寒服自己买，去我们指定的店，三百一套",
        "fee",
    ),
    ("recruiter", "chat", "外卖站点的雨衣站长统一发，不用买", "外卖站点的雨衣自己买，站长那有卖", "fee"),
    (
        "recruiter",
        "chat",
        "送餐员的意外险公司统一交，不用你出钱",
        "送餐员要自己买意外险，在我们这买一年三百六",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "表现好的，转正后工资涨一档",
        "敢在网上乱说我们公司，我让你这辈子在物流圈都混不下去",
        "harassment",
    ),
    (
        "recruiter",
        "chat",
        "电工证培训公司出钱，考下来给你涨工资",
        "电工班的学费可以走网贷，每个月从工资里还",
        "scam",
    ),
    (
        "recruiter",
        "chat",
        "客服坐席的耳机公司配，坏了免费换",
        "客服坐席的耳机和工牌自费，入职那天统一买",
        "fee",
    ),
    ("host", "chat", "骑手的头盔和餐箱站点免费发", "骑手的头盔雨衣都得自己买，站点有卖", "fee"),
    (
        "viewer",
        "chat",
        "做任务的兼职要先充钱吗？感觉不靠谱",
        "在家做兼职，先充两百，做完五单就返你三百，想做的扣1",
        "scam",
    ),
    ("host", "chat", "先干活后结工资，日结", "先刷十单，做完再结算佣金，本金一起返", "scam"),
    (
        "host",
        "chat",
        "工资都在直播间公示的，有问题直接问",
        "想知道真实工资的，号码在简介里，直接打过去问",
        "diversion",
    ),
    (
        "recruiter",
        "chat",
        "报名的在直播间点按钮就行，HR会联系你",
        "报名的先别走，我挨个私信你们发面试地址",
        "diversion",
    ),
    ("host", "chat", "岗位详情看置顶，宿舍照片在视频里", "这边不方便在这说，去我主页简介看方式", "diversion"),
    ("host", "chat", "有问题的在公屏问，我一条条回", "想要内推的给我发个短信，我单独聊", "diversion"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_family_member_is_flagged_by_the_rules_and_its_clean_twin_is_not(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


# Lines a host or recruiter really says in a live room; each was tried by hand in round 11.
HOST_LINES = [
    ("host", "chat", "上班时间别老刷手机，注意安全"),
    ("host", "chat", "车间里不准刷手机，手机放柜子里"),
    ("host", "chat", "要是有人私信骚扰你，截图发给平台客服处理"),
    ("host", "chat", "遇到先交钱再派任务的，直接走，正规公司不会让你垫钱"),
    ("host", "chat", "推销保健品拉人头的那种，不是工作，是传销"),
    ("host", "chat", "宝妈也可以来，不要担心，有专门的白班"),
    ("host", "chat", "外地的老乡也收，包吃住，不收押金"),
    ("host", "chat", "有孩子的宝妈也能来，不用面试，直接上岗"),
    ("host", "chat", "乙肝的不用担心，我们不查"),
    ("recruiter", "job", "招聘普工，男女不限，18到50岁，身体健康"),
    ("recruiter", "job", "性别：男女不限"),
    ("recruiter", "job", "护理员，女士男士都可以，有证优先"),
    ("host", "chat", "防寒服公司统一发，不用自己买"),
    ("host", "chat", "夜路走多了容易出事，下班大家结伴走"),
    ("host", "chat", "这行干不下去的话，可以转到质检岗"),
    ("recruiter", "chat", "新手单价低一点，熟练了计件高"),
    ("recruiter", "chat", "有兴趣的点报名，HR会电话联系你"),
    ("host", "chat", "岗位详情看置顶，点小黄车报名"),
    ("host", "chat", "我们不会让你找不到工作，培训完就安排上岗"),
    ("host", "chat", "学费全免，不贷款不分期"),
    # a ground word beside a refusal of something else: a position, a cuisine, an order, a road, a shift
    ("host", "chat", "宝妈岗名额满了，这周先不收了"),
    ("host", "chat", "东北菜馆招厨师，川菜师傅不要"),
    ("host", "chat", "新疆的订单太远，物流不接了，这批不收了"),
    ("host", "chat", "村里的路不好走，车进不去，面试改到镇上"),
    ("host", "chat", "四十往上的师傅，夜班别报了，太累，白班随便挑"),
    ("host", "chat", "外地的不要担心住宿，公司包"),
    # a job benefit beside a meeting that is no favour: a team outing, a carpool, a shift of two
    ("recruiter", "chat", "试用期的同事周五团建去泡温泉，费用公司出"),
    ("recruiter", "chat", "新人有师傅带，转正前就你和我两个人值班，放心"),
    # kit, loans and pay-first words in ordinary talk
    ("host", "chat", "工作服鞋子公司发，袜子自己买"),
    ("host", "chat", "头盔公司统一发，雨衣自己准备"),
    ("host", "chat", "学费全部公司出，不用分期也不用贷款"),
    ("host", "chat", "先干三天试工，合适再签合同，工资照结"),
    ("host", "chat", "新人先跟师傅学，学会了再单独接单"),
    # found by hand at the round's merge, flagged on main too ("等着瞧吧，下周还有更好的岗位上新" stays held for
    # review: 等着瞧 alone is also "今晚下班等着瞧", a threat)
    ("host", "chat", "月嫂要有母婴护理证和健康证，体检费我们出"),
    ("recruiter", "chat", "岗位职责：负责公司抖音号和快手号的日常运营"),
    ("host", "chat", "刷脸、借卡、接码、跑分这些千万不要碰"),
    # a rider's order bonus is no task scam's "冲单" (batch 13, read after its end figure)
    ("recruiter", "chat", "外卖骑手周末高峰有冲单奖，跑满五十单多给八十"),
    ("host", "chat", "这周站点搞冲单活动，前三名每人奖三百"),
]

# Their violating neighbours stay flagged: a pitch that says "don't miss it", a fee beside a duty, a threat.
MERGE_VIOLATIONS = [
    ("host", "跑分日结，千万不要错过", "scam"),
    ("host", "入职交两百押金，我们负责安排宿舍", "fee"),
    ("host", "负责拉人进群，加微信私聊", "diversion"),
    ("host", "你给我等着瞧，敢举报我", "harassment"),
    ("host", "冲单返佣，一单返十块", "scam"),
]


@pytest.mark.parametrize(("role", "text", "category"), MERGE_VIOLATIONS)
def test_the_merge_fixes_leave_their_violating_neighbours_flagged(
    moderator: Moderator, role: str, text: str, category: str
) -> None:
    decision = moderator.moderate(text, role=role, context="chat")
    assert decision.action == "block" and category in decision.categories, (text, decision.to_json())


@pytest.mark.parametrize(("role", "context", "text"), HOST_LINES)
def test_what_a_host_or_recruiter_really_says_is_allowed(
    moderator: Moderator, role: str, context: str, text: str
) -> None:
    decision = moderator.moderate(text, role=role, context=context)
    assert decision.action == "allow", (text, decision.to_json())


def test_the_generated_variants_ship_without_initials_that_spell_other_words() -> None:
    """Round 10's terms have their pinyin variants now; an initials run that spells ordinary words of the readable
    lines (偷井盖 → tjg, also 推荐工 and 体检过) is not generated (moderation.tools.build_pinyin)."""
    variants = {
        line.split("\t")[0]
        for line in (LEXICON_DIR / "harassment.pinyin.txt").read_text(encoding="utf-8").splitlines()
    }
    assert "toujinggai" in variants and "偷jing盖" in variants
    assert "tjg" not in variants
