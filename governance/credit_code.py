"""The unified social credit code (统一社会信用代码, GB 32100-2015), checked without I/O (5.1.3 a).

18 characters from the 31 of :data:`ALPHABET` (no I, O, Z, S, V), each worth its index. The last one is the
check character: with weights ``3^(i-1) mod 31`` for positions i = 1..17, ``check = (31 - sum mod 31) mod 31``.
Because 31 is prime and no weight is 0 mod 31, changing any one character changes the check, so every
single-character error is caught.
"""

from __future__ import annotations

from typing import Final

from common.errors import Invalid

ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES: Final = {char: index for index, char in enumerate(ALPHABET)}
WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))  # 3^(i-1) mod 31, i = 1..17
LENGTH: Final = 18


def check_character(first17: str) -> str:
    """The 18th character for the first 17 (which must be in :data:`ALPHABET`)."""
    total = sum(VALUES[char] * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def is_valid(code: str) -> bool:
    return len(code) == LENGTH and all(char in VALUES for char in code) and check_character(code[:17]) == code[17]


def normalize_credit_code(raw: object) -> str:
    """The code in upper case without spaces, or :class:`~common.errors.Invalid` saying what is wrong."""
    if not isinstance(raw, str):
        raise Invalid("invalid_credit_code", "请填写 18 位统一社会信用代码")
    code = "".join(raw.split()).upper()
    if len(code) != LENGTH:
        raise Invalid("invalid_credit_code", "统一社会信用代码应为 18 位")
    if any(char not in VALUES for char in code):
        raise Invalid("invalid_credit_code", "统一社会信用代码含有无效字符（不使用 I、O、Z、S、V）")
    if check_character(code[:17]) != code[17]:
        raise Invalid("invalid_credit_code", "统一社会信用代码校验位不正确，请核对")
    return code
