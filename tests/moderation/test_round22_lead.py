"""Lines the lead fixed in the twenty-second round, each a new wording beside a clean neighbour, flagged by the rules
alone.

From the spent batch 23 and the ninth writer's probes (read at this round's start): a task that fakes a market or a
crowd, paid (bids raised by a plant, reviews to order, a rival attacked by a hired crowd: 网络信息内容生态治理规定 §24;
反不正当竞争法 §8); the seeker's account or name used by another for a cut (刑法 §266); winnings paid as the wage
(刑法 §303), a win promised beside a top-up, games played for pay with a top-up before the payout; a false
certificate sold by the piece (刑法 §280); phone cards carried in bulk to a border and a border trip paid per trip (刑法 §287-2); 可以 that sends
the other sex to another post welcomes nobody (就业促进法 §27); messengers of migrant communities named with a
contact cue, this room called the wrong place to talk, a contact told in a code, put together and dialled, printed on
a parcel the reader holds, or a numbered room in an app to install (standard 5.1.3 d); a Cantonese 冇交 before the
job refused is the fee's condition (5.1.3 c); the window of a refusal counted from
the people named (单亲家庭出来的孩子…不招), chronic diseases as a health class, and a cured disease that the food law
no longer bars (就业促进法 §30; 食品安全法 §34 bars the disease while it lasts). Clean: a refusal that answers a
request (问能不能加…，不用了), minors refused (劳动法 §64), an advance repaid against the receipt.

From batch 24, read after the round's end figure: AirDrop as a channel, digits given and then called the speaker's
phone, a contact hidden in the speaker's own thing or digits swapped into a known number; work behind a membership
bought, parcels sent on for a fee per piece, biometrics sold, a placement promised (保送你去…: review) and a service
fee before landing abroad; a ground said not to be tested (不在单子上) lets the learned stage's hold go.
"""

from __future__ import annotations

import pytest

from moderation import deceits
from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_own_groups, check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("recruiter", "chat", "拍卖直播间招场控，负责上链接和回答问题，按场结", "拍卖直播间招几个人坐公屏，别人出价你就跟着抬价，按场结",
     "scam"),
    ("host", "chat", "招客服，帮店铺回复买家评价，月薪四千", "招人去对手店铺刷差评，一条八块，当天结", "scam"),
    ("recruiter", "chat", "招新媒体运营，写文案回评论，底薪五千", "招水军帮老板骂同行，两百条给五十块", "scam"),
    ("recruiter", "chat", "珠宝直播招助播，陪主播介绍产品，一场两百", "珠宝直播招人假装买家在公屏抢单，一场两百", "scam"),
    ("recruiter", "chat", "公积金可以按规定提取付房租，找单位人事办", "借你的公积金账户办一笔装修提取，钱下来返你三成", "scam"),
    ("host", "chat", "信用卡额度不够可以找银行调，和工作无关", "刷你名下的信用卡额度套出来，给你两个点好处", "scam"),
    ("host", "chat", "斗地主比赛赢了送纪念品，不涉及钱", "进群打牌，赢了算工资，输了公司兜底", "scam"),
    ("recruiter", "chat", "跑边境口岸的货车司机，每趟补贴按公司标准走", "跑一趟边境帮公司带货，每趟给八千，不用问是什么", "scam"),
    ("recruiter", "chat", "出差去边境口岸，手机卡公司统一办，一人一张", "帮老板捎几十张电话卡过边境，机票全报", "scam"),
    ("host", "chat", "仓库理货男女都可以，姐妹们也可以报", "仓库理货我们更想要男的，女生可以去看看其他岗", "discrimination"),
    ("recruiter", "chat", "越南老乡可以用Zalo问家里人这个厂靠不靠谱", "越南老乡加Zalo：hoa.nail66，来厦门做美甲的找我", "diversion"),
    ("recruiter", "chat", "Instagram上的招聘广告别信，我们只在平台招", "Instagram搜 mei.salon_sz 谈工资", "diversion"),
    ("recruiter", "chat", "公屏上不方便说的，点报名按钮，平台客服会联系你", "工资细节直播间里不好讲，想干的扣1我一个个发短信", "diversion"),
    ("recruiter", "chat", "单亲家庭出来的孩子我们一样欢迎，宿舍有独立柜子", "单亲家庭出来的孩子心理多半都有点问题，咱们面包房不招", "discrimination"),
    ("recruiter", "chat", "活动性肺结核按食品安全法不能做面点，治好了复查合格就能来",
     "肺结核就算好利索了，我们面点车间也一律不收", "discrimination"),
    ("host", "chat", "有哮喘的工友注意，车间有粉尘，公司给配口罩", "有哮喘的就别来面试了", "discrimination"),
    ("host", "chat", "这几个数字连起来是今天的总件数", "菜价：白菜1.3、土豆9.8、茄子52.7，小数点去掉连起来拨我", "diversion"),
    ("host", "chat", "手机号按实名登记的填，别写错了", "电话我用十二生肖报：鼠虎龙，马猴狗，牛兔蛇，你们自己对", "diversion"),
    ("recruiter", "chat", "快递面单上的电话是收件人的，别乱打", "寄给你们的样品，包装上那个号就是我的，翻出来打", "diversion"),
    ("recruiter", "interview", "装个钉钉进公司群是入职以后的事，现在平台上聊", "复试换地方：下个语音软件，进5201房间找我", "diversion"),
    ("recruiter", "chat", "冇交社保的我们公司帮你补缴，不扣工资", "冇交三百蚊工衣钱的就不排班，讲过好多次", "fee"),
    ("host", "chat", "工装背后印的是公司名字，统一发", "我帽子侧面绣的那几个字母就是我的号，截图去搜", "diversion"),
    ("host", "chat", "密室逃脱招NPC，每场一百二，月底结", "密室试玩员，每局返二十，满十局要先充两百会员才能提现", "scam"),
    ("host", "chat", "这个游戏主播今晚陪大家开黑，不充钱", "下个钓鱼游戏，充五十送五十，跟着我稳赢", "scam"),
    ("recruiter", "chat", "有人卖假的电工证一千二一本，千万别买，查出来要坐牢", "假的电工证一千二一本，网上能查，上岗没人查", "scam"),
    # batch 24, read after the round's end figure: each in a new wording
    ("host", "chat", "隔空投送发来的陌生文件别乱收，小心诈骗", "在展会现场的，开一下隔空投送，搜'阿强装修'，我把联系方式投过来", "diversion"),
    ("host", "chat", "今天的单号尾数是4471，大家核对一下", "你们先记7738，再接上5519，前面补个139，这就是我电话", "diversion"),
    ("recruiter", "chat", "你的联系方式在简历里填好，平台会保密", "想报名的，我的微信号藏在我今天发的那条视频标题里", "diversion"),
    ("host", "chat", "工号2263是我，有问题平台私信", "我手机号就是店里座机，把后四位换成我工号8812就行", "diversion"),
    ("recruiter", "chat", "超市会员日，员工不用开会员也有折扣", "跑腿兼职，先开个年卡会员才能接单，年卡六百八", "scam"),
    ("recruiter", "chat", "快递到了请及时签收，有问题寄回给客服", "在家代收包裹，签收后转寄到我给的地址，每件结三十", "scam"),
    ("host", "chat", "采音员的录音只用于本项目，合同写明不外传", "招采音员，读一段稿子，声纹卖给我们，一次两百", "scam"),
    ("host", "chat", "优秀员工可以推荐去总部培训", "在我们店干满半年，保送你去总部当店长", "scam"),
    ("recruiter", "chat", "去海外工地，服务费公司出，机票报销", "海外酒店招服务员，先交两万八服务费，签证我们办，到了就上班", "scam"),
]

