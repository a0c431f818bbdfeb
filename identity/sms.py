"""The SMS provider port and its two adapters: the simulated outbox (embedded default) and a webhook.

Sign-in by phone proves that a person holds a mainland mobile number (互联网跟帖评论服务管理规定 §5);
the server reaches the phone only through :class:`SmsProvider`, so a carrier can be swapped without
touching the code rules (:mod:`identity.sms_codes`).

Carrier contract (what :class:`WebhookSmsProvider` sends, and what an operator's gateway or a carrier
adapter must do; ``tests/identity/test_sms_contract.py`` checks both providers against it):

* Request: ``POST <url>`` with ``Content-Type: application/json`` and the UTF-8 body
  ``{"id", "phone", "text", "template", "params", "sent_at"}``: ``id`` is our unique message id (use it
  to drop retried duplicates), ``phone`` the 11 digits, ``text`` the full message to deliver unchanged,
  ``template`` ``"login_code"`` with ``params = {"code": "123456"}`` for a sign-in code (carriers that
  need a registered template send that instead of ``text``) or ``"text"`` with ``{}``, and ``sent_at``
  milliseconds since the epoch.
* Headers: ``X-Livehire-Timestamp: <sent_at>`` and ``X-Livehire-Signature: sha256=<hex>``, the
  HMAC-SHA256 of the exact body bytes with the shared secret. The gateway must check the signature in
  constant time before anything else, and should refuse a ``sent_at`` older than five minutes.
* Answer: any 2xx with a JSON object ``{"id": "<carrier message id>"}`` once the carrier has accepted
  the message; anything else (non-2xx, redirects included, no id, slower than the timeout, a refused
  connection) is a failed delivery, and the user is told to try again (``Unavailable``).
* Privacy: the phone and the code are personal data (个人信息保护法 §51): HTTPS only outside loopback,
  and neither may be logged by the gateway, as they are never logged here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable
from typing import Any, Final, Protocol, runtime_checkable
from urllib.parse import urlsplit

import aiohttp
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from common.clock import now_ms
from common.errors import Unavailable
from identity.phones import PhoneKey, normalize_phone
from store.engine import Store
from store.identity_tables import sms_messages

log = logging.getLogger(__name__)

DAY_MS: Final = 24 * 3600 * 1000
SIGNATURE_HEADER: Final = "X-Livehire-Signature"
TIMESTAMP_HEADER: Final = "X-Livehire-Timestamp"
_MAX_OUTBOX: Final = 100


def sms_unavailable() -> Unavailable:
    """The one error a user sees when a message could not be sent, whatever the cause."""
    return Unavailable("sms_unavailable", "短信发送失败，请稍后再试")


def sign_body(secret: bytes, body: bytes) -> str:
    """The ``X-Livehire-Signature`` value of a request body (gateways recompute and compare it)."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


@runtime_checkable
class SmsProvider(Protocol):
    """Delivers one text message to one phone; returns the provider's message id.

    Raises ``Unavailable("sms_unavailable", ...)`` when delivery fails; never logs the phone or code.
    """

    name: str
    simulated: bool

    async def send(self, phone: str, text: str, *, code: str | None = None) -> str: ...


