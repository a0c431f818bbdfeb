"""Reading request bodies the same way in every HTTP adapter (``*/http.py``, ``*/web/``).

Why here: the adapters of chat, recruiting, identity and the root all take JSON objects and
must refuse the same bad bodies with the same codes; the refusals are project errors, which
the middleware alone turns into statuses. This is the one module of ``common`` that imports
aiohttp; the import contracts keep it out of the sans-I/O modules.
"""

from __future__ import annotations

import json
from typing import Any, Final

from aiohttp import web

from common.clean_text import INVALID_TEXT_MESSAGE, find_unusable
from common.errors import ErrorKind, Invalid, LivehireError, Malformed, TooLarge

#: The deepest nesting a request body may have (the top-level object is depth 1). Real bodies
#: are two or three levels deep; a bound keeps every later walk of the value shallow.
MAX_JSON_DEPTH: Final = 32


async def read_json_object(request: web.Request, *, max_bytes: int = 64 * 1024) -> dict[str, Any]:
    """The request body as a JSON object, or a project error naming what is wrong."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise TooLarge("body_too_large", f"请求体超过 {max_bytes} 字节")
    raw = await request.content.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise TooLarge("body_too_large", f"请求体超过 {max_bytes} 字节")
    try:
        value = json.loads(raw or b"null")
    except RecursionError as exc:  # ``[[[[…`` tens of thousands deep: the decoder recurses per level
        raise _too_deep() from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise Malformed("malformed_json", f"请求体不是有效的 JSON：{exc}") from exc
    if json_depth(value) > MAX_JSON_DEPTH:
        raise _too_deep()
    if not isinstance(value, dict):
        raise Malformed("expected_object", "请求体必须是 JSON 对象")
    if b"\\u" in raw and find_unusable(value) is not None:  # only an escape can make NUL or a lone surrogate
        raise Invalid("invalid_text", INVALID_TEXT_MESSAGE)
    return value


def _too_deep() -> Malformed:
    return Malformed("too_deep", f"请求体 JSON 嵌套过深（最多 {MAX_JSON_DEPTH} 层）")


def json_depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects (a scalar is 0); iterative, so any depth is safe."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:  # no need to walk further
            return deepest
        stack.extend((child, depth) for child in item)
    return deepest


def error_response(status: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> web.Response:
    """The error body for aiohttp's own HTTP exceptions (their status is aiohttp's; project errors use render_error)."""
    return web.json_response({"error": {"code": code, "message": message}}, status=status, headers=headers)


_STATUS_OF_KIND: Final[dict[ErrorKind, int]] = {
    "malformed": 400, "invalid": 422, "unauthenticated": 401, "forbidden": 403, "not_found": 404, "conflict": 409,
    "rate_limited": 429, "unavailable": 503, "too_large": 413, "unsupported_media": 415, "version_mismatch": 412,
    "version_required": 428, "internal": 500,
}


def http_status(error: LivehireError) -> tuple[int, dict[str, str]]:
    """The one place an error's kind becomes an HTTP status (and its headers)."""
    headers: dict[str, str] = {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(max(1, round(error.retry_after)))
    if error.kind == "unauthenticated":
        headers["WWW-Authenticate"] = "Bearer"
    return _STATUS_OF_KIND[error.kind], headers


def error_body(error: LivehireError) -> dict[str, Any]:
    """``{"error": {"code", "message", ...details}}``: the one JSON shape of every refusal."""
    body: dict[str, Any] = {"code": error.code, "message": error.message, **error.details}
    if error.retry_after is not None:
        body["retry_after"] = max(1, round(error.retry_after))
    return {"error": body}


def render_error(error: LivehireError) -> web.Response:
    """The response for ``error``: used by the middleware and by adapters that run without it."""
    status, headers = http_status(error)
    return web.json_response(error_body(error), status=status, headers=headers)
