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
