"""Round 14: the mechanisms batch 15's fresh writer still got past (read after its end figure), each caught in
wordings no batch used, and each clearance beside a violating neighbour that must stay flagged by the rules alone.

Harassment without an insult word (a beast metaphor, a brain question, a flood threat, a hotel room at night,
"who will still hire you"): standard 5.1.3 d, 妇女权益保障法 §23. Scams (an investment with its return, a certain
pay, a casino by its euphemism, a seeker's offer to bring others to 陪酒): 人力资源市场暂行条例 §24, §27, 刑法 §303,
§359. An age range as a requirement: 就业促进法 §3 (held for review, as every age limit under 45). A viewer's home
address after a dialect first person: masked (standard 4.4.1 c). Clearances: a scheme inside a refused description
(不是那种…包分配的培训班), members' top-ups as the job (负责会员充值), a private message answered on the platform
(回我私信), an idiom said of oneself (我脑子进水了才会去); a mine's men-only limit that also covers another job is not
the law's (女职工劳动保护特别规定, 附录 1 closes only 矿山井下作业).
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_caught, check_pair

pytestmark = pytest.mark.clause("5.1.3 c", "5.1.3 d", "4.4.1 c")

# (role, context, text, action, category): each mechanism in wordings the lines file does not hold
CAUGHT = [
    # insult by metaphor; a brain question (review)
    ("viewer", "chat", "你们这个劳务所就是一帮蚂蟥，吸干了才放人", "block", "harassment"),
    ("host", "chat", "你全家都是白眼狼，白教你了", "block", "harassment"),
    ("viewer", "chat", "主播脑壳是不是被门夹了，工资都算不对", "review", "harassment"),
    # who will still hire you; a career threat beside a review-kind word
    ("recruiter", "chat", "你去告啊，看这一片哪家厂还敢要你", "block", "harassment"),
    ("host", "chat", "你等着，我让你在这个镇上进不了厂", "block", "harassment"),
    ("recruiter", "chat", "辞职可以，你这辈子别想再进电子厂", "block", "harassment"),
    # probes written after the code (怕不是 is no refusal; 找不到一份工 ends a career threat)
    ("viewer", "chat", "主播怕不是脑袋秀逗了吧", "review", "harassment"),
    ("recruiter", "chat", "你敢走，我让你在这一带找不到一份工", "block", "harassment"),
    # flood threat; hotel room at night
    ("viewer", "chat", "不退我报名费是吧，我喊一群人来你直播间刷屏", "block", "harassment"),
    ("recruiter", "interview", "复试改到格林豪泰508，夜里十点单独过来", "block", "harassment"),
    ("host", "chat", "想要这个岗位，今晚来经理住的宾馆谈谈", "block", "harassment"),
    # investment with its return; certain pay (review); casino euphemism; players' top-ups abroad
    ("host", "chat", "给大家推荐个项目，入股五万，每年分红两万", "block", "scam"),
    ("recruiter", "chat", "跟我干一年，包你在老家盖栋楼", "review", "scam"),
    ("recruiter", "job", "真人视讯平台招客服 会打字 美金结算", "block", "scam"),
    ("host", "chat", "柬埔寨游戏平台招专员，负责给玩家充值上分", "block", "scam"),
    # a seeker passing a scheme on: a pitch asked as a question, a told experience with an offer
    ("viewer", "chat", "有没有想挣快钱的小姐妹，会所缺陪酒的", "review", "scam"),
    ("viewer", "chat", "我表姐在夜场坐台，挣得多，想去的找我", "review", "scam"),
    # task scam: paid first, back once done; a course fee on any loan
    ("host", "chat", "做关注任务，先垫付五十，做完返六十", "block", "scam"),
    ("recruiter", "chat", "学电工包上岗，费用九千，可以办信用贷", "block", "scam"),
    # a QQ number in Chinese numerals
    ("recruiter", "name", "普工直招企鹅号七七六六五五四", "block", "diversion"),
    # an age range in numerals
    ("host", "job", "仓管 年龄二十五至三十五周岁", "review", "discrimination"),
    # a viewer's address after a dialect first person (masked)
    ("viewer", "chat", "俺家住在石家庄裕华区槐安路南边那个家属院5号楼2单元", "mask", "pii"),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "category"), CAUGHT)
def test_each_mechanism_is_caught_by_the_rules(role: str, context: str, text: str, action: str, category: str) -> None:
    check_caught(role, context, text, action, (category,))


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # a scheme inside a refused description; the description ended, or nothing closes it
    ("host", "chat", "我们不是那种先交钱再包分配的中介", "我们不是那种小作坊，交钱学完包分配", "scam"),
    ("recruiter", "job", "本公司不搞收费包分配那一套，直接签合同", "本公司包分配，收费合理", "scam"),
    ("host", "chat", "这里不是那些说日赚千元的刷单群", "不是吹，刷单日赚千元", "fee"),
    # members' top-ups as the job; a seeker's own top-up with an amount
    ("recruiter", "job", "游戏公司客服 负责会员充值问题解答", "接单前会员充值两百，做完再返", "fee"),
    ("recruiter", "job", "电商平台客服 负责买家充值退款咨询", "入职先充值一百九十九开通账号", "fee"),
    # a private message answered on the platform; a viewer's contact invitation
    ("viewer", "chat", "主播回一下我私信呗，问问宿舍的事", "想去的姐妹私信我，我拉你进群", "diversion"),
    # an idiom said of oneself; said to the listener
    ("viewer", "chat", "我脑子进水了才会去那个黑厂", "你脑子进水了吧，还不退钱", "harassment"),
    ("viewer", "chat", "我年纪大了，感觉在这行混不下去了", "我让你在这行混不下去", "harassment"),
    # a report of someone else's metaphor; the metaphor said to the listener
    ("viewer", "chat", "上个厂的主管天天说我们是寄生虫，我受不了就辞职了", "你们这帮人就是寄生虫", "harassment"),
    # a flood told about or forbidden; threatened
    ("host", "chat", "请大家不要刷屏，有问题一个一个问", "不给退钱我就天天来刷屏", "harassment"),
    # a hotel's own job post, a lodging offer, a warning; a room at night
    ("host", "job", "宾馆前台夜班 晚上十点到早上八点 面试白天来", "面试改在宾馆306房，晚上十点一个人来", "harassment"),
    ("host", "chat", "外地来面试的，公司安排酒店房间住一晚", "今晚来我酒店房间，单独聊聊入职的事", "harassment"),
    ("host", "chat", "任何人约你晚上去酒店房间面试，都不要去，直接举报", "晚上去酒店房间面试，一个人来", "harassment"),
    # a licensed finance job, a denial; an investment with its return
    ("recruiter", "job", "银行理财经理 需持基金从业资格证 底薪八千", "理财专员招募，先投两万，年化二十", "scam"),
    ("host", "chat", "工资按月发，我们不搞入股不搞投资", "不搞虚的，投三万，每月返两千", "scam"),
    # a lawful minimum wage and a plain wage; a certain fortune
    ("host", "job", "保底工资四千五，计件另算", "跑船一年稳拿三十万", "scam"),
    ("host", "chat", "包吃包住，买好火车票报销", "包你一年买车，跟我走", "scam"),
    # a game company at home; players' top-ups abroad
    ("recruiter", "job", "游戏公司客服 负责玩家充值售后 双休", "菲律宾游戏公司招客服 负责玩家充值", "scam"),
    # the law's mine limit; a men-only limit over a list of jobs
    ("host", "chat", "井下岗位只招男的，地面文员男女都要", "井下、机修、调度都只要男的", "discrimination"),
    ("recruiter", "job", "井下掘进工：限男性，须持证", "井下掘进工和仓管：限男性", "discrimination"),
    # an age said without a limit; an age range as a requirement
    ("host", "chat", "工期二十到三十五天，干完结清", "要二十到三十五岁之间的", "discrimination"),
    ("host", "chat", "年龄不限，十八到六十岁都可以", "年龄十八到三十之间", "discrimination"),
    # a floor is no address; a street and a block are
    ("viewer", "chat", "俺住在五楼，电梯坏了三天了", "俺住在城关镇解放路那个小区3栋", "pii"),
    # wage deductions and QQ refused; a QQ number in numerals
    ("recruiter", "chat", "扣扣不用加，直播间投递就行", "扣扣搜三三二二一一五，加了备注", "diversion"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    if category == "pii":  # a seeker's address is masked, not held: check_pair wants review or block
        assert moderator.moderate(clean, role=role, context=context).action == "allow"
        d = Moderator(moderator.lexicon, learned=False).moderate(violation, role=role, context=context)
        assert d.action == "mask" and "pii" in d.categories, (violation, d.to_json())
        return
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)
