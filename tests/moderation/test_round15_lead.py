"""Lines the lead's hand test found wrong at the fifteenth round's merge, each beside a neighbour that uses the same
words and is decided the other way by the rules alone.

A host telling viewers that the room never contacts them privately (我们不会私下联系) refuses diversion as 不用加微信
does; an offer to talk privately stays diversion (standard 5.1.3 d). A host describing a fee scam's steps and
ending with a warning (大家千万别上当) warns; a fee asked stays a fee (就业促进法 §41). Kit the worker must buy from the
employer, the verb first (得先买我们的工作鞋，一双一百五), is a fee like kit sold to him (§41). A passport kept by
the employer is held like an ID card (§41; 劳动合同法 §9: no ID card "or other papers"). A region written as the
only one allowed (籍贯限湖南湖北) discriminates (§26, 人力资源市场暂行条例 §24). "你这种胖子也配…" mocks a body.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("host", "chat", "有问题直接在直播间问，别信私信找你的人，我们不会私下联系", "有问题的话我们私下联系，直播间不方便说", "diversion"),
    ("recruiter", "chat", "我们从不私信求职者，报名只在平台投递", "想了解细节的私信我，我单独跟你说", "diversion"),
    ("host", "chat", "骗子的套路是先让你交体检费，再让你交服装费，大家千万别上当", "先交体检费，再交服装费，交完就能上岗", "fee"),
    ("host", "chat", "工作鞋公司免费发，不用自己买", "要进这个厂得先买我们的工作鞋，一双一百五，不买不让上岗", "fee"),
    ("recruiter", "chat", "劳保手套去超市买就行，不用买我们的", "上岗前先买公司的劳保三件套，一套两百八", "fee"),
    ("host", "chat", "出国务工的护照自己保管好，谁要都别给", "去柬埔寨做客服，月薪两万，护照交给我们保管", "fee"),
    ("recruiter", "job", "籍贯不限，全国各地都可以来", "籍贯限湖南湖北，其他省份不要", "discrimination"),
    ("viewer", "chat", "我这种胖子也能干仓管吗", "你这种胖子也配当主播？", "harassment"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)


# Batch 17, read after its end figure (lines written by the lead around each mechanism, not the batch's own):
# wages held back as a deposit (§41; 劳动合同法 §9), fees named 报名钱/打点费/茶水钱, childbirth barred by contract
# (妇女权益保障法 §43), a region refused in Cantonese, a profile picture threatened to be put out, a host asked to
# show skin, viewers pulled one by one into the speaker's group, a QQ number in 大写 numerals (standard 5.1.3 d).
PAIRS_17 = [
    ("recruiter", "chat", "工资每月十号准时发，不押工资", "第一个月工资押着当保证金，干满半年再给", "fee"),
    ("host", "chat", "报名不要钱，直接点投递", "报名钱八十，现场交给我", "fee"),
    ("host", "chat", "报名费不交也能排班，我们不收", "先把报名钱一百五交了，不交不得排你上车", "fee"),
    ("recruiter", "chat", "进国企不用打点，走正规招聘", "进国企的打点费两万，成了再给", "fee"),
    ("recruiter", "job", "孕期女职工依法享受产假和产检假", "签合同后两年内不允许生育", "discrimination"),
    ("recruiter", "chat", "新人入职后公司帮大家办喜事有礼金", "新人要保证三年内不办喜事，做得到再谈", "discrimination"),
    ("host", "chat", "我哋请新疆嚟嘅师傅，欢迎", "我哋唔请四川嚟嘅，唔好意思", "discrimination"),
    ("host", "chat", "把招聘海报挂出来了，大家看看", "再不回我，我就把你头像挂出来", "harassment"),
    ("host", "chat", "透露一点，明天有新岗位", "主播穿得太严实了，露一点大家才爱看", "harassment"),
    ("host", "chat", "想进群的别信，我们没有群，都在直播间说", "想要岗位表的扣1，我挨个拉进小群发", "diversion"),
    ("host", "name", "物业急聘伍号站", "物业急聘企鹅伍肆叁贰壹零玖捌", "diversion"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS_17)
def test_batch_17_mechanisms_beside_clean_neighbours(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)
