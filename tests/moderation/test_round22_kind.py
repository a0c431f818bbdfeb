"""Round 22: a fee paid in kind (``moderation/inkind.py``), each violation beside a clean neighbour, flagged by the
rules alone and missed by main's rules.

就业促进法 §41 (no deposit, no property from a worker), 人力资源市场暂行条例 §27, standard 5.1.3 c: the worker gives
value to the employer side as the condition of the job — a share of the running cost, a live-room gift for a place,
the employer's goods bought to start, a vehicle or tool on a loan the employer arranges (also a scam), a part of the
pay kept back as a guarantee. The clean side: the employer pays, a viewer asks, a host refuses or thanks, a warning.
"""

from __future__ import annotations

import pytest

from moderation import inkind
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    (
        "host",
        "chat",
        "冷库的制冷电费都是公司出，新来的兄弟一分不用摊",
        "咱们冷库新进来的兄弟，头三个月每月工资里出两百算制冷分摊，老员工不用出",
        "fee",
    ),
    (
        "host",
        "chat",
        "有人说奶茶店新店员要分担损耗，我们店没有这个规矩，放心来",
        "奶茶店新店员要分担门店的损耗，每月定额一百，第一个月开始扣，这个是入职条件",
        "fee",
    ),
    (
        "recruiter",
        "job",
        "纸张损耗属于正常生产成本，不会让学徒赔，也不会预扣工资",
        "注塑车间招操作工，新员工需承担机台磨损，每月按三百从薪资中核减，满一年取消",
        "fee",
    ),
    (
        "host",
        "chat",
        "宿舍空调电费按电表走，每间自己分，一个月也就二三十块",
        "宿舍那台大空调的电是新人包的，一人一月一百二，老人不摊，同意了明天就能上班",
        "fee",
    ),
    (
        "host",
        "chat",
        "砖厂窑火钱这说法我没听过，我们这新来的什么都不用出",
        "咱这砖厂规矩，新来的窑火钱要出，每个月扣一百五，干够两年才免",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "绣花机针头线耗都是厂里出，学徒坏了针也不用赔",
        "绣花机的针头线耗新学徒自己兜着，一月两百左右，从计件里走，不同意的不收",
        "fee",
    ),
    (
        "host",
        "chat",
        "面试按报名顺序排，刷不刷嘉年华都一样，别乱花钱",
        "想插队面试的，给主播刷个嘉年华，下一个就连你的麦",
        "fee",
    ),
    (
        "host",
        "chat",
        "有人私信说刷火箭给内推名额，那是骗子，我们从不这么干",
        "给主播上个舰长，直接进复试，别的都不用管",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "礼物榜跟招聘没有任何关系，初试看的是简历",
        "礼物榜前三的今天直接过初试，其他人等下周",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "连麦面试不用刷任何东西，排到你就上",
        "连麦面试一次要刷一个跑车，刷完我给你过",
        "fee",
    ),
    (
        "host",
        "chat",
        "刷玫瑰的家人们谢谢，报名的事跟刷不刷没关系",
        "刷十个玫瑰就算报上名了，没刷的不算",
        "fee",
    ),
    (
        "host",
        "chat",
        "茶厂推广员不用订茶饼，样品公司免费发，底薪四千",
        "茶厂招推广员，想上岗先订我们自家的茶饼，十饼起订，两千二",
        "fee",
    ),
    (
        "host",
        "chat",
        "有人让你先进货满三千才算入职，那就是变相收费，别去",
        "做我们家护肤品代理，第一单进货满三千才算正式入职",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "中秋节厂里给每个员工发两盒月饼，临时工也有",
        "月饼厂临时工，上岗前每人认购二十盒厂里的月饼，一盒六十八",
        "fee",
    ),
    (
        "host",
        "chat",
        "水果店临期水果员工可以半价买，不买也完全没事",
        "水果店招店员，新人得先把店里那批临期水果买下来，八百块，算入职门槛",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "新人开工从仓库领货，不用交货款，卖多少算多少提成",
        "新人开工前要从仓库领一批货，货款六百先压在公司，干满三个月再结",
        "fee",
    ),
    (
        "host",
        "chat",
        "有人说开挖机要先贷款买一台才给活，那是套路贷，千万别信",
        "想开挖机的兄弟，我们合作的金融公司给你贷款买一台，贷下来就给你派活",
        "scam",
    ),
    (
        "host",
        "chat",
        "收割机是合作社的，机手只管开，油钱合作社出",
        "开收割机的活，机器厂家帮贷款，三年还完机器就是你的，不贷就没活干",
        "scam",
    ),
    (
        "host",
        "chat",
        "厢货专线的车全部公司出，挂公司名下，司机拿工资就行",
        "想来跑专线的，先在我们这按揭一辆厢货，月供八千，车挂公司名下，按揭办好就排线",
        "scam",
    ),
    (
        "recruiter",
        "job",
        "工资每月15号发上个月的，不压工资，离职当月结清",
        "前三个月每月工资留一千在公司作风险担保，干满一年连本带息还你",
        "fee",
    ),
    (
        "recruiter",
        "interview",
        "试用期工资是转正的八折，按月全额发放，不扣任何担保",
        "试用期每月扣五百作为履约担保，提前离职的这部分不予返还",
        "fee",
    ),
    (
        "recruiter",
        "chat",
        "社保和个税从工资里扣，其他一分不扣，到手五千三",
        "入职的每人工资里按月留存三百诚信金，年底考核过了再发",
        "fee",
    ),
    (
        "host",
        "chat",
        "师傅们放心，工钱每月按时打卡上，公司不替任何人管工资",
        "来的师傅，前两个月的工钱公司先替你管着，干满一年再给，怕你们跑",
        "fee",
    ),
    (
        "host",
        "chat",
        "带班只管排班，不碰你们的工资，谁让你存钱当押底就举报",
        "每个月工资少发三百，存在带班那里当押底，带班说你合格了再拿回",
        "fee",
    ),
]

