"""Round 17's contacts the e-mail and handle cues cannot see (standard 5.1.3 d; 个人信息保护法 §5–6).

- An e-mail address spelled in words (hr_kitchen 艾特 一六三 点 com, 小老鼠 sina 点 cn, at qq 点康姆): the folded text
  has no ``@`` or dot left, so :func:`moderation.detectors.emails` cannot read it. Kind ``email``: the pii rule
  decides (masked for a seeker, diversion for the employer side).
- A name to search on another platform (抖音搜 托尼造型阿凯, 快手里头搜 老王带你进厂, 小红书搜…): the seeker is sent
  off the platform by a search, with no id or number. Not a warning (别去…搜), not this platform (本平台搜), not a
  question, not the job (抖音运营).
Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

AT_ANCHORS: Final = ("艾特", "圈a", "小老鼠", "老鼠", "点com", "点康姆", "点cn", "点net", "dotcom")
_SPELLED: Final = re.compile(
    "(?:艾特|圈圈a|圈a|小老鼠|老鼠|at)(?:一六三|幺六三|一二六|幺二六|一三九|163|126|139|qq|扣|企鹅|sina|新浪|gmail|foxmail|outlook"
    "|hotmail|yeah|sohu|搜狐|aliyun|阿里云)(?:点|dot)(?:com|cn|net|康姆|康|西恩)"
)


def spelled_emails(folded: str) -> Iterator[Raw]:
    """An e-mail address with its @ and dot written as words."""
    m = _SPELLED.search(folded)
    if m is not None:
        yield ("pii", "email", m.start(), m.end(), "email spelled")


SEARCH_ANCHORS: Final = tuple(f"{p}{w}搜" for p in ("抖音", "快手", "小红书", "视频号", "b站", "微博", "红薯", "dy", "ks", "微信小程序")
                       for w in ("", "上", "里", "里头", "里面", "上面", "直接", "上直接", "号"))  # fmt: skip
_SEARCH: Final = re.compile(
    "(?:抖音|快手|小红书|视频号|b站|微博|红薯|dy|ks|微信小程序)(?:号)?(?:上|里|里头|里面|上面)?(?:直接)?搜(?:索|一下|一搜)?(?:我|我的)?(?:名字|账号|号)?"
    "(?!什么|啥|一下就|到|不到|过)[“\"「『]?[\u4e00-\u9fffa-z0-9]{2,}"  # round 17: a mini-program's name in quotes
)
_NOT_SENT: Final = re.compile("别去|不要去|不用去|别搜|不要搜|不用搜|本平台|直播间里|本直播间|运营|剪辑|吗|？|\\?|骗|中介收费|冒充")


def searched_handles(folded: str) -> Iterator[Raw]:
    """A name to search on another platform: the seeker sent off the platform."""
    m = _SEARCH.search(folded)
    if m is None or _NOT_SENT.search(folded) is not None:
        return
    yield ("diversion", "block", m.start(), m.end(), "search elsewhere")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({"spelledmail": AT_ANCHORS, "searchme": SEARCH_ANCHORS})
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"spelledmail": spelled_emails, "searchme": searched_handles}
)
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"searchme": "diversion"})  # a contact read already
LABELS: Final[frozenset[str]] = frozenset(("search elsewhere",))
