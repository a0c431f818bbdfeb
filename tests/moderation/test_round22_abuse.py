"""Round 22 (abuse helper): harassment by mockery of a trait, exposure threatened to a place of the listener's life,
and pretexts for contact offered by the hiring side (standard 5.1.3 d; 民法典 §1010; 治安管理处罚法 §42;
:mod:`moderation.abuse`). Each violation (missed by main's rules alone) sits beside a clean neighbour in the same words.
"""

from __future__ import annotations

import pytest

from moderation import abuse
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_own_groups

pytestmark = pytest.mark.clause("5.1.3 d")

Said = tuple[str, str, str]  # role, context, text

# (the violation, its clean neighbour)
PAIRS: list[tuple[Said, Said]] = [
    (
        ("viewer", "chat", "楼上那个河南的，你说话那调调笑得我肚子疼"),
        ("host", "chat", "河南的老乡说话调调很亲切，听着就像回家了"),
    ),
    (
        ("host", "chat", "你这东北大碴子口音一出来，直播间都要笑翻了"),
        ("host", "chat", "我这东北口音一出来大家就笑，我自己也乐"),
    ),
    (
        ("recruiter", "interview", "你这个子站柜台上，顾客还以为是小孩来帮忙的，哈哈"),
        ("recruiter", "interview", "个子不影响，站柜台有台阶，顾客看得见你"),
    ),
    (
        ("viewer", "chat", "主播你脸这么大，镜头都装不下了吧"),
        ("viewer", "chat", "主播今天换了个广角镜头，画面大了不少"),
    ),
    (
        ("recruiter", "interview", "你们湖南那边来的讲话都像吵架，你也一样，听着就烦"),
        ("recruiter", "interview", "湖南那边来的同事很多，讲话直爽，你来了不会孤单"),
    ),
    (
        ("viewer", "chat", "你皮肤黑成这样，站夜班门口保安都看不见你"),
        ("viewer", "chat", "我皮肤黑，夜班站门口要不要穿反光背心？"),
    ),
    (
        ("host", "chat", "这位老铁一开口就是一股大蒜味儿的山东腔，笑死"),
        ("host", "chat", "老铁说山东话好亲切，我姥姥也是山东的"),
    ),
    (
        ("viewer", "chat", "你那塑料普通话我一句都听不懂，回你们村里播去吧"),
        ("viewer", "chat", "我普通话不标准，客服岗会不会听不懂我说话？"),
    ),
    (
        ("host", "chat", "看你那土样，头发跟鸡窝似的，还来面试前台"),
        ("host", "chat", "面试前台不用化妆，头发扎起来干净就行"),
    ),
    (
        ("recruiter", "interview", "说话带着一股乡下味，像个刚进城的农民，你自己不觉得丢脸吗"),
        ("recruiter", "interview", "说话带点乡音没关系，客户反而觉得实在"),
    ),
    (("viewer", "chat", "你长得像个土豆，还天天开美颜"), ("viewer", "chat", "主播别开美颜了，素颜挺好看的")),
    (
        ("recruiter", "chat", "你这大饼脸配上那口温州话，客户见了都得绕着走"),
        ("recruiter", "chat", "会讲温州话的优先，客户多是温州老板"),
    ),
    (
        ("viewer", "chat", "咱就说你这鼻子，塌得跟被门拍过一样"),
        ("viewer", "chat", "有人笑话我鼻子塌，主播你说这种人是不是很过分"),
    ),
    (
        ("host", "chat", "你们安徽人说话跟含着石头一样，回去练练再来吧"),
        ("host", "chat", "安徽的朋友说话我有时候听不懂，麻烦打字慢一点哈"),
    ),
    (
        ("viewer", "chat", "你那罗圈腿走路跟鸭子一样，笑得我"),
        ("viewer", "chat", "我罗圈腿，站一整天的流水线会不会很累"),
    ),
    (
        ("host", "chat", "那个姓刘的，你的牙黄得跟玉米粒似的，别凑近镜头"),
        ("host", "chat", "牙齿黄的用美白牙贴，我用了一个月效果不错"),
    ),
    (
        ("viewer", "chat", "你一张嘴我就知道是从大山里出来的，土得冒烟"),
        ("viewer", "chat", "我也是大山里出来的，现在在厦门做仓管，大家加油"),
    ),
    (
        ("recruiter", "chat", "你这福建口音，胡建胡建的，听得我直乐"),
        ("recruiter", "chat", "福建口音没事，我们这边客人都是本地的，反而亲切"),
    ),
    (
        ("viewer", "chat", "你这五短身材也来拍服装模特？逗谁呢"),
        ("viewer", "chat", "五短身材能做服装模特吗？想问问要求"),
    ),
    (
        ("viewer", "chat", "你儿子在实验小学三年级二班吧，再拉黑我，我就把你干的事打印出来贴到他班门口"),
        (
            "recruiter",
            "job",
            "招实验小学三年级学生的课后辅导老师，下午四点半到六点，地点在学校旁边的托管中心",
        ),
    ),
    (
        ("recruiter", "chat", "你老家那个村的微信群我也在，不把培训费结清，我就把你欠钱的截图发到群里"),
        ("host", "chat", "有人说要把截图发到你老家的群里威胁你，这种直接报警，别给钱"),
    ),
    (
        ("host", "chat", "你要是敢给我差评，我就把你和我的聊天记录发给你们车间主任"),
        ("viewer", "chat", "给了差评就被威胁发聊天记录给车间主任，这算违法吗？"),
    ),
    (
        ("viewer", "chat", "不撤回你那条评论，我明天就去学校门口给你女儿班主任讲讲她妈是干啥的"),
        ("recruiter", "chat", "你们学校的辅导员我认识，到时候把实习证明发给他就行"),
    ),
    (
        ("viewer", "chat", "我录了你直播的屏，你不道歉我就发到你们镇上的团购群里让大家评评理"),
        ("host", "chat", "温馨提示：聊天记录截图保存好，遇到被威胁的情况截图发平台客服"),
    ),
    (
        ("viewer", "chat", "你孩子在城南幼儿园大班对吧，你再不回我消息，我让全班家长群都知道你的事"),
        ("viewer", "chat", "孩子在城南幼儿园大班，想找个四点前下班的活，接孩子方便"),
    ),
    (
        ("host", "chat", "你们老乡群我进去了，敢去别的直播间，我把你的黑料发群里"),
        ("host", "chat", "老乡群里有人发岗位信息，大家注意甄别，有收费的别去"),
    ),
    (
        ("recruiter", "interview", "不接受这个薪资也行，你前公司的人事我熟，我跟他们说道说道你的为人"),
        ("recruiter", "interview", "你之前那家公司的人事我认识，他们对你评价挺好的"),
    ),
    (
        ("viewer", "chat", "把钱还我，不然你们小区业主群里明天就有你的照片和视频"),
        ("viewer", "chat", "我们小区业主群里有人发了保洁招聘，两千八一个月，有人知道吗？"),
    ),
    (
        ("viewer", "chat", "你弟在二中高二七班，你要是再躲着我，我就去他教室把这些聊天记录念给全班听"),
        ("recruiter", "interview", "入职体检在医院做，女医生给你量血压"),
    ),
    (
        ("recruiter", "chat", "你要离职可以，先把工服钱赔了，不然你妈那个广场舞群里人人都能看到你的欠条"),
        ("recruiter", "chat", "工服不用赔，离职的时候交回来就行"),
    ),
    (
        ("viewer", "chat", "你不跟我见面，我就把你以前的视频发到你老公家族群里"),
        ("viewer", "chat", "我老公家族群里都在问我新工作的事，哈哈"),
    ),
    (
        ("recruiter", "chat", "不来上班也行，你毕业那个学校的辅导员我有微信，违约的事我跟他说说"),
        ("recruiter", "chat", "你毕业学校的辅导员可以帮你开实习证明，找他就行"),
    ),
    (
        ("recruiter", "interview", "面试前你先躺这张床上，我给你按按肩膀放松一下，不然紧张发挥不好"),
        ("recruiter", "interview", "面试在一楼公共办公区，门开着，旁边有同事，放心来"),
    ),
    (
        ("recruiter", "chat", "你的手这么凉，来，面试官帮你捂捂，捂热了再填表"),
        ("recruiter", "chat", "工服尺码表发群里了，自己对照身高体重填，S到XXL都有"),
    ),
    (
        ("recruiter", "chat", "来试工的妹子先到我车上坐会儿，我给你捏捏脖子，保证明天干活有精神"),
        ("host", "chat", "冬天面试等候区有暖气和热水，来早了可以先暖暖手"),
    ),
    (
        ("recruiter", "interview", "量工装尺寸要贴身量，胸围臀围我来，你别动"),
        ("recruiter", "interview", "量工装尺寸由女同事在更衣室帮你量，你自己报数也可以"),
    ),
    (
        ("recruiter", "chat", "天冷，面试完我送你回去，手给我揣兜里暖暖"),
        ("recruiter", "chat", "天冷了，面试完公司有班车送到地铁站"),
    ),
    (
        ("host", "chat", "试镜之前我先给你做个推拿放松肌肉，闭上眼睛就行，别跟别人说"),
        ("host", "chat", "试镜之前自己在家做做拉伸，放松肌肉，上镜状态好"),
    ),
    (
        ("recruiter", "chat", "你过来，面试前我帮你检查一下工作服里面穿得合不合规，手伸进去看一下"),
        ("recruiter", "chat", "工作服里面穿自己的T恤就行，不用买"),
    ),
    (
        ("recruiter", "interview", "今晚来我办公室加个面，只有我一个人，门我会锁上，安心"),
        ("recruiter", "interview", "复试在公司会议室，HR和部门经理一起在场"),
    ),
    (
        ("recruiter", "chat", "入职培训第一课是我单独给你做腿部按摩，适应站立工作"),
        ("recruiter", "chat", "入职培训有站姿训练，站久了腿酸可以自己带护膝"),
    ),
    (
        ("recruiter", "chat", "小妹你手冰成这样，坐我腿上我给你暖暖再说工作的事"),
        ("viewer", "chat", "我手冰成这样，冬天做冷库分拣扛得住吗"),
    ),
    (
        ("recruiter", "interview", "紧张的话我给你揉揉后背，揉开了再开始，只有我们俩不用害羞"),
        ("recruiter", "interview", "紧张的话喝口水，慢慢说，我们不赶时间"),
    ),
]

