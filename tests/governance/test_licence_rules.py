"""Licence rules without I/O: evidence by magic bytes and size, validity dates, decisions, the live licence."""

from __future__ import annotations

import base64
from datetime import date
from typing import Any

import pytest

from common.errors import Forbidden, LivehireError
from governance.licences import (
    DEFAULT_LIVE_LICENCES,
    LICENCE_KINDS,
    check_live,
    parse_decision,
    parse_live_licences,
    parse_submission,
    sniff,
)
from governance.rules import LICENCES

PDF = b"%PDF-1.7\n" + b"x" * 100
PNG = b"\x89PNG\r\n\x1a\n" + b"x" * 100
JPEG = b"\xff\xd8\xff\xe0" + b"x" * 100


def body(data: bytes = PDF, **extra: Any) -> dict[str, Any]:
    return {"kind": "hr_service_licence", "number": "京人服证字〔2026〕第0001号", "authority": "北京市人力资源和社会保障局",
            "valid_from": "2026-01-01", "valid_until": "2030-12-31",
            "file": {"name": "licence.pdf", "data": base64.b64encode(data).decode()}, **extra}


def test_the_kinds_are_recruitings_licence_names() -> None:
    assert LICENCE_KINDS == ("business_licence", "hr_service_licence", "labour_dispatch_licence")
    assert set(LICENCE_KINDS) == set(LICENCES)


def test_types_are_decided_by_the_bytes() -> None:
    assert (sniff(PDF), sniff(PNG), sniff(JPEG)) == ("application/pdf", "image/png", "image/jpeg")
    assert sniff(b"GIF89a") is None and sniff(b"<html>") is None and sniff(b"") is None


def test_a_submission_is_parsed_with_china_day_bounds() -> None:
    parsed = parse_submission(body(), date(2026, 6, 1))
    assert parsed.kind == "hr_service_licence" and parsed.evidence.content_type == "application/pdf"
    assert parsed.valid_from == 1767196800000  # 2026-01-01 00:00 +08:00
    assert parsed.valid_until == 1924963200000  # 2031-01-01 00:00 +08:00 (the last day counts whole)


@pytest.mark.parametrize(("change", "code"), [
    ({"kind": "driving_licence"}, "invalid_kind"),
    ({"number": "1"}, "invalid_number"),
    ({"authority": ""}, "invalid_authority"),
    ({"valid_from": "2026/01/01"}, "invalid_valid_from"),
    ({"valid_until": "2026-02-30"}, "invalid_valid_until"),
    ({"valid_from": "2027-01-01", "valid_until": "2026-12-31"}, "invalid_validity"),
    ({"valid_until": "2026-05-31"}, "licence_expired"),
    ({"file": None}, "invalid_file"),
    ({"file": {"data": "not base64!"}}, "invalid_file"),
    ({"file": {"data": ""}}, "empty_file"),
    ({"file": {"data": base64.b64encode(b"<html><script>").decode()}}, "unsupported_file_type"),
    ({"file": {"data": base64.b64encode(PNG).decode(), "content_type": "application/pdf"}}, "unsupported_file_type"),
    ({"file": {"data": base64.b64encode(PDF + b"x" * 2000).decode()}}, "file_too_large"),
])
def test_bad_submissions_are_refused(change: dict[str, Any], code: str) -> None:
    with pytest.raises(LivehireError) as raised:
        parse_submission(body(**change), date(2026, 6, 1), max_bytes=1024)
    assert raised.value.code == code


def test_decisions_need_a_reason_to_reject_or_revoke() -> None:
    assert parse_decision({"decision": "approve"}) == ("approve", None)
    for decision in ("reject", "revoke"):
        with pytest.raises(LivehireError, match="理由"):
            parse_decision({"decision": decision})
    assert parse_decision({"decision": "revoke", "reason": "证照被注销"}) == ("revoke", "证照被注销")
    with pytest.raises(LivehireError):
        parse_decision({"decision": "delete"})


def test_live_recruiting_needs_an_hr_service_licence_or_an_employers_business_licence() -> None:
    accepted = parse_live_licences(DEFAULT_LIVE_LICENCES)
    check_live(accepted, "hr_agency", {"hr_service_licence"})
    check_live(accepted, "employer", {"business_licence"})
    for kind, held in (("hr_agency", {"business_licence"}), ("employer", set()), ("dispatch", {"labour_dispatch_licence"})):
        with pytest.raises(Forbidden) as raised:
            check_live(accepted, kind, held)
        assert raised.value.code == "licence_required" and "人力资源服务许可证" in raised.value.message
    with pytest.raises(ValueError):
        parse_live_licences("driving_licence")
    assert parse_live_licences("labour_dispatch_licence") == (("labour_dispatch_licence", None),)
