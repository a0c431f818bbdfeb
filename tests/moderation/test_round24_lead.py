"""Lines the lead fixed in the twenty-fourth round, each a new wording beside a clean neighbour.

From the spent batch 25 and the eleventh writer's probes (read at this round's start): kit listed and summed as one
payment and a fee whose amount is told later (就业促进法 §40-41; 人力资源市场暂行条例 §27); a promotion promised in
advance (an unfounded promise, held for a person); the post handed out offline by the speaker's name (standard 5.1.3 d:
导流), and a local number with no area code given to be dialled. Clean, each once flagged: a ball or a nail where the app is 球球 or 钉钉, another's private approach reported
(有人私聊你…举报), "those who DM me for WeChat I never answer", a namesake reported and ignored.

From the earlier rounds' helpers' hand-written clean lines (many authors; a development set of the lead's since this
round): another's rule or approach reported and then called false, unlawful or reportable (moderation.disowned), a
scheme said impossible or not promised right before it (不可能躺赚, 不承诺包过), the employer or a third party paying.

From batch 26, read after the round's end figure: a charge under any name paid with an amount, goods bought or credit
topped up as the condition of signing up or of getting work (fee and scam), a number found by a search on another app,
a number hidden in hand signs or in another number, a drink refused and the job taken away, exposure or a visit with
others threatened, a state post through an inside recommendation, a passport handed over abroad, money moved through
the worker's account. Clean: a mine's limit with the law named, the employer paying an exam fee, fake certificates
warned against, an illness told by a seeker.
"""

from __future__ import annotations

import pytest

from moderation import asides
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("recruiter", "job", "【包装工】月薪五千五，工衣、鞋子、手套公司统一发", "【包装工】月薪五千五，入职交工衣、鞋子、手套钱一共260",
     "fee"),
    ("recruiter", "chat", "报到那天带身份证，工作服厂里发，不用交钱", "报到那天记得带钱，工作服、饭卡、床上用品费合计三百五", "fee"),
    ("host", "chat", "工资到了厂里人事会跟你讲清楚，底薪加计件", "报名费的事到时候人事会跟你说收多少，先来再说", "fee"),
    ("recruiter", "chat", "收多少？我们一分不收，有人收钱直接举报", "有点小费用，收多少来了再说，别在公屏问", "fee"),
    ("host", "chat", "表现好的半年能转正，升组长要考核", "跟着我干，保你明年升领班，一般人我不带", "scam"),
    ("recruiter", "chat", "包你住宿，当月工资当月发", "来我们这儿，保证你一年内当上主管，工资翻倍", "scam"),
    ("recruiter", "chat", "面试地址：园区三号楼二楼，到前台说来面试的就行",
     "别在这报名了，直接去后门找管仓库的刘姐，报我名字就能上班", "diversion"),
    ("host", "chat", "工号写在工牌背面，打卡机在一楼", "想上岗的记好：六二五八四四零九，打这个", "diversion"),
    ("recruiter", "chat", "前台座机只接快递，面试在平台约", "有事打厂里座机88457213，找王主任", "diversion"),
]

# From batch 26, read after the round's end figure (each in a new wording, missed by main's rules in its category)
BATCH26 = [
    ("host", "chat", "进车间前统一发防尘服，费用厂里出", "进车间前每人交200防尘费，不交不让上线", "fee"),
    ("recruiter", "chat", "工服在仓库领，不用买", "拼多多拍下这款工服，拍下才算录用，不拍的不安排", "scam"),
    ("recruiter", "chat", "接单后台完全免费，注册就能派单", "跑腿专员账号要先充一百五才能激活，激活后才派单", "fee"),
    ("host", "chat", "去大众点评搜我们店，看看顾客怎么评价", "去抖音搜我们饭馆，店铺电话就是我本人的", "diversion"),
    ("host", "chat", "工号在工牌上，入职当天给你", "我的号码看我手势，一根手指一个数，记下来", "diversion"),
    ("recruiter", "chat", "证书编号找人事查就行", "质检报告编号后面11位就是我电话，存好", "diversion"),
    ("host", "chat", "电线杆上的编号是供电局的，别乱撕", "看我身后门牌号，那是前七位，后四位是2208", "diversion"),
    ("recruiter", "chat", "聚餐不想喝就喝饮料，没人劝酒", "老板敬酒你都不喝，不给面子是吧，明天不用来了", "harassment"),
    ("recruiter", "chat", "你说的事我们会查，有结果告诉你", "别逼我把你的事发到厂群里，到时候谁都难看", "harassment"),
    ("recruiter", "chat", "你住得远可以申请宿舍", "你不是住城西那个小区吗，再乱说我带人上门找你", "harassment"),
    ("recruiter", "chat", "事业编要参加统一考试，看人社局公告", "供电所编制工，我们内部推荐，干满一年直接转编", "scam"),
    ("host", "chat", "出国务工护照自己保管，公司只复印", "柬埔寨高薪客服，包机票，落地护照交给主管统一保管", "scam"),
    ("recruiter", "chat", "工资卡用你自己名下的，每月十号发工资", "用你身份证注册个个体户，办张对公卡给我们走钱，每月给你两千", "scam"),
]

