"""Round 15: lawful readings of listed terms that the harm helper's clean lines used (the rules' false flags).

- A game companion (陪玩) who plays online: the term is also an escort's cover, so it clears only with a game or
  online word beside it (王者, 段位, 开黑, 语音, 线上) and no sign of meeting clients (线下, 出台, 包夜, 陪客人, 会所);
  "不见面", "禁止线下" and the platform's 18+ rule told are the lawful post's own words (刑法 §359 is about the escort).
- Who sees the seeker's number told by the host ("你的手机号只有负责这个岗位的人事能看到", "电话会自动隐藏"): a privacy
  rule of the platform (个人信息保护法 §5–6), not a contact handed out.
"""

from __future__ import annotations

import re
from typing import Final

_GAME: Final = re.compile("游戏|王者|段位|开黑|语音|线上|电竞|上分|和平精英|吃鸡|英雄联盟|lol|原神|打游戏|按局|星耀|钻石|陪练")
# meeting clients, or the money of a casino or a top-up scheme (陪老板玩牌, 带玩家上分充值, 先买装备冲等级)
_MEETING: Final = re.compile("(?<!不)(?<!禁止)(?<!不接)线下|出台|包夜|过夜|陪客|陪吃|陪喝|陪酒|会所|(?<!不)见面|私下|开房|夜场"
                      "|充值|棋牌|玩牌|百家乐|赌|先买|先交|先充|装备|押金|境外|海外|迪拜|提成|分红|打赏|暧昧|老板")


def game_companion(folded: str) -> bool:
    """陪玩 as online play ("招游戏陪玩，王者段位星耀以上，线上语音不见面"), not as an escort's cover."""
    return _GAME.search(folded) is not None and _MEETING.search(folded) is None


_SEES: Final = re.compile("(?:只有|仅|只对|只给)[^|]{0,12}?(?:能看到|看得到|可见|能看见|才能看)|(?:自动)?(?:隐藏|打码)|不会(?:公开|显示|外泄)")


def privacy_told(folded: str, end: int) -> bool:
    """After "你的手机号": who can see it, or that it is hidden — the platform's privacy, not a contact given."""
    return _SEES.match(folded, end) is not None or _SEES.search(folded, end, end + 16) is not None
