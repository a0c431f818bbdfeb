"""`$`-anchored rule patterns searched over a window just before a hit, behind a last-character test.

Why (round 14, speed): ``re`` tries every start position of the window for a pattern that must end at its end, so
on messages with several hits these searches were a large share of the rules' time. A match must end with the
window's last character (or just before a final newline: ``$`` matches there too), so a window whose last
character cannot end the pattern is answered without the search. Same answers by construction; the tests derive
each pattern's possible last characters from its parse and check they are all in the set written here.
"""

from __future__ import annotations

import re
from typing import Final

# An app named right after a refusal: "报名不用微信", "不需要下载钉钉", "没有QQ群".
APP_REFUSED: Final = re.compile("(?:不用|不需要|无需|不要|别|没有|不走|不通过|不会让你|不留|不会留|不给|不会给|不会|从不|绝不)(?:加|用|下载|进|关注|通过|去|到)?(?:私人|个人|任何|你的|我的)?$"
                                "|(?:会用|会使用|熟悉|熟练使用|熟练|能用|运营过|运营|管理过|负责过|负责)(?:[^和及与，,]{1,6}(?:和|及|与))?(?:企业|公司|门店|店铺|官方)?$")  # a skill or duty: 会用电脑和v信, 运营过企业快手号, 负责公司抖音号和快手号的运营
APP_REFUSED_LAST: Final = frozenset("用要需别有走过你留给会不加载进注去到人何的悉练营责和及与业司店铺方\n")
# A scheme named right after a refusal is being refused: "不陪酒", "不做博彩", "不是传销", "没有刷单", "不需要拉人头".
SCHEME_REFUSED: Final = re.compile("(?:不|没|无|非|拒|别|绝不|从不|决不|不会让你|不让你|不会叫你)(?:是|做|搞|招|去|碰|干|用|办|涉及|涉|参与|存在|有|需要|需|必|可能|承诺|保证)?"
                                   "(?:什么|任何|轻松|所谓的?)?$")  # round 24: 不可能躺赚, 不承诺包过
SCHEME_REFUSED_LAST: Final = frozenset("不没无非拒别你是做搞招去碰干用办及涉与在有要需必么何松谓的能诺证\n")
# Said not to be asked: "面试不会问婚育情况", "不用填你的年龄".
NOT_ASKED: Final = re.compile("(?:不会?问|不用填|无需填|不需要填|不用写|不填|不涉及|不打听)(?:你的?|您的?)?$")
NOT_ASKED_LAST: Final = frozenset("问填写及听你的您\n")


def ends_at(pattern: re.Pattern[str], last: frozenset[str], text: str, start: int, end: int) -> bool:
    """``pattern`` (which cannot match empty, and ends in ``$``) matches in ``text[start:end]`` ending at its end."""
    return end > start and text[end - 1] in last and pattern.search(text, start, end) is not None


def app_refused(text: str, start: int, end: int) -> bool:
    """An app refused (or named as a skill) right before ``end``."""
    return ends_at(APP_REFUSED, APP_REFUSED_LAST, text, start, end)


def scheme_refused(text: str, start: int, end: int) -> bool:
    """A refusal right before ``end``."""
    return ends_at(SCHEME_REFUSED, SCHEME_REFUSED_LAST, text, start, end)


def not_asked(text: str, start: int, end: int) -> bool:
    """Said not to be asked right before ``end``."""
    return ends_at(NOT_ASKED, NOT_ASKED_LAST, text, start, end)
