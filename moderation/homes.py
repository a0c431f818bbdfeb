"""Home addresses in chat (standard 4.4.1 c; 个人信息保护法 §5–6): a first-person cue, then a street and numbers.

Moved out of :mod:`moderation.detectors` in round 14, when batch 15 showed a viewer's address after a dialect first
person (俺住在…花园小区17幢1单元302) and a street longer than the old window; the detector masks it for a seeker
(the policy's pii rule) and blocks it for the employer side. Round 18 moved the landline detector here too (room in
``detectors``): the other contact data found by its shape after a cue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

Raw = tuple[str, str, int, int, str]

_ADDRESS: Final = re.compile(
    r"(?:我家住|家住|我家在|我住在|我住|家庭住址|家庭地址|现住址|居住地址|住址是|住址)"
    r"((?:[^0-9]{0,18}?(?:[0-9]+|[一二三四五六七八九十]+)"  # round 12: numerals in the street name (平洲二路18号)
    r"(?:栋|幢|号楼|号院|单元|室|弄|组|号|楼|层|户))+)"
)
# round 14: dialect first persons (俺家在, 阿拉屋里住在, 我屋头在) and a longer street before the numbers, with a
# place word in it (not 俺住在五楼: a floor is no address)
_ADDRESS_FAR: Final = re.compile(
    r"(?:(?:我|俺|咱|额|偶|阿拉)(?:们)?(?:家|屋头|屋里|屋)?(?:就)?住(?:在)?|(?:我|俺|咱|额|偶|阿拉)(?:们)?(?:家|屋头|屋里|屋)在?"
    # round 15: someone else's home told by an employer (上一个面试的小伙子住在…5栋301): blocked for them; round 16: 那个女的住在
    r"|(?:他|她|小伙子|小伙|姑娘|大姐|阿姨|师傅|那位|这位|此人|老板娘|老板|女的|男的|那人|这人|那个人|这个人)(?:家)?(?:就)?住(?:在)?"
    r"|现居(?:住)?(?:地址?)?|(?:家庭|现)?住址(?:是)?)((?:[^0-9]{0,30}?(?:[0-9]+|[一二三四五六七八九十]+)(?:栋|幢|号楼|号院|单元|室|弄|组|号|楼|层|户|座|门))+)"
)
_PLACE: Final = re.compile("区|路|街|镇|村|小区|社区|花园|苑|巷|弄|栋|幢|单元|座|院")


def addresses(folded: str) -> Iterator[Raw]:
    """A home address after a first-person cue (我家住…3栋2单元501): personal data, 4.4.1 c."""
    found = False
    for m in _ADDRESS.finditer(folded):
        found = True
        yield ("pii", "address", m.start(1), m.end(1), "address")
    if not found:
        for m in _ADDRESS_FAR.finditer(folded):
            if _PLACE.search(m.group(1)) is not None:
                yield ("pii", "address", m.start(1), m.end(1), "address")


_LANDLINE: Final = re.compile(r"(?:座机|固话|热线|电话|致电|拨打)[^0-9]{0,3}?(0[1-9][0-9]{9,10}|0[1-9][0-9]{8}|400[0-9]{7})(?![0-9])")


def landlines(folded: str) -> Iterator[Raw]:
    """A landline or 400 number after a phone cue (座机0769-8765432): contact data like a mobile number."""
    for m in _LANDLINE.finditer(folded):
        yield ("pii", "phone", m.start(1), m.end(1), "landline")
