"""Round 19: harassment in ordinary words (standard 5.1.3 c; 治安管理处罚法 §42; 个人信息保护法 §10; 妇女权益保障法 §23).

Rounds 14–18 named the menaces and favours they saw (来我房间, 开盒, 认准他); each shape here is composed from parts
a fresh writer keeps whatever words they pick:

- a person's data put out for others: 把 + (their photo, number, ID, address) + 挂/发/贴/曝光 (把张丽的照片和手机号挂在群里);
- a crowd told to abuse a person (大家轮流打电话骂她, 都去喷他); not denied (大家别骂他);
- a person's number or ID beside a charge against them (…身份证…，偷了厂里的货; not a scammer's number warned of);
- a third person menaced with a visit, beside a grievance or their data (…说我们坏话的小赵，家住…，我会找人去拜访她);
- a job traded for time alone with the speaker: a benefit (这份工, 转正, 录用…) and an outing or a private room
  with me (跟我去趟度假村, 单独来我办公室) within a stretch, either order;
- a body remark beside a meeting alone (你皮肤这么白，单独来我办公室).
A victim's report or question (有人在群里发了…，主播能管管吗) passes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

_REPORTED: Final = re.compile("有人|别人|被人|怎么办|报警|举报|管管|吗|？|\\?|截图|投诉")
_DENIED: Final = re.compile("不要|别|不能|禁止|不许|不准|严禁|不会")
_DATA: Final = "照片|相片|手机号|电话号?码?|身份证号?|住址|家庭住址|地址|联系方式|微信号|工号|车牌"
# put out where others see it (挂在群里, 发到网上, 曝光), not asked for (把联系方式发我, 把照片发来看看)
_PUT_OUT: Final = re.compile(
    f"把[^|]{{0,16}}?(?:{_DATA})[^|]{{0,6}}?(?:(?:挂|发|贴|晒|传)(?:在|到|上)[^|]{{0,4}}?"
    "(?:群|网|朋友圈|直播间|公屏|评论区|抖音|快手|空间|村|厂里)|挂出|曝光|公开)"
)
# the owner's own data, or the speaker undoing it (把自己身份证号发出来了，我替你删了)
_OWN_OR_UNDONE: Final = re.compile("自己|删了|删掉|撤回|别这样|不要这样")
_CROWD: Final = re.compile(
    "(?:大家|都|兄弟们|家人们|姐妹们|粉丝们|大伙)[^|]{0,8}?(?:轮流|一起|都|去)?(?:打电话|发消息|私信|留言)?(?:骂|喷|轰炸|骚扰|问候|辱骂)"
    "(?:她|他|死)"
)
_VISIT: Final = re.compile("(?:找人|叫人|派人|带人|喊人)(?:去|上门)?(?:拜访|收拾|教训|堵|找|招呼)(?:她|他|你)")
_GRIEVANCE: Final = re.compile("坏话|带节奏|乱说|差评|造谣|举报我|骂我|说我们|家住|住在|地址|身份证|电话")
_BENEFIT: Final = (
    "(?:这份|这个)(?:工|工作|岗|活|位置|offer)|转正|留用|录用|名额|升职|加薪|工作的事|岗位的事|入职的事|面试的事|offer"
    "|试用期|续签|涨工资|加工资|工资"
)
_WITH_ME: Final = (
    "(?:跟|和|陪|同)我(?:去|出去|过|住|喝|睡|待)[^|]{0,8}?(?:你懂的|过夜|一晚|度假|酒店|宾馆|温泉|家里|别墅|郊区|山庄|房间)"
    "|单独(?:来|去|到)(?:我)?(?:的)?(?:办公室|房间|宿舍|家|车上|住处)"
)
_TRADE: Final = re.compile(f"(?:{_BENEFIT})[^|]{{0,16}}?(?:{_WITH_ME})|(?:{_WITH_ME})[^|]{{0,16}}?(?:{_BENEFIT})")
_REMARK: Final = re.compile(
    "(?:皮肤|腿|身材|胸|屁股|腰|脸蛋)[^|]{0,4}?(?:白|长|好|大|细|翘|性感|正|嫩)[^|]{0,12}?(?:单独|晚上来|私下|来我房间|来我办公室)"
)


def _told(folded: str) -> bool:
    return _REPORTED.search(folded) is not None


def put_out(folded: str) -> Iterator[Raw]:
    """A person's data put out for others, or a crowd told to abuse them."""
    told: bool | None = None  # a victim's report: asked only once a shape is found (most anchored messages have none)
    for pattern, label in ((_PUT_OUT, "data put out"), (_CROWD, "crowd set on a person")):
        m = pattern.search(folded)
        if m is None or _DENIED.search(folded, max(0, m.start() - 4), m.start() + 3) is not None:
            continue
        if _OWN_OR_UNDONE.search(folded) is None:
            if told is None:
                told = _told(folded)
            if told:
                return
            yield ("harassment", "block", m.start(), m.end(), label)