CLEAN = [
    ("viewer", "chat", "这家店的差评是不是水军刷的？"),
    ("host", "chat", "有人私信找你当托抬价，一场两百，千万别接，违法的"),
    ("host", "chat", "我们直播间从不请托，不抬价，主播按场结"),
    ("viewer", "chat", "用我自己的公积金付房租，要什么材料"),
    ("recruiter", "chat", "用你的身份证办入职登记，工资卡发工资给你"),
    ("viewer", "chat", "出境旅游记得带两张手机卡，边境那边信号不好"),
    ("host", "chat", "仓库理货男女都可以，女生也行，姐妹们可以看看"),
    ("host", "chat", "仓库理货我们更想要有叉车证的，没证的可以看看别的岗"),
    ("host", "chat", "有老乡问能不能加个Zalo私聊，不用了，就在直播间问"),
    ("host", "chat", "井下作业必须年满18岁，未成年人不招，这是规定"),
    ("recruiter", "chat", "健康证那点钱你先垫上，拿发票找财务，月底原数给你"),
    ("host", "chat", "这边宿舍离地铁远，交通不方便，公司有班车"),
    ("recruiter", "chat", "仓库入职体检就查个血常规，两对半、妊娠这些都不在单子上"),
    ("host", "chat", "出国务工一定找有资质的外派公司，签证费是使馆收的，不经我们手"),
]


def test_a_licensed_agency_clears_a_fee_abroad_not_a_course_sold_with_work() -> None:
    """The merge fix for 出国…有资质 must not clear 学费…包你每月有活干 (人力资源市场暂行条例 §24)."""
    rules = Moderator(learned=False)
    course = rules.moderate("正规培训学校，学费六千八，学完包你每月有活干", role="host", context="chat")
    assert "scam" in course.categories, course.to_json()
    abroad = rules.moderate("出国劳务正规渠道，服务费按国家规定明码标价", role="host", context="chat")
    assert "scam" not in abroad.categories, abroad.to_json()


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


@pytest.mark.parametrize(("role", "context", "text"), CLEAN)
def test_lawful_lines_near_the_new_shapes_pass(moderator: Moderator, role: str, context: str, text: str) -> None:
    check_allowed(moderator, role, context, text)


def test_the_rounds_groups_replace_no_other() -> None:
    check_own_groups(deceits)
