"""Job review, without I/O (standard 5.1.3 c; 人力资源市场暂行条例 §26: the platform reviews the job
information it publishes; §24: what a post must carry).

Theory of operation. A job is screened when it is posted and whenever its content changes: the moderation
filter (job context) and the platform's industry list. A *blocked* text is refused (the caller fixes it); a
*doubtful* one (the filter's ``review`` action, or an industry that needs review) is stored
``pending_review`` with its reasons (:func:`flags_of`: category, its Chinese name, the matched terms masked)
shown to the poster and to the reviewer on the desk. A reviewer approves it (``published``, a new version)
or rejects it with a reason (``rejected``; the poster sees the reason, edits and is screened again). A
published job's every version is kept (``job_versions``); an edit of a published job that is doubtful takes
the job out of publication until it is reviewed (its pins end: the previous version is not kept live, so a
candidate never applies to text nobody has checked).

Only a published job within its validity (``valid_from <= now < valid_until``) may be pinned or applied to.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal

from common.errors import Conflict, Invalid
from moderation.decision import Decision
from moderation.rules import CATEGORY_RULES

#: Job states: draft (the poster keeps it), pending_review, published, rejected, closed.
STATES: Final = ("draft", "pending_review", "published", "rejected", "closed")
STATE_LABEL: Final[Mapping[str, str]] = {
    "draft": "草稿", "pending_review": "待平台审核", "published": "已发布", "rejected": "审核未通过", "closed": "已关闭",
}
Decide = Literal["approve", "reject"]
QUEUE_STATES: Final = ("pending_review", "rejected", "published", "all")
CATEGORY_NAME: Final[Mapping[str, str]] = {rule.category: rule.name for rule in CATEGORY_RULES}
MASK: Final = "＊"
#: The fields of a version (and of the ledger entry's content hash), in the order a client sees them.
CONTENT: Final = ("title", "employer", "kind", "location", "salary_min", "salary_max", "headcount", "requirements",
                  "benefits", "valid_from", "valid_until", "industry", "client_company", "mandate_ref",
                  "mandate_sha256", "mandate_valid_until")
MAX_REASON: Final = 500


def mask_term(term: str) -> str:
    """A matched term as the poster sees it: its first character, the rest masked (``押金`` → ``押＊``)."""
    return term[:1] + MASK * (len(term) - 1) if len(term) > 1 else MASK


def flags_of(decision: Decision) -> list[dict[str, Any]]:
    """The filter's reasons for doubting a text: one entry per category, its terms masked."""
    terms: dict[str, set[str]] = {}
    for match in decision.matches:
        terms.setdefault(match.category, set()).add(mask_term(match.term))
    return [{"source": "filter", "category": category, "label": CATEGORY_NAME.get(category, category),
             "terms": sorted(terms.get(category, ()))} for category in decision.categories]


def industry_flag(industry: str | None) -> dict[str, Any]:
    """The industry list says a job of this industry needs a reviewer's look (5.1.3 b)."""
    return {"source": "industry", "category": "industry", "label": "需审核行业", "terms": [industry or ""]}


def mandate_flag() -> dict[str, Any]:
    """An agency job's mandate document no reviewer has looked at yet (checked once per document)."""
    return {"source": "mandate", "category": "mandate", "label": "委托书待平台核验", "terms": []}


def review_message(flags: Iterable[Mapping[str, Any]]) -> str:
    """The Chinese explanation the poster reads next to a job waiting for review."""
    parts = [f"{flag['label']}（{'、'.join(flag['terms'])}）" if flag["terms"] else str(flag["label"]) for flag in flags]
    return "岗位信息需平台人工审核后才会发布。原因：" + ("；".join(parts) or "平台抽查") + "。"


def dump_flags(flags: list[dict[str, Any]]) -> str | None:
    return json.dumps(flags, ensure_ascii=False) if flags else None


def load_flags(raw: str | None) -> list[dict[str, Any]]:
    if not raw:
        return []
    loaded = json.loads(raw)
    return loaded if isinstance(loaded, list) else []


def content(row: Any) -> dict[str, Any]:
    """The content of a job as one version keeps it (JSON-able)."""
    if isinstance(row, Mapping):
        return {key: row.get(key) for key in CONTENT}
    return {key: getattr(row, key, None) for key in CONTENT}


def content_json(row: Any) -> str:
    return json.dumps(content(row), ensure_ascii=False, sort_keys=True)


def parse_decision(body: Mapping[str, Any]) -> tuple[Decide, str | None]:
    """``{"decision": "approve"|"reject", "reason"}``: a rejection needs a reason (the poster reads it)."""
    decision = body.get("decision")
    if decision not in ("approve", "reject"):
        raise Invalid("invalid_decision", "decision 必须是 approve 或 reject")
    raw = body.get("reason")
    if raw is not None and not isinstance(raw, str):
        raise Invalid("invalid_reason", "reason 必须是字符串")
    reason = " ".join((raw or "").split()) or None
    if reason is not None and len(reason) > MAX_REASON:
        raise Invalid("reason_too_long", f"审核意见不能超过 {MAX_REASON} 个字符")
    if decision == "reject" and reason is None:
        raise Invalid("reason_required", "驳回岗位需要填写原因，发布者会看到")
    return ("approve" if decision == "approve" else "reject"), reason


def check_pending(status: str) -> None:
    if status != "pending_review":
        raise Conflict("not_pending", f"这个岗位不在待审核状态（当前：{STATE_LABEL.get(status, status)}）")


def check_live(status: str, valid_from: int, valid_until: int, now: int) -> None:
    """Only a published job within its validity may be pinned (and applied to: the apply path checks the same)."""
    if status != "published":
        raise Conflict("job_not_published", f"只能置顶已发布的岗位（当前：{STATE_LABEL.get(status, status)}）")
    if now >= valid_until:
        raise Conflict("job_expired", "岗位已过有效期，不能置顶；请修改有效期后重新发布")
    if now < valid_from:
        raise Conflict("job_not_yet_valid", "岗位尚未到有效期开始时间")