# a person's number or ID beside a charge against them (离职员工…身份证…，偷了…，大家注意): a pillory, not a warning
# about a scammer's number (冒充, 别信, 诈骗)
_LONG_NUMBER: Final = re.compile("[0-9]{7,}")
ACCUSATIONS: Final = ("偷", "贼", "卷款", "卷钱", "跑路", "欠钱", "欠债", "老赖", "赖账", "手脚不干净", "人渣", "败类", "吃里扒外")
_ACCUSED: Final = re.compile("|".join(ACCUSATIONS))
_SCAM_WARNING: Final = re.compile("冒充|别信|诈骗|假冒|不是我们|失物|走失|寻人|报警")


def accused(folded: str) -> Iterator[Raw]:
    """A person's number or ID beside a charge against them: the charge and the data together shame them."""
    number = _LONG_NUMBER.search(folded)
    if number is None or _told(folded) or _SCAM_WARNING.search(folded) is not None:
        return
    charge = _ACCUSED.search(folded)
    if charge is not None and abs(charge.start() - number.start()) <= 30:
        yield ("harassment", "block", min(number.start(), charge.start()), max(number.end(), charge.end()), "charged with data")


def visited(folded: str) -> Iterator[Raw]:
    """A third person menaced with a visit beside a grievance or their data."""
    m = _VISIT.search(folded)
    if m is None or _GRIEVANCE.search(folded) is None or _told(folded):
        return
    if _DENIED.search(folded, max(0, m.start() - 4), m.start()) is None:
        yield ("harassment", "block", m.start(), m.end(), "visit threatened")


def traded(folded: str) -> Iterator[Raw]:
    """A job for time alone with the speaker, or a body remark beside a meeting alone."""
    for pattern, label in ((_TRADE, "job for an outing"), (_REMARK, "remark and a meeting alone")):
        m = pattern.search(folded)
        if m is not None and _DENIED.search(folded, max(0, m.start() - 3), m.start()) is None:
            yield ("harassment", "block", m.start(), m.end(), label)


# the data put out, or the abuse and its target (not 把 nor 大家: they fill ordinary messages)
PUT_OUT_ANCHORS: Final = ("照片", "相片", "手机号", "电话号", "身份证", "住址", "联系方式", "微信号", "工号", "车牌",
                   *(a + t for a in ("骂", "喷", "轰炸", "骚扰", "问候", "辱骂") for t in ("她", "他", "死")))
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "putout": PUT_OUT_ANCHORS,
    "visited": ("找人", "叫人", "派人", "带人", "喊人"),
    "accused": ACCUSATIONS,
    "traded": ("跟我", "和我", "陪我", "同我", "单独", "皮肤", "腿", "身材", "胸", "屁股", "腰", "脸蛋"),
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"putout": put_out, "visited": visited, "traded": traded, "accused": accused}
)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType(
    {"putout": "harassment", "visited": "harassment", "traded": "harassment", "accused": "harassment"}
)
LABELS: Final[frozenset[str]] = frozenset(
    ("data put out", "crowd set on a person", "visit threatened", "job for an outing", "remark and a meeting alone",
     "charged with data")
)
