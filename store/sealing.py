"""Contact data encrypted at rest (standard 4.4.1 c; 个人信息保护法 §51).

The candidate's phone number is stored as ``v1:`` + base64(nonce ‖ AES-256-GCM
ciphertext), bound to the user id as associated data so a value copied to
another row does not decrypt. The key comes from the deployment (the
composition root derives it from the secret with :func:`derive_contact_key`).
A store without a key keeps clear text; values without the prefix are read as
clear text, so turning encryption on needs no data migration.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1:"


class ContactDecryptError(ValueError):
    """A stored value does not decrypt with this key (wrong key or tampered row)."""


def derive_contact_key(secret: str) -> bytes:
    """A 256-bit key for contact data, separate from the token-signing use of the secret."""
    return hmac.new(secret.encode(), b"livehire contact data v1", hashlib.sha256).digest()


class ContactCipher:
    def __init__(self, key: bytes | None) -> None:
        if key is not None and len(key) != 32:
            raise ValueError("the contact key must be 32 bytes")
        self._aead = AESGCM(key) if key is not None else None

    @property
    def enabled(self) -> bool:
        return self._aead is not None

    def seal(self, value: str, owner: str) -> str:
        if self._aead is None:
            return value
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, value.encode(), owner.encode())
        return PREFIX + base64.b64encode(nonce + sealed).decode()

    def open(self, stored: str, owner: str) -> str:
        if not stored.startswith(PREFIX):
            return stored
        if self._aead is None:
            raise ContactDecryptError("contact data is encrypted but no key is configured")
        raw = base64.b64decode(stored[len(PREFIX):])
        try:
            return self._aead.decrypt(raw[:12], raw[12:], owner.encode()).decode()
        except Exception as exc:
            raise ContactDecryptError("contact data does not decrypt with this key") from exc
