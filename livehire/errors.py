"""One shape for every HTTP error: ``{"error": {"code", "message"}}``.

Handlers raise :class:`ApiError`; the middleware in :mod:`livehire.middleware`
turns it, and aiohttp's own HTTP exceptions, into that JSON body so no client
ever sees a traceback or an HTML error page (standard 4.4.1 a).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

from aiohttp import web

from livehire.clean_text import INVALID_TEXT_MESSAGE, find_unusable

#: The deepest nesting a request body may have (the top-level object is depth 1). Real bodies
#: are two or three levels deep; a bound keeps every later walk of the value shallow.
MAX_JSON_DEPTH: Final = 32


class ApiError(Exception):
    """An error the client caused or must know about, with an HTTP status."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})
        self.details = dict(details or {})

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        error.update(self.details)
        return {"error": error}


def error_response(
    status: int, code: str, message: str, *, headers: Mapping[str, str] | None = None
) -> web.Response:
    return web.json_response(
        {"error": {"code": code, "message": message}}, status=status, headers=headers
    )


async def read_json_object(request: web.Request, *, max_bytes: int = 64 * 1024) -> dict[str, Any]:
    """The request body as a JSON object, or an :class:`ApiError` naming what is wrong."""
    if request.content_length is not None and request.content_length > max_bytes:
        raise ApiError(413, "body_too_large", f"the request body is larger than {max_bytes} bytes")
    raw = await request.content.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise ApiError(413, "body_too_large", f"the request body is larger than {max_bytes} bytes")
    try:
        value = json.loads(raw or b"null")
    except RecursionError as exc:  # ``[[[[…`` tens of thousands deep: the decoder recurses per level
        raise _too_deep() from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"the request body is not valid JSON: {exc}") from exc
    if json_depth(value) > MAX_JSON_DEPTH:
        raise _too_deep()
    if not isinstance(value, dict):
        raise ApiError(400, "expected_object", "the request body must be a JSON object")
    if b"\\u" in raw and find_unusable(value) is not None:  # only an escape can make NUL or a lone surrogate
        raise ApiError(422, "invalid_text", INVALID_TEXT_MESSAGE)
    return value


def _too_deep() -> ApiError:
    return ApiError(400, "too_deep", f"请求体 JSON 嵌套过深（最多 {MAX_JSON_DEPTH} 层）")


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
