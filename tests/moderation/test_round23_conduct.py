"""Round 23 (conduct helper): harassment told by the act, not by an insult word — a body priced, a presence
announced after the listener's routine is told, harm on a condition, touch in an intimate task, leering told, a
crowd called on a marked person, whoever speaks up threatened (standard 5.1.3 d; 民法典 §1010; 治安管理处罚法 §42;
妇女权益保障法 §23–25; 个人信息保护法 §10; :mod:`moderation.conduct`). Each violation (missed by main's rules alone in
its category) sits beside a clean neighbour said by the same role in the same context.
"""

from __future__ import annotations

import pytest

from moderation import conduct
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 d")

# (role, context, clean, violation, category)
PAIRS: list[tuple[str, str, str, str, str]] = [
    # priced: a body appraised, then the person's price
    ("viewer", "chat", "主播别理那些问身材开价的人，太恶心了", "主播这腰这腿，一晚上开个价吧", "harassment"),
    ("host", "chat", "这款瑜伽裤显腰显腿，开个价格给大家：两件八十九", "主播脸蛋身段都不错，包月什么价位", "harassment"),
    ("viewer", "chat", "我腿受过伤，仓库搬运这个价钱能干吗？", "这胸这屁股，哥出两千够不够", "harassment"),
    # awaited: the listener's routine told, then the speaker's presence
    ("recruiter", "interview", "你每天几点能到？明天早上八点我在门口等你带你入职",
     "我知道你每天七点从厂门口出来，明天我就在那等你", "harassment"),
    ("viewer", "chat", "有个人跟我说知道我几点下班要在门口等我，我好害怕怎么办",
     "你每天骑电动车走南门那条路，我明天在路口等你", "harassment"),
    ("recruiter", "chat", "你们宿舍在三号楼，周末宿管会过去检查卫生", "你们宿舍在三号楼我晓得，周末我过去找你", "harassment"),
    # threatened: a condition, then harm to the listener's body or property
    ("seeker", "chat", "再拖我工资，我就去劳动监察大队投诉你", "再拖我工资，我半夜来把你的车点了", "harassment"),
    ("seeker", "chat", "工钱不结清，我会依法起诉，证据都留着", "工钱不结清，我把你仓库一把火烧了", "harassment"),
    ("viewer", "chat", "有人说要烧我的车，已经报警了", "敢不回我消息，你的店就等着被砸吧", "harassment"),
    # handled: the hiring side's touch in an intimate task
    ("recruiter", "interview", "工服扣子在后面，试的时候叫女同事帮你扣", "试工服的时候我帮你穿，扣子在后面你自己够不着",
     "harassment"),
    ("recruiter", "job", "按摩技师：给顾客做肩颈推拿，持证上岗，底薪加提成", "店长上岗第一周要给老板按摩放松，这是工作内容",
     "harassment"),
    ("recruiter", "job", "康养中心招护理员，帮助失能老人擦身、更衣", "新来的保姆每晚要给男主人揉脚，这是规矩", "harassment"),
    # ogled: the speaker's gaze on the listener or a named worker, with a body part or arousal
    ("viewer", "chat", "主播直播的时候我截了好多商品链接的图，慢慢挑", "你直播的时候我截了好多你领口的图，慢慢看", "harassment"),
    ("viewer", "chat", "快递站那个穿黄马甲的姑娘每次都帮我找件，特别耐心",
     "快递站那个穿黄马甲的姑娘，每次取件我都盯着她看，那腰细的", "harassment"),
    ("viewer", "chat", "你们前台那个扎马尾的很热情，帮我登记还给我倒水", "你们前台那个扎马尾的，我天天路过都盯着她腿看",
     "harassment"),
    ("viewer", "chat", "主播弯腰拿货小心点，腰别闪了", "你擦桌子的时候裙子一晃一晃的，我眼睛都看直了", "harassment"),
    # mustered: a crowd called on a marked person to confront them
    ("viewer", "chat", "车牌苏A12345的司机在高速上救了人，大家帮忙找找，想给他送锦旗",
     "兄弟们，车牌苏A12345的那个司机，见到了直接拦下来收拾他", "harassment"),
    ("host", "chat", "有人号召去理发店找小美麻烦，这是违法的，我们不支持",
     "直播间的人都去那家理发店，找那个叫小美的，让她知道厉害", "harassment"),
    ("seeker", "chat", "工友们，刘主管说下班后在车间开会，车牌尾号888的车别挡路",
     "工友们，刘主管开一辆白色比亚迪，车牌尾号888，下班了一起去围他", "harassment"),
    # silenced: whoever speaks up promised harm
    ("recruiter", "chat", "谁再在评论区带节奏，房管会禁言", "谁再在评论区带节奏，小心他的腿", "harassment"),
    ("recruiter", "chat", "谁再在群里发广告，就移出群聊", "谁再在群里发工资的事，就让他卷铺盖走人还得挨顿打", "harassment"),
    ("viewer", "chat", "谁再帮她说话也没用，证据都在平台那", "谁再帮她说话，下一个就是谁", "harassment"),
]

# lawful lines near the shapes: a safety warning, a lawful step, a duty of care, a fitness or sales line, a host's rule
CLEAN: list[tuple[str, str, str]] = [
    ("host", "chat", "提醒女生：如果有人说知道你每天几点下班还说要在门口等你，马上报警"),
    ("recruiter", "chat", "新人报到：明天上午九点，我在工厂南门等你，带身份证"),
    ("host", "chat", "主播每天下午三点开播，明天我在直播间等大家"),
    ("host", "chat", "仓库严禁明火，谁把货点了要负全部责任"),
    ("seeker", "chat", "不把押金退我，我就打12345"),
    ("recruiter", "job", "护工：协助老人穿衣、洗澡、翻身，需有护理证"),
    ("recruiter", "job", "裁缝店招学徒，负责给顾客量体，女顾客由女师傅量"),
    ("host", "chat", "健身教练这腰这腿都是练出来的，私教课一节两百"),
    ("host", "chat", "大家看到有人在店门口堵员工，请马上报警，别围观"),
    ("viewer", "chat", "这个骑手叫张强，送餐超快，大家给他点个好评"),
    ("host", "chat", "谁要是被骚扰了就举报，平台会处理"),
    ("viewer", "chat", "三楼奶茶店收银的妹子手脚麻利，排队一会就到了"),
    ("viewer", "chat", "有人一直盯着主播领口截图，太猥琐了，房管封他"),
    ("seeker", "chat", "面试那天我一直盯着考官看，紧张得腿发抖"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_an_act_is_caught_by_the_rules_and_its_neighbour_passes(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(("role", "context", "text"), CLEAN)
def test_lawful_lines_near_the_acts_pass(moderator: Moderator, role: str, context: str, text: str) -> None:
    check_allowed(moderator, role, context, text)


def test_intimate_touch_is_the_hiring_sides(moderator: Moderator) -> None:
    """The same words from a viewer are no duty imposed by the hiring side (the group is employer-only)."""
    text = "新来的保姆每晚要给男主人揉脚，这是规矩"
    assert "handled" in conduct.EMPLOYER_ONLY
    said = Moderator(moderator.lexicon, learned=False)
    assert "intimate touch imposed" in str(said.moderate(text, role="recruiter", context="job").to_json())
    assert "intimate touch imposed" not in str(said.moderate(text, role="viewer", context="chat").to_json())


def test_the_round_names_its_own_groups() -> None:
    check_own_groups(conduct)
