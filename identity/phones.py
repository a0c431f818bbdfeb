"""Mainland China mobile numbers: one normal form, a keyed hash for look-ups, a mask for display.

The store never keeps a phone in clear for look-ups: rows are keyed by :meth:`PhoneKey.phone_hash`, a
keyed HMAC, so a leaked table cannot be reversed by hashing the ~10^10 possible numbers without the
server secret (个人信息保护法 §51, security measures).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Final

from common.errors import Invalid

_MOBILE: Final = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
_SEPARATORS: Final = re.compile(r"[\s\-\u3000]+")  # spaces (also the full-width one) and dashes
_MAX_RAW_LENGTH: Final = 32  # a phone typed with separators and a prefix is never longer
_MIN_KEY_BYTES: Final = 16


def _invalid() -> Invalid:
    return Invalid("invalid_phone", "请输入 11 位大陆手机号")


def normalize_phone(raw: object) -> str:
    """The 11 digits of a mainland mobile number (``13812341234``); ``Invalid`` for anything else.

    Accepts spaces, dashes and a ``+86`` / ``86`` prefix, because people paste numbers in those forms.
    """
    if not isinstance(raw, str) or len(raw) > _MAX_RAW_LENGTH:
        raise _invalid()
    digits = _SEPARATORS.sub("", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not _MOBILE.fullmatch(digits):
        raise _invalid()
    return digits


def derive_key(secret: str | bytes, purpose: str) -> bytes:
    """A 32-byte key for one purpose, so one leaked derived key does not reveal the others."""
    material = secret.encode("utf-8") if isinstance(secret, str) else secret
    if not material:
        raise ValueError("an empty secret cannot derive keys")
    return hmac.new(material, f"livehire/{purpose}".encode(), hashlib.sha256).digest()


class PhoneKey:
    """Hashes phones (and derives sibling keys) with one secret key; holds no other state."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if len(key) < _MIN_KEY_BYTES:
            raise ValueError(f"the phone key must be at least {_MIN_KEY_BYTES} bytes")
        self._key = key

    @classmethod
    def from_secret(cls, secret: str | bytes) -> PhoneKey:
        """The phone key of a deployment, derived from its server secret."""
        return cls(derive_key(secret, "phone-hash/v1"))

    def phone_hash(self, phone: str) -> str:
        """Hex HMAC-SHA256 of the normalized phone: equal for ``+86 138-1234-1234`` and ``13812341234``."""
        return hmac.new(self._key, normalize_phone(phone).encode("ascii"), hashlib.sha256).hexdigest()

    def derive(self, purpose: str) -> bytes:
        """A sub-key for a sibling use (e.g. hashing SMS codes), independent of the phone hash."""
        return derive_key(self._key, purpose)

    def __repr__(self) -> str:  # never print the key
        return "PhoneKey(<secret>)"