CLEAN = [
    ("recruiter", "chat", "新人分摊到各个班组，每组两个，底薪四千五"),
    ("recruiter", "chat", "新人承担的工作量会少一些，工资四千起"),
    ("host", "chat", "新来的兄弟要出勤满二十二天才有全勤奖两百"),
    ("host", "chat", "礼物榜第一的大哥，谢谢你，面试的事大家按顺序来"),
    ("host", "chat", "加入粉丝团可以优先看到新岗位，面试都是免费的"),
    ("recruiter", "job", "采购专员，负责购买原材料，要求两年经验，月薪八千，入职买社保"),
    ("host", "chat", "入职后可以内购公司产品，员工价八折"),
    ("recruiter", "job", "汽车金融公司招按揭专员，底薪六千，入职缴纳五险"),
    ("host", "chat", "很多师傅是贷款买的车，来我们这跑运输收入稳定"),
    ("recruiter", "chat", "公司可以为员工担保申请公租房，工作满一年就行"),
    ("host", "chat", "年终奖年底一起发，干满一年才有，一般两个月工资"),
    ("viewer", "chat", "前两个月工资只发一半，另一半说是担保，这个合法吗？"),
    ("viewer", "chat", "点亮灯牌能不能优先安排面试啊？"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(("role", "context", "text"), CLEAN)
def test_lawful_lines_near_the_new_shapes_pass(
    moderator: Moderator, role: str, context: str, text: str
) -> None:
    check_allowed(moderator, role, context, text)


def test_a_loan_for_the_kit_is_a_fee_and_a_scam() -> None:
    found = list(inkind.loans_for_kit("想开挖机的兄弟我们合作的金融公司给你贷款买一台贷下来就给你派活"))
    assert {raw[0] for raw in found} == {"fee", "scam"}


def test_a_seeker_telling_of_a_gift_or_a_loan_is_no_fee(moderator: Moderator) -> None:
    """The groups are the employer's (§41 binds employers): a viewer's own gift or loan passes."""
    for text in (
        "我在直播间送了两百的礼物，跟面试有关系吗",
        "我自己分期买了全套美甲设备，想找个能带设备上岗的店",
    ):
        check_allowed(moderator, "viewer", "chat", text)


def test_the_round_names_its_own_groups() -> None:
    check_own_groups(inkind)
