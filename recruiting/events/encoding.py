"""How events are encoded once: the apply path's event JSON is made one time and reused.

Pure (no I/O): the outbox row, the Redis stream entry and every office page's SSE line share
one encoding per event.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from typing import Any

Event = dict[str, Any]


def json_encoder() -> Callable[[Any], str]:
    """``json.JSONEncoder(ensure_ascii=False).encode``, the same text, without its per-call set-up.

    ``encode`` builds a new C encoder for every value, a large share of encoding a delivery event
    (figures: docs/measurements/2026-11-29-apply-rounds.md, "JSON encoders built once").
    This one is built once and has no circular-reference check (which allocates per call too);
    the events and rows encoded here are the server's own and have no cycles.
    """
    base = json.JSONEncoder(ensure_ascii=False)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator: the standard path
        return base.encode
    iterencode = make(None, base.default, json.encoder.encode_basestring, None, base.key_separator,
                      base.item_separator, False, False, True)

    def encode(value: Any) -> str:
        return "".join(iterencode(value, 0))

    return encode


class EncodedEvent(dict[str, Any]):
    """An event that keeps its JSON text once encoded: the outbox row, the Redis stream entry and
    every office page's SSE line reuse one encoding (three ``json`` encodes per apply were a visible
    share of the event loop's time; figures: docs/measurements/2026-12-05-figures-from-docstrings.md).
    Events are not changed after they are made."""

    __slots__ = ("json",)

    def __init__(self, fields: Mapping[str, Any], json_text: str | None = None) -> None:
        super().__init__(fields)
        self.json = json_text


def about_applications(event: Mapping[str, Any], application_ids: Collection[str]) -> bool:
    """A delivery event of one of ``application_ids``, or an interview event of one (both carry the person)."""
    interview = event.get("interview")
    return event.get("application_id") in application_ids or (
        isinstance(interview, Mapping) and interview.get("application_id") in application_ids
    )


def event_json(event: Mapping[str, Any], encode: Callable[[Any], str]) -> str:
    r"""The event's JSON text: kept from an earlier encoding, else ``encode``\ d (and kept)."""
    if isinstance(event, EncodedEvent):
        if event.json is None:
            event.json = encode(event)
        return event.json
    return encode(event)