# lawful lines near the shapes: praise, self-mockery, help offered, a warning, a customer's complaint to the firm's boss
CLEAN: list[Said] = [
    ("viewer", "chat", "笑死，你这河南话太亲切了"),
    ("recruiter", "chat", "你穿上工服像个老师傅了"),
    ("viewer", "chat", "主播你皮肤跟雪一样白"),
    ("host", "chat", "你们东北人说话跟我们一样直爽"),
    ("viewer", "chat", "你说话带口音一点都不丢脸"),
    ("viewer", "chat", "我老家是河南的，说话土得很，大家别笑我"),
    ("recruiter", "chat", "要是你不会操作，我把教程视频发到你们工友群里"),
    ("viewer", "chat", "如果你们厂招人，我把我的简历截图发你们人事"),
    ("host", "chat", "谁要是威胁你说要把小作文发你们村的群里，别怕，那是敲诈，直接报警"),
    ("recruiter", "chat", "我帮你抱箱子上楼，面试在三楼"),
    ("recruiter", "job", "按摩店招技师，师傅手把手教，包吃住，来我们店里面试"),
    ("recruiter", "chat", "有问题私下来我办公室聊"),
    ("viewer", "chat", "主播你讲话好搞笑，笑死我了"),
    ("viewer", "chat", "你这东北话笑得我肚子疼，太逗了"),
    ("viewer", "chat", "再不退押金，我就把聊天记录发给你们老板看"),
]


