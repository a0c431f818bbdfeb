"""Round 18's contacts the app words do not spell (standard 5.1.3 d: 导流).

- A contact written in split characters: 加 as 力口 or katakana カロ, 信 as 亻言, 扣 as 扌口 (カロ我微亻言 maomi_2026,
  扌口扌口 3345209). A split piece must be in the match and a handle after it: "不加微亻言" names no handle.
- A dialect possessive before the app's first character (Teochew 我个微是, Cantonese 我嘅微係, Wu 阿拉个薇, Sichuan
  我嘞微是) with a handle after it; the app word alone (我个微信号被封了) or a question without a handle is none.
- A platform's first character or nickname run into a handle of initials and digits (抖dy9527, 快ks20261,
  红薯xhs0755): a display name that carries an account; not 快消KA专员 (no digits after the letters).
Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

_WARNED: Final = re.compile("骗|别加|不加|不要加|别信|举报|冒充|不是我们|拆开写|拆字")
_HANDLE: Final = "[a-z]{0,12}[0-9][a-z0-9]{3,}|[a-z]{2,}[0-9]{0,3}[a-z]*[0-9]{2,}"

SPLIT_PIECES: Final = ("力口", "カロ", "亻言", "扌口")
_ADD: Final = "(?:力口|カロ|加)"
_TRUST: Final = "(?:亻言|信)"
_SPLIT: Final = re.compile(
    f"(?:{_ADD}(?:我|俺|阮|个|一下)?的?)?(?:(?:微|威|薇|v)?{_TRUST}|(?:扌口|扣){{1,2}}|{_ADD}(?:我|俺|阮))"
    f"(?:号|是|为|搜)?(?:{_HANDLE})"
)


def split_contacts(folded: str) -> Iterator[Raw]:
    """A contact written in split characters (カロ我微亻言 maomi_2026): an app word in pieces, then a handle."""
    for m in _SPLIT.finditer(folded):
        if any(p in m.group() for p in SPLIT_PIECES) and _WARNED.search(folded) is None:
            yield ("diversion", "block", m.start(), m.end(), "split contact")
            return


_OWNERS: Final = ("我", "阿拉", "阮", "俺", "偶", "吾", "侬", "伲")
_OF: Final = ("个", "嘅", "嘞", "滴", "哋", "噶", "咯", "兮")
_APPS: Final = ("微", "威", "薇", "v")
POSSESSIVE_ANCHORS: Final = tuple(o + p + a for o in ("我", "拉", "阮", "俺", "偶", "吾") for p in _OF for a in _APPS)
_POSSESSIVE: Final = re.compile(
    f"(?:{'|'.join(_OWNERS)})(?:{'|'.join(_OF)})(?:{'|'.join(_APPS)})(?:信|x|号)?(?:号)?"
    f"(?:是|係|系|为|就是|:)?(?:{_HANDLE})"
)


def dialect_possessive(folded: str) -> Iterator[Raw]:
    """The speaker's WeChat told in a dialect's possessive (我个微是 ahua0754, 我嘅微係 zp5566)."""
    m = _POSSESSIVE.search(folded)
    if m is not None and _WARNED.search(folded) is None:
        yield ("diversion", "block", m.start(), m.end(), "dialect contact")


# whole initials, the handle's digits right after them (the regex wants no letters between)
INITIALS_ANCHORS: Final = ("抖dy", "快ks", "红薯xhs", "薯xhs", "书xhs", "红薯hs", "视频号sph", "抖音dy", "快手ks")
_INITIALS: Final = re.compile("(?:抖音?|快手?|红薯|小红薯|薯|书|视频号)(?:号)?(?:dy|ks|xhs|hs|sph)[0-9]{3,}")


def platform_initials(folded: str) -> Iterator[Raw]:
    """A platform's first character run into a handle of its initials and digits (抖dy9527): an account."""
    m = _INITIALS.search(folded)
    if m is not None and _WARNED.search(folded) is None:
        yield ("diversion", "block", m.start(), m.end(), "platform initials")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"splitchar": SPLIT_PIECES, "possessive": POSSESSIVE_ANCHORS, "initials": INITIALS_ANCHORS}
)
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType(
    {"splitchar": split_contacts, "possessive": dialect_possessive, "initials": platform_initials}
)
# not initials: its letters (xhs, dy) are app words the lexicon reads and the policy clears when alone
DOUBLES: Final[Mapping[str, str]] = MappingProxyType({"splitchar": "diversion", "possessive": "diversion"})
LABELS: Final[frozenset[str]] = frozenset(("split contact", "dialect contact", "platform initials"))
