"""Lines the lead fixed in the twenty-third round, each a new wording beside a clean neighbour, flagged by the rules
alone.

From the spent batches 21–24 and the tenth writer's probes (read at this round's start): a contact asked of the other
side together with a reason to leave this app (standard 5.1.3 d: 导流), with 能不能私下… read as the question it is and
not as the refusal 不能私下; a contact counted or read off a thing in view and then called the speaker's or dialled; a
cut of the worker's pay taken for the placement, money left at the desk before work, and a cost the worker advances
whose repayment is left to the employer's mood (就业促进法 §41; 人力资源市场暂行条例 §27). Clean: the posts' place
(只招本地岗: the jobs are local, not the people) and a seeker asking whether their own condition bars them.

From batch 25, read after the round's end figure: an app's number asked with a reason to leave, a mobile number in
pinyin numerals or sung in solfège, a name searched elsewhere that shows the speaker's contact; the hiring step
promised once a payment is made (scam beside the fee), handwork at home against a material deposit, a buy-in per head
(its fee), a place sold by anyone (就业促进法 §41); work abroad without a work visa (出境入境管理法 §41, §43); whoever
complains told to think of the consequences (治安管理处罚法 §42); a hand, a blood type, a past work injury as grounds
and 也得是 as a want (就业促进法 §3).
"""

from __future__ import annotations

import pytest

from moderation import deceits, elsewhere, levies, puzzles
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("viewer", "chat", "主播你们有没有别的联系方式，还是只能在直播间问？", "主播能不能私下给个电话，我爸不会用这个软件", "diversion"),
    ("viewer", "chat", "这软件我手机上老闪退，报名按钮在哪", "小姐姐还有没有别的号，这软件在我手机上老闪退", "diversion"),
    ("viewer", "chat", "下了播还能报名吗？明天几点开播", "老铁整个联系方式呗，下了播咱俩唠唠", "diversion"),
    ("host", "chat", "看我身后那排货架，每层都贴了品名，一看就懂", "看我身后那排货架，一层层数下来就是我手机号", "diversion"),
    ("recruiter", "chat", "销售岗底薪四千，提成另算，公司不从你工资里抽", "劳务派遣这块，我们按你头三个月工资抽成，厂里发薪后直接划给我们",
     "fee"),
    ("host", "chat", "工服弄坏了按规定处理，不用在前台押钱", "酒店的制服弄丢了照价赔，入职先在前台押点钱", "fee"),
    ("recruiter", "chat", "健康证自己先垫，拿发票找财务，月底全额报", "健康证一般你先垫，有时候老板给报，看情况", "fee"),
]

# From batch 25, read after the round's end figure (each in a new wording, missed by main's rules in its category)
BATCH25 = [
    ("viewer", "chat", "主播的抖音号是多少啊，我关注一下", "老板你飞书号多少，我直接找你报名", "diversion"),
    ("recruiter", "chat", "yao san jiu 这三个字是我们的厂训", "yao wu san jiu ling er wu qi ba ba liu 打这个找人事", "diversion"),
    ("viewer", "chat", "在平台搜公司名就能看到全部岗位", "主播别磨叽了，百度搜“老马修车”就能看到我电话", "diversion"),
    ("recruiter", "chat", "电话按简谱唱出来的歌挺好听", "号码照简谱念：哆咪嗦 哆发啦来 咪嗦西哆，打过来找我", "diversion"),
    ("recruiter", "chat", "资料交完我就给你安排面试", "先帮我代付一笔两百的工牌费，付完马上给你安排入职", "scam"),
    ("host", "chat", "在家做手工，不收押金，材料免费寄到家", "串珠手工活在家做，先交三百材料押金，材料快递到家", "scam"),
    ("host", "chat", "每介绍一个老乡来上班奖励两百", "果园合作社招股东，一股两千八，每拉一个人进来返你五百", "fee"),
    ("viewer", "chat", "有人说给他1800保你入职，是骗子吧", "我跟人事熟，给我1800保你入职，不成全退", "fee"),
    ("host", "chat", "出国务工要办工作签证，我们公司统一办理", "去日本做护工不用工作签证，走旅游转打工，到了有人接", "scam"),
    ("recruiter", "chat", "你去劳动局咨询，我们全力配合", "你要是去劳动局告我们，后果自己想清楚", "harassment"),
    ("recruiter", "chat", "左撇子也能干，剪刀有左手的", "左撇子的不要，机器都是右手的", "discrimination"),
    ("recruiter", "chat", "献血的同事可以请假，O型血的急需", "我们老板讲究这个，只要A型血的", "discrimination"),
    ("host", "chat", "工伤保险公司全额缴纳，出了工伤公司负责", "以前出过工伤的不要，怕再出事", "discrimination"),
    ("host", "chat", "娘们儿也能来，活不重", "搬砖的活也得是爷们，娘们来了添乱", "discrimination"),
]

# lawful lines near the shapes
CLEAN = [
    ("recruiter", "chat", "说去缅甸做客服月薪三万的都是骗人出境，我们只招本地岗，不外派"),
    ("recruiter", "job", "只招本地岗，不接外派单"),
    ("recruiter", "chat", "这批只招本市的岗位，工地都在市区"),
    ("viewer", "chat", "体检报告上写着小三阳，这个岗是不是就没戏了？"),
    ("viewer", "chat", "主播能不能私下联系？算了，我还是在平台上问吧"),
    ("host", "chat", "平台规定不能私下加联系方式，有问题在评论区问"),
    ("host", "chat", "算出来就是你的到手工资，多劳多得"),
    ("viewer", "chat", "我之前那个厂，工资被中介抽成了三个月，大家小心"),
    ("host", "chat", "网约车司机，平台抽成按行业规定，多跑多得"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), BATCH25)
def test_batch_25_mechanisms_flag_a_new_wording(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(("role", "context", "text"), CLEAN)
def test_lawful_lines_near_the_new_shapes_pass(moderator: Moderator, role: str, context: str, text: str) -> None:
    check_allowed(moderator, role, context, text)


def test_the_new_groups_replace_no_other() -> None:
    """A group name reused replaces the other group's detector silently (this round's first 'wagecut' hid round 12's)."""
    assert {"paycut", "deskmoney", "advance", "paidfirst", "outwork", "placesold"} <= set(levies.ANCHORS)
    check_own_groups(levies, elsewhere, deceits, puzzles)
