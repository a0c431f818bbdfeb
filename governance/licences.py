"""Licence review rules, sans-I/O (standard 5.1.1, 4.2.3; 人力资源市场暂行条例 §18).

An organisation's admin submits a licence: its kind (the names recruiting uses), number, issuing authority,
validity dates and an evidence file (PDF, PNG or JPEG, recognised by its first bytes, not by what the client
says). It is ``pending`` until platform staff approve it (state ``verified``, the state recruiting's job
check reads) or reject it with a reason. An approved licence stops counting when its validity ends
(``expired``) or a reviewer revokes it (``revoked``); re-verification falls due a configurable time after the
last approval, and a licence still not re-verified a grace period later stops counting too (``lapsed``) until
a reviewer approves it again. Which licence lets an organisation go live is a setting (:func:`parse_live_licences`).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal

from common.errors import Forbidden, Invalid, Malformed, TooLarge
from governance.complaints import CHINA
from governance.rules import LICENCES

LICENCE_KINDS: Final = tuple(LICENCES)  # business_licence, hr_service_licence, labour_dispatch_licence
STATES: Final = ("pending", "verified", "rejected", "expired", "revoked", "lapsed")  # lapsed: re-verification overdue
DEFAULT_GRACE_DAYS: Final = 30  # after re-verification falls due, before the licence is suspended
#: The file types accepted as evidence, by their magic bytes.
FILE_TYPES: Final[dict[str, tuple[bytes, ...]]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
DEFAULT_MAX_BYTES: Final = 5 * 1024 * 1024
#: Default for live recruiting (4.2.3): an HR service licence, or a business licence of an employer
#: recruiting for itself.
DEFAULT_LIVE_LICENCES: Final = "hr_service_licence,business_licence@employer"
Decision = Literal["approve", "reject", "revoke"]
DAY_MS: Final = 24 * 3600 * 1000


def label(kind: str) -> str:
    return LICENCES[kind][0] if kind in LICENCES else kind


def job_kind_of(licence: str) -> str | None:
    """The job kind a licence allows (5.1.1): the table in ``governance.rules``, mirrored from recruiting."""
    return LICENCES[licence][1] if licence in LICENCES else None


def sniff(data: bytes) -> str | None:
    """The content type the bytes are (PDF, PNG, JPEG), or None."""
    for content_type, magics in FILE_TYPES.items():
        if any(data.startswith(magic) for magic in magics):
            return content_type
    return None


def day_start_ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=CHINA).timestamp() * 1000)


def _date(value: Any, name: str) -> date:
    if not isinstance(value, str) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is None:
        raise Invalid(f"invalid_{name}", f"{name} 须为日期 YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise Invalid(f"invalid_{name}", f"{name} 不是有效日期") from exc


def _text(body: Mapping[str, Any], name: str, low: int, high: int, what: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not low <= len(value.strip()) <= high:
        raise Invalid(f"invalid_{name}", f"{what}须为 {low}–{high} 个字符")
    return value.strip()


@dataclass(frozen=True, slots=True)
class Evidence:
    data: bytes
    content_type: str
    name: str


@dataclass(frozen=True, slots=True)
class Submission:
    kind: str
    number: str
    authority: str
    valid_from: int  # ms, the first day's start (China time)
    valid_until: int  # ms, exclusive: the day after the last valid day, 00:00 China time
    evidence: Evidence


def parse_evidence(raw: Any, max_bytes: int = DEFAULT_MAX_BYTES) -> Evidence:
    """``{"name", "content_type"?, "data": base64}``: the type is decided by the bytes; a declared type that
    disagrees is refused too (a PNG sent as PDF is a mistake worth naming)."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("data"), str):
        raise Malformed("invalid_file", "file 须为 {name, content_type, data(base64)}")
    encoded = raw["data"]
    if len(encoded) > (max_bytes + 2) // 3 * 4 + 4:
        raise TooLarge("file_too_large", f"文件超过 {max_bytes // (1024 * 1024)} MB")
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Malformed("invalid_file", "file.data 不是有效的 base64") from exc
    if not data:
        raise Invalid("empty_file", "文件为空")
    if len(data) > max_bytes:
        raise TooLarge("file_too_large", f"文件超过 {max_bytes // (1024 * 1024)} MB")
    found = sniff(data)
    if found is None:
        raise Invalid("unsupported_file_type", "证照文件须为 PDF、PNG 或 JPEG")
    declared = raw.get("content_type")
    if declared not in (None, "", found):
        raise Invalid("unsupported_file_type", f"文件内容是 {found}，与声明的 {declared} 不符")
    name = raw.get("name")
    name = re.sub(r"[\x00-\x1f/\\]", "_", name)[:200] if isinstance(name, str) and name else "licence"
    return Evidence(data, found, name)


