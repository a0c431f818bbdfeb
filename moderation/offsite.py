"""Round 15's diversion shapes: invitations off the platform no app word with a Chinese cue spells (batch 16, read).

- In English: a contact verb, then the app (add me on WeChat, DM me on Telegram, hit me up on WhatsApp, pm me on
  IG, join our telegram group); not after a warning (do not, never) and not WeChat Pay. The folded text has no spaces,
  so the pattern reads the words run together.
- Into the speaker's own group: 来我群里, 进我的群, 去我建的候补群, 我拉你们进群 (a group is a place off the room); not a
  work group someone else adds the worker to after hiring (班组长会把你拉进车间排班群), nor a group denied.
- A group or a handle in a display name: 陪玩招募_扣群_五五八一二零, 日结工招聘-v-dayjob_wu, 普工直招 薇 qiuzhi_dong;
  "懂的私" after an offer, and money sent by WeChat to the speaker (先微信转我三百报名费).
Standard 5.1.3 d (导流). Each runs only when the automaton saw one of its anchors (``ANCHORS``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Final

Raw = tuple[str, str, int, int, str]

_APPS_EN: Final = "wechat|telegram|whatsapp|instagram|signal|kakaotalk|kakao|messenger|viber|facebook|wx|vx|qq|tg|ig|fb|lineid|line"
_ENGLISH: Final = re.compile(
    "(?:add|dm|pm|message|msg|contact|reach|hitmeup|hmu|text|ping|find|scan|join|slideinto|call|chat|talk|follow)"
    f"(?:me|us|my|our|him|her)?(?:on|via|at|in|through|thru|to)?(?:my|our)?(?:{_APPS_EN})(?!pay|支付|收款|转账)"
    f"|(?:{_APPS_EN})(?:me|group|id|qr|number|handle|us)(?!pay)"
    "|(?:whatsapp|wechat|telegram|signal|viber|line)加?[0-9]{6,}"  # + folds to 加
    "|mywechat|ourwechat|mytelegram|ourtelegram|mywhatsapp|ourwhatsapp|mytg|ourtg"
)
_WARNED: Final = re.compile("not|never|dont|donot|no|beware|scam|fake|report|ignore|\\?")
ENGLISH_ANCHORS: Final = ("wechat", "telegram", "whatsapp", "instagram", "dmme", "pmme", "hitmeup", "hmu", "addme", "messageme",
                   "msgme", "textme", "contactme", "slideinto", "onig", "myig", "lineid", "ontg", "mytg", "kakao")  # fmt: skip


def english_invitations(folded: str) -> Iterator[Raw]:
    """"add me on WeChat", "DM me on telegram": an invitation off the platform, in English."""
    for m in _ENGLISH.finditer(folded):
        if _WARNED.search(folded, max(0, m.start() - 24), m.start()) is not None:
            continue
        yield ("diversion", "divert", m.start(), m.end(), "english invitation")


_OWN_GROUP: Final = re.compile(
    "(?:来|进|加|入|去|到|回)(?:我们|我)(?:的|这个|那个|建的|拉的|自己的|新建的)?[\u4e00-\u9fffa-z0-9]{0,5}?群(?!众|体|岛|殴|星|聊天记录)"
    "|(?<![会把])(?:我|我们)(?:来|统一|一会|回头|等下|待会|挨个|一个个|逐个)?(?:统一)?(?:把)?(?:你|你们|大家|各位|宝宝们|姐妹们|兄弟们)?"
    "(?:拉|拽|带|加)(?:你|你们|大家|各位|宝宝们|姐妹们|兄弟们)?(?:进|入|到)[\u4e00-\u9fffa-z0-9]{0,6}?群"
)
_REFUSED_BEFORE: Final = re.compile("(?:不用|不要|不需要|没有|没|不建|不拉|别|不必|无需|不)$")
_NOT_OWN: Final = re.compile("冒充|假|骗|别信|千万别|没有任何群|一个群都没|入职后|入职以后|上岗后|上岗以后")
GROUP_ANCHORS: Final = ("进我的", "进我们", "来我的", "来我群", "进我群", "去我群", "加我群", "入我群", "去我的", "去我建", "去我们的",
                 "我建的", "我拉的", "拉你进", "拉你们进", "拉大家进", "拽你", "拽大家", "带你进", "带你们进", "把大家拉",
                 "把你们拉", "把你拉", "来我们群", "进我们群", "加我们群", "挨个拉", "挨个拽", "挨个加", "拽进")  # fmt: skip


def own_group(folded: str) -> Iterator[Raw]:
    """"来我群里", "我拉你们进群": the speaker's own group, a place off the room."""
    for m in _OWN_GROUP.finditer(folded):
        if _REFUSED_BEFORE.search(folded[max(0, m.start() - 4) : m.start()]) is not None or _NOT_OWN.search(folded) is not None:
            continue
        yield ("diversion", "divert", m.start(), m.end(), "own group")


_NUMERALS: Final = "0-9零〇一二三四五六七八九幺两"
_NAME_CONTACT: Final = re.compile(
    "(?:懂的|懂得)(?:来)?(?:私|滴滴|d我|扣我)|(?:微信|v信|vx|支付宝)(?:转|打|发)(?:给)?我"
    f"|(?:扣扣群|扣群|q群|qq群|企鹅群|群号|加群|群)(?:号)?([{_NUMERALS}]{{5,12}})"
    "|(?<=[\u4e00-\u9fff])(?:v|vx|wx|tg|薇|威|微)([a-z]{5,20}[0-9]*)$"  # five letters at least: not 小薇hr2024
)
NAME_ANCHORS: Final = (*(g + n for g in ("扣群", "q群", "企鹅群", "群号", "加群", "扣扣群", "群") for n in "0123456789零一二三四五六七八九幺"),
                "懂的私", "懂得私", "懂的来私", "懂的滴滴", "微信转我", "微信转给我", "v信转我", "vx转我", "支付宝转我",
                *(p + c for p in ("v", "vx", "wx", "tg", "薇", "威") for c in "abcdefghijklmnopqrstuvwxyz"))  # fmt: skip


def named_contacts(folded: str) -> Iterator[Raw]:
    """A group number, or a handle closing a display name (陪玩招募_扣群_五五八一二零, 日结工招聘-v-dayjob_wu)."""
    for m in _NAME_CONTACT.finditer(folded):
        yield ("diversion", "divert", m.start(), m.end(), "group or handle")


#: anchor group → its anchors (merged into lexicon.ANCHORS) and detector (merged into detectors.BY_GROUP).
ANCHORS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType({
    "english": ENGLISH_ANCHORS, "owngroup": GROUP_ANCHORS, "namecontact": NAME_ANCHORS,
})  # fmt: skip
DETECTORS: Final[Mapping[str, Callable[[str], Iterator[Raw]]]] = MappingProxyType({
    "english": english_invitations, "owngroup": own_group, "namecontact": named_contacts,
})  # fmt: skip
LABELS: Final = frozenset(("english invitation", "own group", "group or handle"))
