"""Lines the lead fixed after reading batch 20 (the eighteenth round's held-out batch) at its end figure.

Missed there: a school tier required (本科须为211工程院校) and a lower tier refused (普通一本勿扰); an age refused with
the people named between (四十岁以上的嗲嗲婆婆莫来咯) and Hunan or Cantonese refusals (莫来, 冇得要); a region refused as
"don't send me" (别给我推东北来的) (就业促进法 §3, §26–31); a critic told the speaker knows their workshop, with a menace
(我知道你是哪个车间的，出门小心点), and a worker asked to a hotel at night (来酒店陪我) (5.1.3 c); pyramid returns without
a ceiling (收益无上限, held for review; 禁止传销条例 §7). A clean line was flagged: a fee disowned as "not that kind"
(不是那种居家交钱接单的); and, found while writing these, a hotel job's night snack read as a night meeting
(晚班有夜宵: 夜 before 宵 is no night, ``nightly``). The violations here are new wordings of those mechanisms, each beside a clean neighbour.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_pair

pytestmark = pytest.mark.clause("5.1.3 c")

# (role, context, clean line, violation next to it, the violation's category)
PAIRS = [
    ("recruiter", "job", "本科及以上学历，专业不限，应届往届均可", "本科须为985院校，普通本科勿扰", "discrimination"),
    ("host", "chat", "五十岁以上的叔叔阿姨也能报，保洁岗不挑年龄", "五十岁以上的叔叔阿姨就莫来了，我们厂冇得要", "discrimination"),
    ("recruiter", "chat", "四十岁以上的也欢迎，身体好就行", "45岁以上的大哥大姐不要，干不动", "discrimination"),
    ("host", "chat", "东北来的老乡也不少，大家都处得挺好", "招搬运工，别给我推河南来的", "discrimination"),
    ("host", "chat", "天冷路滑，大家下班出门小心点", "我知道你是哪个班组的，再乱说出门小心点", "harassment"),
    ("viewer", "chat", "你是哪个车间的？我也在三号厂", "你部门我都打听到了，等着", "harassment"),
    ("recruiter", "chat", "酒店前台岗，晚班有夜宵，来酒店面试走正门", "小妹妹今晚来酒店陪我，工作的事好说", "harassment"),
    ("host", "chat", "正规公司，按月发工资，提成按合同", "加盟就送团队，收益无上限，拉人越多赚越多", "scam"),
    ("host", "chat", "我们不是那种要交钱的中介，全程免费", "我们不是那种大厂，入职先交三百押金", "fee"),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "category"), PAIRS)
def test_a_clean_line_passes_and_its_violating_neighbour_is_flagged(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, category: str
) -> None:
    check_pair(moderator, role, context, clean, violation, category, rules_alone=True)