class SimulatedSmsProvider:
    """Keeps each message in ``sms_messages`` instead of sending it: the embedded default and tests.

    The code is kept beside the text so the operator page and tests can read it without a phone;
    messages older than a day are hidden from :meth:`outbox` and removed by :meth:`prune`.
    """

    name = "simulated"
    simulated = True

    def __init__(self, store: Store, phone_key: PhoneKey, *, clock: Callable[[], int] = now_ms) -> None:
        self._store = store
        self._phone_key = phone_key
        self._clock = clock
        self._sequence = 0  # orders messages of the same millisecond (ids sort by time, then sequence)

    def _new_id(self, at: int) -> str:
        self._sequence = (self._sequence + 1) % 0x10000
        return f"{at:012x}{self._sequence:04x}{secrets.token_hex(8)}"

    async def send(self, phone: str, text: str, *, code: str | None = None) -> str:
        phone_hash = self._phone_key.phone_hash(phone)
        at = self._clock()
        message_id = self._new_id(at)
        try:
            async with self._store.engine.begin() as connection:
                await connection.execute(
                    insert(sms_messages).values(
                        id=message_id, phone_hash=phone_hash, text=text, code=code, created_at=at
                    )
                )
        except (SQLAlchemyError, OSError) as exc:
            log.warning("simulated sms not stored: %s", type(exc).__name__)
            raise sms_unavailable() from exc
        log.info("simulated sms stored id=%s", message_id)
        return message_id

    async def outbox(self, phone: str, limit: int = 10) -> list[dict[str, Any]]:
        """The latest messages to ``phone`` of the last day, newest first."""
        since = self._clock() - DAY_MS
        query = (
            select(sms_messages.c.id, sms_messages.c.text, sms_messages.c.code, sms_messages.c.created_at)
            .where(sms_messages.c.phone_hash == self._phone_key.phone_hash(phone))
            .where(sms_messages.c.created_at >= since)
            .order_by(sms_messages.c.created_at.desc(), sms_messages.c.id.desc())
            .limit(max(1, min(limit, _MAX_OUTBOX)))
        )
        async with self._store.engine.connect() as connection:
            rows = (await connection.execute(query)).mappings().all()
        return [{"id": r["id"], "text": r["text"], "code": r["code"], "created_at": r["created_at"]} for r in rows]

    async def prune(self, older_than_ms: int = DAY_MS) -> int:
        """Deletes messages older than ``older_than_ms`` (a day); for a periodic task. Returns the count."""
        cutoff = self._clock() - older_than_ms
        async with self._store.engine.begin() as connection:
            result = await connection.execute(delete(sms_messages).where(sms_messages.c.created_at < cutoff))
        return int(result.rowcount or 0)


class WebhookSmsProvider:
    """POSTs each message, signed, to an operator's SMS gateway or carrier adapter (module docstring)."""

    simulated = False

    def __init__(
        self,
        url: str,
        secret: str | bytes,
        *,
        timeout: float = 5.0,
        session_factory: Callable[[], aiohttp.ClientSession] | None = None,
        clock: Callable[[], int] = now_ms,
        name: str = "webhook",
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("the SMS webhook URL must be http(s)://host/...")
        key = secret.encode("utf-8") if isinstance(secret, str) else secret
        if len(key) < 16:
            raise ValueError("the SMS webhook secret must be at least 16 bytes")
        if timeout <= 0:
            raise ValueError("the SMS webhook timeout must be positive")
        self.name = name
        self._url = url
        self._host = parts.hostname  # logged instead of the URL, which may carry a token
        self._secret = key
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session_factory = session_factory or aiohttp.ClientSession
        self._session: aiohttp.ClientSession | None = None
        self._clock = clock

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = self._session_factory()
        return self._session

    async def close(self) -> None:
        """Closes the HTTP session this provider opened (call at shutdown)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def send(self, phone: str, text: str, *, code: str | None = None) -> str:
        message_id = secrets.token_hex(16)
        sent_at = self._clock()
        payload = {
            "id": message_id,
            "phone": normalize_phone(phone),
            "text": text,
            "template": "login_code" if code is not None else "text",
            "params": {"code": code} if code is not None else {},
            "sent_at": sent_at,
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            TIMESTAMP_HEADER: str(sent_at),
            SIGNATURE_HEADER: sign_body(self._secret, body),
        }
        try:
            # No redirects: the signed body goes to the configured host only; a 3xx is a failure.
            request = self._client().post(
                self._url, data=body, headers=headers, timeout=self._timeout, allow_redirects=False
            )
            async with request as response:
                if not 200 <= response.status < 300:
                    log.warning("sms webhook %s answered %d id=%s", self._host, response.status, message_id)
                    raise sms_unavailable()
                answer = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.warning("sms webhook %s failed: %s id=%s", self._host, type(exc).__name__, message_id)
            raise sms_unavailable() from exc
        carrier_id = answer.get("id") if isinstance(answer, dict) else None
        if isinstance(carrier_id, bool) or not isinstance(carrier_id, str | int) or str(carrier_id) == "":
            log.warning("sms webhook %s answered without an id, id=%s", self._host, message_id)
            raise sms_unavailable()
        log.info("sms sent via %s id=%s carrier_id=%s", self._host, message_id, carrier_id)
        return str(carrier_id)


__all__ = [
    "DAY_MS",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "SimulatedSmsProvider",
    "SmsProvider",
    "WebhookSmsProvider",
    "sign_body",
    "sms_unavailable",
]
