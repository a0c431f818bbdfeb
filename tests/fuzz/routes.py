"""The routes a fuzzer may hit on a livehire app, and the path values that reach past the 404s."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from tests.fuzz.inputs import Inputs

#: Long-lived responses (a feed, a websocket) and pages: not request bodies to fuzz.
SKIPPED = re.compile(r"(/stream$|^/ws/|^/static/|^/bench/|^/(live|studio|orgs|review|complaints|me|login|rules|office)(/|$)|^/$)")
#: Path values that exist in a freshly seeded app (the demo organisation and room).
KNOWN: dict[str, list[str]] = {
    "room": ["demo"], "org": ["demo-org"], "user_id": ["demo-recruiter", "demo-host", "me"], "month": ["2026-12", "1999-00"],
}
PARAM = re.compile(r"\{(\w+)\}")


def fuzzable(routes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(method, path template) pairs worth fuzzing, sorted, without HEAD/OPTIONS duplicates."""
    keep = {(m, p) for m, p in routes if m in ("GET", "POST", "PUT", "PATCH", "DELETE") and not SKIPPED.search(p)}
    return sorted(keep)


def app_routes(app: Any) -> list[tuple[str, str]]:
    return fuzzable([(r.method, r.resource.canonical) for r in app.router.routes() if r.resource is not None])


def fill(template: str, inputs: Inputs) -> str:
    """The template with each ``{name}`` replaced: a known value mostly, else hostile (URL-quoted) text."""
    return PARAM.sub(lambda m: quote(inputs.path_value(m.group(1), KNOWN), safe="", errors="surrogatepass") or "x", template)


def openapi_fields(document: dict[str, Any]) -> tuple[str, ...]:
    """Every property name of every request body in the OpenAPI document."""
    names: set[str] = set()
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                names.update(content.get("schema", {}).get("properties", {}))
    return tuple(sorted(names))