# lawful lines near the shapes that main flagged
CLEAN = [
    ("viewer", "chat", "哈哈进球了！刚看完比赛，明天去面试"),
    ("viewer", "chat", "师傅说墙上要钉个钉子挂工牌"),
    ("recruiter", "chat", "我们入职不收任何费用，如果有人私聊你要钱，直接举报"),
    ("host", "chat", "私信我要电话的我一律不回，有问题点预约按钮"),
    ("viewer", "chat", "有个探探同名的号加我，我没搭理"),
    # from the earlier helpers' hand-written clean lines: another's rule reported and called false or unlawful, a
    # scheme said impossible or not promised, the employer paying
    ("recruiter", "chat", "有人说我们厂只要二十五岁以下的，那是谣言，四十多的也在干"),
    ("host", "chat", "要是哪个公司让你先验孕再签合同，截图投诉"),
    ("host", "chat", "这活不可能躺赚，一天站十个小时"),
    ("host", "chat", "我们机构不承诺包过，考不过可以免费重学一次"),
    ("recruiter", "chat", "培训费由用人企业支付，学员不花钱"),
    ("viewer", "chat", "客服，我下单时留的手机尾号2207，帮我看看快递到哪了"),
    ("host", "chat", "仓库编号0207，工位0031，新来的先找班长"),
    ("host", "chat", "怀孕的姐妹放心，公司不能因为怀孕把你调岗降薪，法律有规定"),
    ("viewer", "chat", "我上周做了个点赞返现的任务，垫了两百没返，已经报案了"),
    ("host", "chat", "那种让你先垫钱再派单的，我见一个封一个"),
    ("host", "chat", "大家记住，让你先下载APP充值再领任务佣金的都是诈骗"),
    ("host", "chat", "代孕在国内是违法的，谁私聊你招代孕妈妈，直接截图投诉"),
    ("host", "chat", "体检自己去医院做，我们不代收体检费"),
    ("host", "chat", "押一个月工资当保证金？我们这不搞这一套"),
    # batch 26's clean lines, in new wordings
    ("recruiter", "job", "煤矿井下采掘岗只招男工，这是国家规定；地面调度岗男女不限"),
    ("recruiter", "chat", "焊工证没有的话班组带你去考，考试费单位掏"),
    ("recruiter", "chat", "说电工证包过的都是假证，用了要负刑事责任"),
    ("viewer", "chat", "我前几年腰有毛病，现在好了，能去仓库搬货吗"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), BATCH26)
def test_batch_26_mechanisms_flag_a_new_wording(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(("role", "context", "text"), CLEAN)
def test_lawful_lines_near_the_new_shapes_pass(moderator: Moderator, role: str, context: str, text: str) -> None:
    check_allowed(moderator, role, context, text)


def test_a_doubled_app_name_is_still_a_contact(moderator: Moderator) -> None:
    """球球 and 钉钉 fold to one character; the doubled original still names the app."""
    for text in ("加我球球，号在主页", "工作群在钉钉，加我钉钉"):
        assert "diversion" in moderator.moderate(text, role="host", context="chat").categories, text


def test_the_new_groups_replace_no_other() -> None:
    check_own_groups(asides)
