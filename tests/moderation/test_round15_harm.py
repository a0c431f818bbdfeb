"""Round 15 (harm helper): harassment, discrimination and personal data by mechanism, each caught in wordings the
lines file (docs/measurements/2026-12-06-moderation-round15-harm-lines.tsv) does not hold, and each clearance beside
a violating neighbour that the rules alone must flag.

Harassment with no insult word (standard 5.1.3 d; 妇女权益保障法 §23): the listener's home or family known or
approached, following, harassing until answered, flooding the room, body shaming, innuendo, a favour for one's
own job, someone's number posted with a call against them (个人信息保护法 §10). Discrimination (就业促进法 §3,
§26–31; 妇女权益保障法 §43; 残疾人保障法 §38): questions about partners, children, faith and ethnicity (review),
a refusal phrased as 不太要/甭费劲报名/不予处理/就算了, an appearance or pregnancy-test condition. Personal data
(standard 4.4.1 c): someone else's address posted by an employer. Clearances: 陪玩 as online play with the
platform's 18+ rule, who sees the seeker's number, a seeker's report of what the HR asked, inclusive marriage wording.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_caught, check_pair

pytestmark = pytest.mark.clause("5.1.3 c", "5.1.3 d", "4.4.1 c")

# (role, context, text, action, category): each mechanism in wordings the lines file does not hold
CAUGHT = [
    # whereabouts known, approached under a condition, or named beside a menace
    ("viewer", "chat", "你宿舍在几楼我早就打听到了", "block", "harassment"),
    ("recruiter", "chat", "敢去劳动局告，我就派人上你老家找你爸妈", "block", "harassment"),
    ("viewer", "chat", "你儿子在哪个幼儿园我清楚，路上当心点", "block", "harassment"),
    ("viewer", "chat", "她每天几点下班走哪条路我都晓得", "block", "harassment"),
    # following; menace told
    ("viewer", "chat", "我昨晚在你身后跟了一路你都没发现", "block", "harassment"),
    ("host", "chat", "乱说话的话，回头有人找你麻烦", "block", "harassment"),
    # until answered; the room flooded by repetition
    ("viewer", "chat", "我就骂到你开口为止", "block", "harassment"),
    ("viewer", "chat", "不给说法我就每场都去公屏贴截图", "block", "harassment"),
    ("viewer", "chat", "我天天来你直播间刷屏，你不理我我就一直刷", "block", "harassment"),
    # body shaming, innuendo
    ("host", "chat", "这么胖还来面试礼仪岗，笑死", "block", "harassment"),
    ("viewer", "chat", "主播转个身让我们看看屁股", "block", "harassment"),
    ("recruiter", "chat", "妹妹腿真白，叫声哥哥就给你安排", "block", "harassment"),
    # a favour for one's own job
    ("recruiter", "chat", "想当组长？先让我亲一口", "block", "harassment"),
    # a threat to publish; someone's number pilloried
    ("viewer", "chat", "再拉黑我，就把你的真名发到老乡群里", "block", "harassment"),
    ("host", "chat", "这人干两天就跑，号码13566778899，大家记住他", "block", "harassment"),
    # who will hire you
    ("recruiter", "chat", "你今天走，明天没有一家厂给你开门", "block", "harassment"),
    # interview questions (review) and refusals
    ("recruiter", "interview", "你准备什么时候生老二", "review", "discrimination"),
    ("recruiter", "interview", "你是什么民族的，信什么教", "review", "discrimination"),
    ("host", "chat", "五十往上的阿姨我们这儿不太要", "block", "discrimination"),
    ("recruiter", "job", "面试前须做妊娠检测", "block", "discrimination"),
    # someone else's address posted by an employer
    ("host", "chat", "那位大姐住在和平区南京路66号3栋401，顺路的捎她一下", "block", "pii"),
]


@pytest.mark.parametrize(("role", "context", "text", "action", "category"), CAUGHT)
def test_each_mechanism_is_caught_by_the_rules(role: str, context: str, text: str, action: str, category: str) -> None:
    check_caught(role, context, text, action, (category,))


# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    # a visit or a firm; the listener's home known
    ("viewer", "chat", "明天我去你们公司现场面试", "你住哪个小区我都摸清了", "harassment"),
    ("recruiter", "chat", "背调只打给上家人事，不会联系你家人", "不撤诉的话，我让人去你家里坐坐", "harassment"),
    # a fan's daily visit; a flood under a condition
    ("viewer", "chat", "我每天都来你直播间看新岗位", "你不回我，我每天都来你直播间刷你", "harassment"),
    ("host", "chat", "有人一直在公屏发广告，房管踢一下", "你不退钱我就一直在公屏发你的事", "harassment"),
    # a size asked about oneself; a trait mocked
    ("viewer", "chat", "我比较胖，工作服有大码吗", "胖成这样还想穿工作服，辣眼睛", "harassment"),
    # a seeker's report of what the HR asked; the demand itself
    ("viewer", "chat", "面试时HR让我脱外套看身材，这正常吗", "面试先脱外套，我看看身材", "harassment"),
    # a team outing; a favour for a post
    ("host", "chat", "年会唱歌自愿参加，不喝酒也行", "陪老板唱唱歌，年底奖金翻倍", "harassment"),
    # online play with the platform's 18+ rule; escort work behind the word
    ("recruiter", "job", "招王者陪玩，线上语音，须满十八周岁", "陪玩可线下，陪客人吃饭唱歌", "scam"),
    # who sees the number; a number posted by the employer
    ("host", "chat", "你的手机号只有对接的人事能看到", "有问题打我手机13812345678", "diversion"),
    # inclusive marriage wording; a marriage question
    ("recruiter", "chat", "婚否都没关系，宝妈也欢迎", "报名的说一下婚否", "discrimination"),
    # a lawful certificate; an able body as a condition
    ("recruiter", "job", "电工需持低压电工作业证", "电工需身体健康，无残疾", "discrimination"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


def test_a_seekers_own_address_in_dialect_is_masked() -> None:
    """Standard 4.4.1 c: a seeker's own home is masked, not held (俺屋在… is a first person)."""
    d = Moderator(learned=False).moderate("俺屋在长沙雨花区韶山路88号7栋", role="viewer", context="chat")
    assert d.action == "mask" and d.categories == ("pii",), d.to_json()


def test_a_fraud_warning_is_no_pillory() -> None:
    """A scammer's number warned against is no harassment (the employer's posted number stays diversion and pii);
    a worker's number with a call against them is (个人信息保护法 §10)."""
    rules = Moderator(learned=False)
    warned = rules.moderate("有骗子冒充我们，号码13912345678，大家避开", role="host", context="chat")
    assert "harassment" not in warned.categories, warned.to_json()
    pilloried = rules.moderate("跑单的那个小王，手机13912345678，各位避雷", role="host", context="chat")
    assert pilloried.action == "block" and "harassment" in pilloried.categories, pilloried.to_json()