def parse_submission(body: Mapping[str, Any], today: date, max_bytes: int = DEFAULT_MAX_BYTES) -> Submission:
    kind = body.get("kind")
    if kind not in LICENCE_KINDS:
        raise Invalid("invalid_kind", f"证照类型须为 {', '.join(LICENCE_KINDS)} 之一")
    number = _text(body, "number", 4, 100, "证照编号")
    authority = _text(body, "authority", 2, 200, "发证机关")
    first, last = _date(body.get("valid_from"), "valid_from"), _date(body.get("valid_until"), "valid_until")
    if last < first:
        raise Invalid("invalid_validity", "有效期截止日期不能早于起始日期")
    if last < today:
        raise Invalid("licence_expired", "该证照已过有效期，请提交有效的证照")
    evidence = parse_evidence(body.get("file"), max_bytes)
    return Submission(str(kind), number, authority, day_start_ms(first), day_start_ms(last + timedelta(days=1)),
                      evidence)


def parse_decision(body: Mapping[str, Any]) -> tuple[Decision, str | None]:
    decision = body.get("decision")
    if decision not in ("approve", "reject", "revoke"):
        raise Invalid("invalid_decision", "decision 须为 approve、reject 或 revoke")
    reason = body.get("reason")
    if reason is None or (isinstance(reason, str) and not reason.strip()):
        if decision != "approve":
            raise Invalid("reason_required", "驳回或吊销须写明理由")
        return decision, None
    return decision, _text(body, "reason", 2, 500, "理由")


def parse_live_licences(spec: str) -> tuple[tuple[str, str | None], ...]:
    """``"hr_service_licence,business_licence@employer"``: any one of the licences, the ``@kind`` ones only
    for an organisation of that kind (an employer recruiting for itself)."""
    found: list[tuple[str, str | None]] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        licence, _, org_kind = part.partition("@")
        if licence not in LICENCE_KINDS:
            raise ValueError(f"live_licences: {licence!r} is not one of {', '.join(LICENCE_KINDS)}")
        found.append((licence, org_kind or None))
    if not found:
        raise ValueError("live_licences names no licence")
    return tuple(found)


def check_live(accepted: Iterable[tuple[str, str | None]], org_kind: str, held: Iterable[str]) -> None:
    """Going live (session start, WHIP publish) needs one of the accepted licences, verified and valid."""
    held = set(held)
    options = [(licence, kind) for licence, kind in accepted]
    if any(licence in held and (kind is None or kind == org_kind) for licence, kind in options):
        return
    names = "或".join(label(licence) + (f"（{_ORG_KIND.get(kind, kind)}自主招聘）" if kind else "")
                     for licence, kind in options)
    raise Forbidden("licence_required", f"直播招聘需要平台审核通过且在有效期内的{names}；请在“我的机构”提交证照并等待审核",
                    details={"accepted": [licence for licence, _ in options]})


_ORG_KIND: Final = {"employer": "用人单位", "hr_agency": "人力资源服务机构", "dispatch": "劳务派遣单位"}


def reverify_due(decided_at: int | None, created_at: int, interval_days: int) -> int:
    """When an approved licence needs review again: ``interval_days`` after its last approval."""
    return (decided_at if decided_at is not None else created_at) + interval_days * DAY_MS


def lapses_at(decided_at: int | None, created_at: int, interval_days: int, grace_days: int) -> int:
    """When an approved licence left without re-verification stops counting: its due time plus the grace."""
    return reverify_due(decided_at, created_at, interval_days) + grace_days * DAY_MS
