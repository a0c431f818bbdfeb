"""Phone normal form, keyed hash and mask."""

from __future__ import annotations

import pytest

from common.errors import Invalid
from identity.phones import PhoneKey, derive_key, normalize_phone


@pytest.mark.parametrize(
    "raw",
    ["13812341234", "138 1234 1234", "138-1234-1234", "+86 138 1234 1234", "+8613812341234",
     "8613812341234", " 86-138-1234-1234 ", "138\u30001234\u30001234"],
)
def test_accepted_forms_normalize_to_eleven_digits(raw: str) -> None:
    assert normalize_phone(raw) == "13812341234"


@pytest.mark.parametrize(
    "raw",
    [None, 13812341234, "", "1381234123", "138123412345", "12812341234", "23812341234", "+8513812341234",
     "１３８１２３４１２３４", "138.1234.1234", "1381234123x", "+86" + "1" * 40, "0086 13812341234", "86138123412"],
)
def test_everything_else_is_invalid_phone(raw: object) -> None:
    with pytest.raises(Invalid) as caught:
        normalize_phone(raw)
    assert caught.value.code == "invalid_phone" and caught.value.message == "请输入 11 位大陆手机号"


def test_phone_hash_is_keyed_and_form_independent() -> None:
    key = PhoneKey.from_secret("s" * 32)
    digest = key.phone_hash("13812341234")
    assert digest == key.phone_hash("+86 138 1234 1234")
    assert len(digest) == 64 and "13812341234" not in digest
    assert PhoneKey.from_secret("t" * 32).phone_hash("13812341234") != digest
    assert key.phone_hash("13812341235") != digest
    assert key.derive("a") != key.derive("b") and len(key.derive("a")) == 32
    assert "s" * 8 not in repr(key)


def test_keys_must_be_long_enough() -> None:
    with pytest.raises(ValueError):
        PhoneKey(b"short")
    with pytest.raises(ValueError):
        derive_key("", "x")
