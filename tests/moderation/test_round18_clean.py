"""Round 18 (clean helper): clean lines that name a violation only to disown it (:mod:`moderation.disowned`), each
beside a violating neighbour in the same words that the rules alone must still catch.

Mechanisms: a host's block list (说代收押金的，我全拉黑了); the speaker's own past told in the passive (被收过体检费,
被人骂过); a cooperative's shares with the workers exempt (农民专业合作社法 §13); a landlord or a public body as the
payee, and deductions the law requires (工资支付暂行规定 §15, 工会法 §43); the platform's own code and a 不搞 refusal (standard
5.1.3 d); the mine law named after a mining job's men-only limit (女职工劳动保护特别规定, 附录 1); 没 + a fee ending
its clause. Fees: 就业促进法 §41; harassment and discrimination: standard 5.1.3 c, 就业促进法 §27.
"""

from __future__ import annotations

import pytest

from moderation.engine import Moderator
from tests.moderation.conftest import check_allowed, check_caught

pytestmark = pytest.mark.clause("5.1.3 c", "5.1.3 d")

# (role, context, clean line, violating neighbour, the neighbour's action and categories)
PAIRS = [
    # a block list: described, then sanctioned; not a refusal that is the condition, nor a sanction for non-payers
    ("host", "chat", "说代收押金的，我全拉黑了，大家放心问", "押金三百，不交的我全拉黑了", "block", ("fee",)),
    ("host", "chat", "刷单返利那种广告我这直播间一律踢出去", "刷单返利日结，不做的踢出去", "block", ("fee",)),
    ("host", "chat", "谁在评论区让你们加微信的，我见一个拉黑一个", "没加我微信的，我见一个拉黑一个", "block", ("diversion",)),
    ("viewer", "chat", "我把私聊叫我加vx的人拉黑了，主播这边是正规的吧", "想进厂的私聊我，加vx领名额", "review", ("diversion",)),
    ("host", "chat", "群里喊交报名费的那几个号，场控已经挨个禁言", "报名费两百，交了的留下，其他的拉黑", "block", ("fee",)),
    # the speaker's own past in the passive
    ("host", "chat", "我自己当年进厂被收过体检费，所以现在我这招人一分不收", "我当年进厂也交过体检费，你们也先交两百体检费", "block", ("fee",)),
    ("host", "chat", "我以前也被人骂过死胖子，所以我直播间不许人身攻击", "你个死胖子，别在我直播间待着", "block", ("harassment",)),
    # a cooperative's shares, the workers exempt
    ("host", "chat", "我们村茶叶合作社，入股才分红，打工的按天结工资，不用入股", "想来打工先入股两万，年底保底分红三成", "block", ("scam",)),
    ("host", "chat", "社里入股的才掏钱，来摘茶的工人一分钱不用出", "来摘茶的工人也得入股，不入股不给活，年底保底分红", "block", ("scam",)),
    # a lawful payee; a statutory deduction with its law named
    ("host", "chat", "宿舍是自己在外面租的话，房东收押一付三，这个跟公司无关", "住宿舍要交床位押金三百，离职扣掉不退", "block", ("fee",)),
    ("host", "chat", "想考会计初级的，报名费是在财政局网上交", "想考会计初级的，报名费交给我，八百包过", "block", ("fee",)),
    ("host", "chat", "工会会费千分之五，是工会法规定的，自愿入会", "每个月工资里先扣一百管理费，再押两百", "block", ("fee",)),
    # the platform's own code; a refusal with 不搞
    ("host", "chat", "系统会给你们发一个面试二维码，是平台生成的", "扫我主页的二维码加好友，面试细聊", "block", ("diversion",)),
    ("host", "chat", "咱这儿不搞私加好友，有事当着大家面说", "咱这儿都是私加好友，有事私下说", "block", ("diversion",)),
    # the mine law named after the limit
    ("host", "chat", "采掘工作面只招男工，女工不能下井是劳动保护规定", "采掘队的办公室文员只招男工", "block", ("discrimination",)),
    # 没 + the fee ending its clause
    ("host", "chat", "谁再问押金我就要收'问题费'了哈哈，开玩笑的，没押金", "开玩笑的，押金两百还是要交", "block", ("fee",)),
]


@pytest.mark.parametrize(("role", "context", "clean", "violation", "action", "categories"), PAIRS)
def test_a_disowned_line_passes_and_its_neighbour_stays_caught(
    moderator: Moderator, role: str, context: str, clean: str, violation: str, action: str, categories: tuple[str, ...]
) -> None:
    check_allowed(moderator, role, context, clean)
    check_caught(role, context, violation, action, categories)


# The same mechanisms in wordings the lines file does not hold (written with the code, not measured on)
OTHER_WORDINGS = [
    ("host", "chat", "找你要服装费的那种厂，我这边一概不推"),
    ("viewer", "chat", "早几年在工地被包工头骂过猪脑子，后来就不干了"),
    ("host", "chat", "厂外租房的定金房东说了算，公司不管"),
    ("host", "chat", "叉车证报名费交到市里的考试中心，跟我们没关系"),
]


@pytest.mark.parametrize(("role", "context", "text"), OTHER_WORDINGS)
def test_the_mechanisms_in_other_wordings(moderator: Moderator, role: str, context: str, text: str) -> None:
    check_allowed(moderator, role, context, text)
