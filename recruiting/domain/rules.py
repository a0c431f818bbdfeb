"""Pure recruiting rules: no I/O, so every rule is unit-tested on its own.

* Which verified licence allows which job kind (standard 5.1.1).
* What a job post must carry: base pay, headcount, workplace, a validity
  period (人力资源市场暂行条例 §24; five-ministry notice on validity periods).
* The application status pipeline of the back office (standard 5.1.4).
* Interview answers of the candidate (standard 4.3.1 c).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from common.errors import Conflict, ErrorKind, Forbidden, Invalid, LivehireError, Malformed

JOB_KINDS: Final = ("own", "agency", "dispatch")
QUALIFICATION_KINDS: Final = ("business_licence", "hr_service_licence", "labour_dispatch_licence")
QUALIFICATION_STATES: Final = ("pending", "verified", "rejected")

#: Standard 5.1.1: business licence → own jobs; HR service licence → agency (代招)
#: jobs; labour dispatch licence → dispatch jobs.
LICENCE_FOR_KIND: Final[Mapping[str, str]] = {
    "own": "business_licence",
    "agency": "hr_service_licence",
    "dispatch": "labour_dispatch_licence",
}
KIND_LABEL: Final[Mapping[str, str]] = {"own": "自有岗位", "agency": "代招岗位", "dispatch": "劳务派遣岗位"}
LICENCE_LABEL: Final[Mapping[str, str]] = {
    "business_licence": "营业执照",
    "hr_service_licence": "人力资源服务许可证",
    "labour_dispatch_licence": "劳务派遣经营许可证",
}

#: Standard 5.1.4: new → viewed → contacted → interview → offer → hired; rejected from any open state.
TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    "new": frozenset({"viewed", "contacted", "rejected"}),
    "viewed": frozenset({"contacted", "interview", "rejected"}),
    "contacted": frozenset({"interview", "offer", "rejected"}),
    "interview": frozenset({"offer", "rejected"}),
    "offer": frozenset({"hired", "rejected"}),
    "hired": frozenset(),
    "rejected": frozenset(),
}
STATUSES: Final = tuple(TRANSITIONS)
#: Why a member opens a resume (4.4.1 b, 个人信息保护法 §6 purpose limitation): recorded with each read.
READ_PURPOSES: Final[Mapping[str, str]] = {
    "screening": "筛选简历", "interview": "安排面试", "contact": "联系候选人", "offer": "录用沟通", "audit": "合规检查",
}


def read_purpose(raw: str | None) -> str:
    """The purpose of a resume read (``screening`` when not given); another word is refused."""
    purpose = raw or "screening"
    if purpose not in READ_PURPOSES:
        raise Invalid("invalid_purpose", f"查阅目的须为 {'、'.join(READ_PURPOSES)} 之一", details={"field": "purpose"})
    return purpose

INTERVIEW_ANSWERS: Final[Mapping[str, str]] = {
    "accept": "accepted",
    "decline": "declined",
    "reschedule": "reschedule_requested",
}

MEMBER_ROLES: Final = ("admin", "recruiter", "host")

#: Bounds of every integer a client sends. Python's int is unbounded but the store's BIGINT is not:
#: a value past 64 bits failed in the driver (500). Timestamps stay exact in a JS number (2^53 ms).
MAX_TIMESTAMP_MS: Final = 2**53
MAX_SALARY: Final = 10**9
MAX_HEADCOUNT: Final = 10**6
MAX_LIMIT: Final = 1000
#: A job's validity when the poster names none (setting ``job_validity_days``; the five-ministry notice asks
#: every post to carry one).
DEFAULT_VALIDITY_DAYS: Final = 30
DAY_MS: Final = 24 * 3600 * 1000


def bounded_int(value: Any, key: str, *, minimum: int, maximum: int, kind: ErrorKind = "invalid") -> int:
    """``value`` as an int in ``minimum..maximum``; otherwise an error naming ``key`` (malformed for a query)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise Malformed("invalid_field", f"{key} 必须是整数")
    if not minimum <= value <= maximum:
        raise LivehireError(
            "out_of_range", f"{key} 必须在 {minimum} 到 {maximum} 之间", kind=kind,
            details={"field": key, "minimum": minimum, "maximum": maximum},
        )
    return value


def check_kind_allowed(kind: str, verified_licences: set[str]) -> None:
    """Refuses a job kind the organisation holds no verified licence for (5.1.1)."""
    if kind not in LICENCE_FOR_KIND:
        raise Malformed("invalid_kind", f"岗位类型必须是 {', '.join(JOB_KINDS)} 之一")
    licence = LICENCE_FOR_KIND[kind]
    if licence not in verified_licences:
        raise Forbidden(
            "qualification_required",
            f"发布{KIND_LABEL[kind]}需要已审核通过的{LICENCE_LABEL[licence]}（标准 5.1.1）",
            details={"required_licence": licence, "kind": kind},
        )


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS:
        raise Malformed("invalid_status", f"未知状态 {target!r}；可选：{', '.join(STATUSES)}")
    if target not in TRANSITIONS[current]:
        raise Conflict("invalid_transition", f"状态不能从 {current} 变为 {target}")


@dataclass(frozen=True, slots=True)
class JobDraft:
    """A validated job post (人力资源市场暂行条例 §24: base pay, headcount, workplace, requirements)."""

    title: str
    employer: str
    kind: str
    location: str
    salary_min: int
    salary_max: int
    headcount: int
    requirements: str
    benefits: str
    valid_from: int
    valid_until: int
    status: str
    industry: str | None = None
    client_company: str | None = None  # an agency (代招) job: the company it recruits for
    mandate_ref: str | None = None  # an agency job: the number of the client's recruitment mandate (委托书)
    mandate_valid_until: int | None = None  # the mandate's end (ms); the job cannot outlive it


