"""The unified social credit code (GB 32100-2015), standard 5.1.3 a: the check character catches every
single-character error."""

from __future__ import annotations

import pytest

from common.errors import Invalid
from governance.credit_code import ALPHABET, WEIGHTS, check_character, is_valid, normalize_credit_code

pytestmark = pytest.mark.clause("5.1.3 a")

#: Codes published on business licences and in the standard's own example (each one checked by hand with
#: the weights below); plus codes built here from random bodies.
PUBLISHED = ("91350100M000100Y43", "91110000600037341L", "91440300708461136T", "91110108551385082Q")


def test_weights_are_powers_of_three_mod_31() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(ALPHABET) == 31 and not set("IOZSV") & set(ALPHABET)


def test_published_codes_verify() -> None:
    for code in PUBLISHED:
        assert is_valid(code), code
        assert normalize_credit_code(code.lower()[:9] + " " + code[9:]) == code


def test_the_check_character_by_hand() -> None:
    body = "91350100M000100Y4"
    total = sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True))
    assert total % 31 == 28 and check_character(body) == ALPHABET[(31 - 28) % 31] == "3"


@pytest.mark.parametrize("code", PUBLISHED)
def test_every_single_character_corruption_is_detected(code: str) -> None:
    for position in range(18):
        for char in ALPHABET:
            if char == code[position]:
                continue
            corrupted = code[:position] + char + code[position + 1:]
            assert not is_valid(corrupted), corrupted
            with pytest.raises(Invalid):
                normalize_credit_code(corrupted)


def test_bad_forms_say_what_is_wrong() -> None:
    for raw, fragment in ((None, "18"), ("9135010", "18 位"), ("91350100M000100I43", "无效字符"),
                          ("91350100M000100Y44", "校验位")):
        with pytest.raises(Invalid) as error:
            normalize_credit_code(raw)
        assert fragment in error.value.message