@pytest.mark.parametrize(("violation", "clean"), PAIRS)
def test_a_violation_is_caught_by_the_rules_and_its_neighbour_passes(
    moderator: Moderator, violation: Said, clean: Said
) -> None:
    role, context, text = violation
    rules = Moderator(moderator.lexicon, learned=False).moderate(text, role=role, context=context)
    assert rules.action == "block" and "harassment" in rules.categories, (text, rules.to_json())
    check_allowed(moderator, *clean)


@pytest.mark.parametrize(("role", "context", "text"), CLEAN)
def test_lawful_lines_near_the_new_shapes_pass(
    moderator: Moderator, role: str, context: str, text: str
) -> None:
    check_allowed(moderator, role, context, text)


def test_a_pretext_is_the_hiring_sides_offer(moderator: Moderator) -> None:
    """The same words from a seeker are no hiring pretext (the group is employer-only)."""
    text = "面试前我先给你做个推拿放松肌肉，闭上眼睛就行，别跟别人说"
    assert "pretext" in abuse.EMPLOYER_ONLY
    said = Moderator(moderator.lexicon, learned=False)
    assert "harassment" in said.moderate(text, role="recruiter", context="chat").categories
    assert "contact pretext" not in str(said.moderate(text, role="viewer", context="chat").to_json())


def test_the_round_names_its_own_groups() -> None:
    check_own_groups(abuse)