def _text(body: Mapping[str, Any], key: str, *, limit: int, required: bool = True) -> str:
    value = body.get(key, "")
    if not isinstance(value, str):
        raise Malformed("invalid_field", f"{key} 必须是字符串")
    value = value.strip()
    if required and not value:
        raise Malformed("missing_field", f"缺少必填项 {key}")
    if len(value) > limit:
        raise Malformed("field_too_long", f"{key} 不能超过 {limit} 个字符")
    return value


def _int(body: Mapping[str, Any], key: str, *, minimum: int, maximum: int, default: int | None = None) -> int:
    value = body.get(key, default)
    if value is None:
        raise Malformed("missing_field", f"缺少必填项 {key}")
    if isinstance(value, bool) or not isinstance(value, int):
        raise Malformed("invalid_field", f"{key} 必须是整数")
    if value < minimum:
        raise Malformed("invalid_field", f"{key} 不能小于 {minimum}")
    return bounded_int(value, key, minimum=minimum, maximum=maximum)


def _industry(body: Mapping[str, Any]) -> str | None:
    value = _text(body, "industry", limit=32, required=False) if body.get("industry") is not None else ""
    if value and not value.replace("_", "").isalnum():
        raise Malformed("invalid_industry", "industry 必须是行业代码（如 logistics）")
    return value or None


def parse_job(body: Mapping[str, Any], *, now_ms: int, validity_days: int = DEFAULT_VALIDITY_DAYS) -> JobDraft:
    """Validates a job body; base pay and a validity period are required by law (an omitted end is
    ``validity_days`` after the start). An agency job names its client company (else its ``employer``) and
    the reference number of the client's mandate; with the mandate's end date, the job's validity must end
    by then (so the existing validity checks stop it when the mandate ends)."""
    salary_min = _int(body, "salary_min", minimum=1, maximum=MAX_SALARY)
    salary_max = _int(body, "salary_max", minimum=salary_min, maximum=MAX_SALARY)
    valid_from = _int(body, "valid_from", minimum=0, maximum=MAX_TIMESTAMP_MS - 1, default=now_ms)
    valid_until = _int(body, "valid_until", minimum=valid_from + 1, maximum=MAX_TIMESTAMP_MS,
                       default=min(valid_from + validity_days * DAY_MS, MAX_TIMESTAMP_MS))
    status = body.get("status", "published")
    if status not in ("draft", "published", "closed"):
        raise Malformed("invalid_field", "status 必须是 draft、published 或 closed")
    kind = _text(body, "kind", limit=16)
    employer = _text(body, "employer", limit=200)
    client: str | None = None
    mandate: str | None = None
    mandate_until: int | None = None
    if kind == "agency":
        client = _text(body, "client_company", limit=200, required=False) if body.get("client_company") else employer
        if not body.get("mandate_ref"):
            raise Invalid("mandate_required", "代招岗位需要填写委托招聘单位（client_company）和委托书编号（mandate_ref）",
                          details={"field": "mandate_ref"})
        mandate = _text(body, "mandate_ref", limit=100)
        employer = client
        if body.get("mandate_valid_until") is not None:
            mandate_until = _int(body, "mandate_valid_until", minimum=now_ms + 1, maximum=MAX_TIMESTAMP_MS)
            if valid_until > mandate_until:  # 人力资源市场暂行条例 §26: only what the client mandated, while it lasts
                raise Invalid("mandate_expires_first", "岗位有效期不能晚于委托书的有效期",
                              details={"field": "valid_until", "mandate_valid_until": mandate_until})
    return JobDraft(
        title=_text(body, "title", limit=200),
        employer=employer,
        kind=kind,
        location=_text(body, "location", limit=200),
        salary_min=salary_min,
        salary_max=salary_max,
        headcount=_int(body, "headcount", minimum=1, maximum=MAX_HEADCOUNT),
        requirements=_text(body, "requirements", limit=4000, required=False),
        benefits=_text(body, "benefits", limit=4000, required=False),
        valid_from=valid_from,
        valid_until=valid_until,
        status=str(status),
        industry=_industry(body),
        client_company=client,
        mandate_ref=mandate,
        mandate_valid_until=mandate_until,
    )


@dataclass(frozen=True, slots=True)
class ProfileInput:
    """The minimum a candidate gives (个人信息保护法 §6): name, phone, a short resume."""

    name: str
    phone: str
    resume: str
    consent_to_share: bool


def parse_profile(body: Mapping[str, Any]) -> ProfileInput:
    phone = _text(body, "phone", limit=32)
    digits = phone.replace("+", "").replace("-", "").replace(" ", "")
    if not digits.isdigit() or not 5 <= len(digits) <= 20:
        raise Malformed("invalid_phone", "手机号格式不正确")
    consent = body.get("consent_to_share", False)
    if not isinstance(consent, bool):
        raise Malformed("invalid_field", "consent_to_share 必须是 true 或 false")
    return ProfileInput(
        name=_text(body, "name", limit=100),
        phone=phone,
        resume=_text(body, "resume", limit=8000),
        consent_to_share=consent,
    )


def mask_phone(phone: str) -> str:
    """What a recruiter may see of a real number: never the number itself (5.1.5)."""
    return phone[:3] + "****" + phone[-2:] if len(phone) >= 7 else "****"
