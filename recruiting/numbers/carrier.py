"""A carrier's AXB API over signed HTTP (隐私号): the real side of :class:`~recruiting.numbers.port.NumberProvider`.

Thin on purpose: an operator points it at their carrier adapter or gateway, which translates to the
carrier's own API. The signature is the SMS webhook's (:func:`identity.sms.sign_body`), so one gateway
checks both the same way.

Gateway contract (``tests/recruiting/test_number_provider_contract.py`` runs the provider contract
through a gateway in miniature):

* Requests: ``POST <base>/bind`` ``{"request_id", "a", "b", "ttl_seconds", "sent_at"}`` →
  ``{"binding_id", "x", "expires_at"}``; ``POST <base>/unbind`` ``{"request_id", "binding_id", "sent_at"}``
  → any 2xx; ``POST <base>/call`` ``{"request_id", "binding_id", "a", "b", "x", "expires_at", "caller",
  "sent_at"}`` → ``{"call_id", "binding_id", "started_at", "answered_at", "ended_at", "release_cause"}``
  (the carrier's call record once the call through X has ended).
* Headers: ``X-Livehire-Timestamp: <sent_at>`` and ``X-Livehire-Signature: sha256=<hex>`` (HMAC-SHA256
  of the exact body bytes with the shared secret), checked before anything else.
* Refusals: a 409 with ``{"error": "<reason>"}`` when the carrier refuses (no free X, a caller outside
  the binding); anything else that is not a 2xx with the fields above is a failure. Both raise
  :class:`~recruiting.numbers.port.NumberError`, as the simulation does.
* Privacy: the phone numbers are personal data (个人信息保护法 §51): HTTPS outside loopback, never logged.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from common.clock import now_ms
from identity.sms import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign_body
from recruiting.numbers.port import Binding, CallRecord, NumberError

log = logging.getLogger(__name__)


class HttpCarrierNumberProvider:
    """AXB bindings and calls through an operator's carrier gateway (module docstring)."""

    #: A carrier dials real numbers: A must be the member's own phone, never a member id.
    dials_member_ids = False

    def __init__(
        self,
        base_url: str,
        secret: str | bytes,
        *,
        timeout: float = 5.0,
        clock: Callable[[], int] = now_ms,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("the carrier gateway URL must be http(s)://host/...")
        key = secret.encode("utf-8") if isinstance(secret, str) else secret
        if len(key) < 16:
            raise ValueError("the carrier gateway secret must be at least 16 bytes")
        self._base = base_url.rstrip("/")
        self._host = parts.hostname  # logged instead of the URL, which may carry a token
        self._secret = key
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._clock = clock
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        """Closes the HTTP session this provider opened (call at shutdown)."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def _post(self, path: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        sent_at = self._clock()
        body = json.dumps({"request_id": secrets.token_hex(16), **fields, "sent_at": sent_at},
                          ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8", TIMESTAMP_HEADER: str(sent_at),
                   SIGNATURE_HEADER: sign_body(self._secret, body)}
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        try:
            # No redirects: the signed body goes to the configured host only.
            async with self._session.post(f"{self._base}/{path}", data=body, headers=headers,
                                          timeout=self._timeout, allow_redirects=False) as response:
                answer = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            log.warning("carrier gateway %s /%s failed: %s", self._host, path, type(exc).__name__)
            raise NumberError("the carrier is unavailable") from exc
        if status == 409 and isinstance(answer, dict):
            raise NumberError(str(answer.get("error") or "the carrier refused"))
        if not 200 <= status < 300 or not isinstance(answer, dict):
            log.warning("carrier gateway %s /%s answered %d", self._host, path, status)
            raise NumberError("the carrier is unavailable")
        return answer

    async def bind(self, a: str, b: str, *, ttl_seconds: int) -> Binding:
        answer = await self._post("bind", {"a": a, "b": b, "ttl_seconds": ttl_seconds})
        try:
            return Binding(str(answer["binding_id"]), a, b, str(answer["x"]), int(answer["expires_at"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise NumberError("the carrier's binding is incomplete") from exc

    async def unbind(self, binding_id: str) -> None:
        await self._post("unbind", {"binding_id": binding_id})

    async def call(self, binding: Binding, caller: str) -> CallRecord:
        answer = await self._post("call", {
            "binding_id": binding.binding_id, "a": binding.a, "b": binding.b, "x": binding.x,
            "expires_at": binding.expires_at, "caller": caller,
        })
        try:
            answered = answer.get("answered_at")
            return CallRecord(
                call_id=str(answer["call_id"]), binding_id=str(answer["binding_id"]),
                started_at=int(answer["started_at"]), answered_at=None if answered is None else int(answered),
                ended_at=int(answer["ended_at"]), release_cause=str(answer["release_cause"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise NumberError("the carrier's call record is incomplete") from exc
