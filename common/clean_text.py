"""Text a client may send that the server can neither store nor send on: NUL and lone surrogates.

Why: JSON lets a client write ``"\\u0000"`` and ``"\\ud800"``. Python decodes them into a
``str``, but PostgreSQL ``text`` refuses NUL, and a lone surrogate cannot be encoded as UTF-8,
so the value fails later, far from the request: a chat message with one was acknowledged and
kept in the room's history, then broke every flush and every newcomer's ``welcome`` that
carried it; an ``apply`` whose ``ref`` held one failed the whole group commit of PostgreSQL,
everyone else's applies in the batch with it. Such text is refused where it enters (chat
frames: error ``invalid_text``; REST bodies and path parameters: 422/400 ``invalid_text``),
and nothing already accepted is touched. Standard 4.4.1 a (input checks).
"""

from __future__ import annotations

import re
from typing import Any, Final

_UNUSABLE: Final = re.compile("[\x00\ud800-\udfff]")  # a Python str holds an astral character as one code point

INVALID_TEXT_MESSAGE: Final = "含有无法处理的字符（NUL 或不成对的 UTF-16 代理项）"


def unusable(text: str) -> bool:
    return _UNUSABLE.search(text) is not None


def find_unusable(value: Any, _depth: int = 0) -> str | None:
    """The first string (key or value, at any depth of a JSON-like value) holding NUL or a lone surrogate."""
    if isinstance(value, str):
        return value if unusable(value) else None
    if _depth > 64:
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            found = find_unusable(key, _depth + 1) if isinstance(key, str) else None
            found = found if found is not None else find_unusable(item, _depth + 1)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for item in value:
            found = find_unusable(item, _depth + 1)
            if found is not None:
                return found
    return None
