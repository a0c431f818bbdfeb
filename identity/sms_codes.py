"""One-time SMS sign-in codes: random, stored hashed, short-lived, few tries, consumed once.

A code proves that the person holds the phone (互联网跟帖评论服务管理规定 §5). Its rules are the
security measures of 个人信息保护法 §51: 6 uniform digits from :mod:`secrets`; only an HMAC of the code
(bound to the phone) is stored, so a read of ``sms_codes`` does not reveal live codes; 5 minutes; 5 wrong
tries kill it; a success deletes it. One live code per phone: a new one replaces the old.

Every write is one guarded statement (``... WHERE phone_hash = ? AND code_hash = ? AND attempts < ?``),
so concurrent guesses cannot exceed the limit on either database, and a stale read never touches a
newer code of the same phone. Rate limiting of sending is not here (a separate limiter guards issue).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import ColumnElement, and_, delete, insert, or_, select, update

from common.clock import now_ms
from common.errors import Unauthenticated, Unavailable
from identity.phones import PhoneKey, normalize_phone
from identity.sms import SmsProvider, sms_unavailable
from store.engine import Store
from store.identity_tables import sms_codes

log = logging.getLogger(__name__)

CODE_TEXT: Final = "【直播带岗】验证码 {code}，{minutes} 分钟内有效。如非本人操作请忽略。"


def invalid_code() -> Unauthenticated:
    """The one answer to every failed verify: wrong, expired, used up or never issued look the same."""
    return Unauthenticated("invalid_code", "验证码错误或已失效，请重新获取")


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """What the client may know of an issued code: when it dies and when to offer a resend."""

    expires_at: int
    resend_after_ms: int
    message_id: str


class SmsCodes:
    """Issues and verifies the one live sign-in code of each phone."""

    def __init__(
        self,
        store: Store,
        provider: SmsProvider,
        phone_key: PhoneKey,
        *,
        clock: Callable[[], int] = now_ms,
        ttl_ms: int = 5 * 60 * 1000,
        max_attempts: int = 5,
        digits: int = 6,
        resend_after_ms: int = 60 * 1000,
    ) -> None:
        if not 4 <= digits <= 10:
            raise ValueError("an SMS code has 4 to 10 digits")
        if ttl_ms < 60_000 or max_attempts < 1 or resend_after_ms < 0:
            raise ValueError("ttl_ms must be at least a minute and max_attempts at least 1")
        self._store = store
        self._provider = provider
        self._phone_key = phone_key
        self._code_key = phone_key.derive("sms-code/v1")
        self._clock = clock
        self._ttl_ms = ttl_ms
        self._max_attempts = max_attempts
        self._digits = digits
        self._resend_after_ms = resend_after_ms

    def _code_hash(self, phone_hash: str, code: str) -> str:
        # Bound to the phone: the same code of two phones gives two hashes.
        message = f"{phone_hash}:{code}".encode("ascii")
        return hmac.new(self._code_key, message, hashlib.sha256).hexdigest()

    def _new_code(self) -> str:
        return f"{secrets.randbelow(10**self._digits):0{self._digits}d}"

    async def issue(self, phone: str) -> IssuedCode:
        """Stores a new code for ``phone`` (replacing any earlier one) and sends it.

        The code is stored before sending so a fast SMS never arrives before its row; if sending fails
        the row is removed and ``Unavailable`` propagates.
        """
        phone = normalize_phone(phone)
        phone_hash = self._phone_key.phone_hash(phone)
        code = self._new_code()
        code_hash = self._code_hash(phone_hash, code)
        now = self._clock()
        expires_at = now + self._ttl_ms
        async with self._store.engine.begin() as connection:
            await connection.execute(delete(sms_codes).where(sms_codes.c.phone_hash == phone_hash))
            await connection.execute(
                insert(sms_codes).values(
                    phone_hash=phone_hash, code_hash=code_hash, created_at=now, expires_at=expires_at, attempts=0
                )
            )
        text = CODE_TEXT.format(code=code, minutes=self._ttl_ms // 60_000)
        try:
            message_id = await self._provider.send(phone, text, code=code)
        except Exception as exc:
            await self._discard(phone_hash, code_hash)
            if isinstance(exc, Unavailable):
                raise
            log.warning("sms provider %s raised %s", self._provider.name, type(exc).__name__)
            raise sms_unavailable() from exc
        log.info("sms code issued via %s message=%s", self._provider.name, message_id)
        return IssuedCode(expires_at=expires_at, resend_after_ms=self._resend_after_ms, message_id=message_id)

    async def verify(self, phone: str, code: object) -> None:
        """Returns once if ``code`` is the live code of ``phone`` (and consumes it); else ``invalid_code``.

        A wrong guess counts against the code; the guess that reaches ``max_attempts`` deletes it.
        """
        phone_hash = self._phone_key.phone_hash(phone)
        candidate = code.strip() if isinstance(code, str) else ""
        now = self._clock()
        async with self._store.engine.connect() as connection:
            row = (
                await connection.execute(
                    select(sms_codes.c.code_hash, sms_codes.c.expires_at, sms_codes.c.attempts).where(
                        sms_codes.c.phone_hash == phone_hash
                    )
                )
            ).first()
        if row is None:
            raise invalid_code()
        stored_hash, expires_at, attempts = str(row.code_hash), int(row.expires_at), int(row.attempts)
        this_code = and_(sms_codes.c.phone_hash == phone_hash, sms_codes.c.code_hash == stored_hash)
        if expires_at <= now or attempts >= self._max_attempts:
            await self._delete(this_code)
            raise invalid_code()
        well_formed = len(candidate) == self._digits and candidate.isascii() and candidate.isdigit()
        guess_hash = self._code_hash(phone_hash, candidate) if well_formed else ""
        if well_formed and hmac.compare_digest(guess_hash, stored_hash):
            live = and_(this_code, sms_codes.c.attempts < self._max_attempts, sms_codes.c.expires_at > now)
            if await self._delete(live):
                return
            raise invalid_code()
        async with self._store.engine.begin() as connection:
            await connection.execute(
                update(sms_codes)
                .where(this_code, sms_codes.c.attempts < self._max_attempts, sms_codes.c.expires_at > now)
                .values(attempts=sms_codes.c.attempts + 1)
            )
            await connection.execute(
                delete(sms_codes).where(
                    this_code, or_(sms_codes.c.attempts >= self._max_attempts, sms_codes.c.expires_at <= now)
                )
            )
        raise invalid_code()

    async def prune(self) -> int:
        """Deletes expired and used-up codes (for a periodic task); returns how many."""
        now = self._clock()
        dead = or_(sms_codes.c.expires_at <= now, sms_codes.c.attempts >= self._max_attempts)
        return await self._delete(dead)

    async def _delete(self, condition: ColumnElement[bool]) -> int:
        async with self._store.engine.begin() as connection:
            result = await connection.execute(delete(sms_codes).where(condition))
        return int(result.rowcount or 0)

    async def _discard(self, phone_hash: str, code_hash: str) -> None:
        """Removes a code whose message was not sent (only that code: a newer one may have replaced it)."""
        await self._delete(and_(sms_codes.c.phone_hash == phone_hash, sms_codes.c.code_hash == code_hash))
