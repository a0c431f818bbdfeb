"""The governance services a server runs, built once by the composition root (``build_governance``)."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from common.clock import Clock
from common.errors import Invalid
from governance.actions_sql import CorrectiveActions
from governance.anchors import Anchor
from governance.blobs import BlobStore
from governance.calls_sql import CallFlags
from governance.complaints import mask_spans
from governance.complaints_sql import ComplaintRepository, Sealer
from governance.deliveries import DeliveryDrain
from governance.evaluation_sql import RatingBook
from governance.feeds import ChatComplaints, ContentFlags, LedgerFeed
from governance.labels_sql import LabelBook
from governance.ledger import pseudonym, pseudonym_key
from governance.ledger_sql import StoreLedger
from governance.licences import (
    DEFAULT_GRACE_DAYS,
    DEFAULT_LIVE_LICENCES,
    DEFAULT_MAX_BYTES,
    parse_evidence,
    parse_live_licences,
)
from governance.licences_sql import LicenceReview
from governance.orgs import Access, industries, industry_access
from governance.orgs_sql import OrgReview
from governance.rules import DEFAULT_AUTHORITY, FEES_TO_SEEKERS, KIND_NAMES, LICENCES, services
from moderation.engine import Moderator
from store.engine import Store

log = logging.getLogger("livehire.governance")


@dataclass(frozen=True, slots=True)
class GovernanceConfig:
    """What the settings say about governance (livehire.settings)."""

    base_url: str
    retention_years: int = 3
    working_days: int = 5
    complaint_phone: str | None = None
    complaint_email: str | None = None
    supervising_authority: str | None = None
    industry_access: tuple[tuple[str, str], ...] = ()
    licence_reverify_days: int = 182  # about 6 months (issue 13)
    licence_max_bytes: int = DEFAULT_MAX_BYTES
    live_licences: str = DEFAULT_LIVE_LICENCES
    ledger_delivery_seconds: float = 5.0  # how often queued apply batches are drained into the ledger
    anchor_path: str | None = None  # where the ledger head's anchors are appended (governance.anchors)
    label_days: int = 365  # how long moderators' decisions are kept as labelled examples (issue 14)
    licence_reverify_grace_days: int = DEFAULT_GRACE_DAYS  # re-verification overdue this long: lapsed (5.1.1)


@dataclass(frozen=True, slots=True)
class Governance:
    config: GovernanceConfig
    ledger: StoreLedger
    complaints: ComplaintRepository
    moderator: Moderator
    pseudonym_key: bytes
    orgs: OrgReview
    industries: Mapping[str, tuple[str, Access]]
    licences: LicenceReview
    feed: LedgerFeed  # chat's and recruiting's ServiceLedger port (4.4.1 f)
    chat_complaints: ChatComplaints  # chat's ComplaintDesk port: reports escalated (4.4.1 e)
    ratings: RatingBook  # sessions rated by their viewers and candidates, the platform by organisations (6.1)
    actions: CorrectiveActions  # corrective actions with owner and follow-up date (6.2)
    deliveries: DeliveryDrain  # apply batches queued by recruiting's writer, into the ledger (4.4.1 f)
    labels: LabelBook  # chat's ReviewLabels: moderators' decisions as examples for the filter
    blobs: BlobStore | None = None  # evidence files: licences', and agency jobs' mandates
    calls: CallFlags | None = None  # call records flagged by a party (5.1.3 d)
    content_flags: ContentFlags | None = None  # recruiting's ContentReview: doubtful interview texts (5.1.3 d)

    async def write_anchor(self) -> Anchor:
        """Appends the ledger head's anchor to ``anchor_path`` and logs it (log shipping keeps a copy away from
        the database; governance.anchors)."""
        anchor = await self.ledger.anchor()
        path = self.config.anchor_path
        if path is not None:
            await asyncio.to_thread(_append_line, path, anchor.line())
        log.info("ledger anchor", extra={"seq": anchor.seq, "hash": anchor.hash})
        return anchor

    async def public_org(self, org_id: str) -> dict[str, Any]:
        """An approved organisation's disclosures (人力资源市场暂行条例 §32): enterprise information, the
        licences verified for it, its services, fees (none to job seekers), the supervising authority and the
        platform's complaint channel."""
        org = await self.orgs.public(org_id)
        config = self.config
        licences = [{**held, "name": LICENCES.get(held["kind"], (held["kind"],))[0]} for held in org["licences"]]
        industry = org["industry"]
        return {**org, "kind_name": KIND_NAMES.get(org["kind"], org["kind"]), "licences": licences,
                "industry_name": self.industries[industry][0] if industry in self.industries else industry,
                "services": services(org["kind"], [held["kind"] for held in licences]),
                "fees": FEES_TO_SEEKERS, "supervising_authority": config.supervising_authority or DEFAULT_AUTHORITY,
                "complaint_phone": config.complaint_phone, "complaint_email": config.complaint_email,
                "complaint_url": f"/complaints/new?target_type=org&target_id={quote(org['id'], safe='')}"}

    async def job_industry(self, org_id: str, industry: str | None) -> str:
        """The industry list applied to a job (5.1.3 b; recruiting's ``JobIndustry`` port): the job's industry,
        else the organisation's registered one; none known: allowed. Refused raises (403)."""
        code = industry if industry is not None else await self.orgs.industry_of(org_id)
        return "allowed" if code is None else industry_access(code, self.industries)

    async def job_decision(self, kind: str, job_id: str, facts: Mapping[str, Any], reviewer: str,
                           connection: Any = None) -> None:
        """A reviewer's decision on a job in the ledger (recruiting's ``JobDecisions`` port), in the
        decision's own transaction when given; the reviewer as a pseudonym."""
        body = {**facts, "reviewer": pseudonym(self.pseudonym_key, "user", reviewer)}
        if connection is None:
            await self.ledger.append(kind, f"job:{job_id}", body)
        else:
            await self.ledger.append_with(connection, kind, f"job:{job_id}", body)

    async def store_mandate(self, raw: Any) -> dict[str, Any]:
        """An agency job's mandate document (recruiting's ``MandateFiles``): checked like licence evidence (PDF,
        PNG or JPEG by its bytes, at most ``licence_max_bytes``), stored in the blob store."""
        assert self.blobs is not None, "build_governance passes the blob store"
        evidence = parse_evidence(raw, self.config.licence_max_bytes)
        sha = await self.blobs.put(evidence.data)
        return {"sha256": sha, "content_type": evidence.content_type, "size": len(evidence.data),
                "name": evidence.name}

    async def mandate(self, sha256: str) -> bytes | None:
        assert self.blobs is not None, "build_governance passes the blob store"
        return await self.blobs.get(sha256)

    @property
    def mandate_max_bytes(self) -> int:
        return self.config.licence_max_bytes

    def mask_personal(self, text: str) -> str:
        """Personal data the filter finds (phone, ID number, e-mail, address) masked (4.4.1 c); other
        categories stay: a complaint quotes the fee demand or the diversion it reports."""
        return masked(self.moderator, text)

    def screen_profile(self, fields: Mapping[str, str | None]) -> list[str]:
        """Enterprise information through the filter (5.1.3 a, d): fees, diversion, harassment or
        discrimination in a name or address are refused; what the filter only doubts is flagged for the
        reviewer. An address is personal-looking by nature, so ``pii`` does not count there."""
        flags: set[str] = set()
        for name in ("name", "address"):
            text = fields.get(name)
            if not text:
                continue
            decision = self.moderator.moderate(text, role="admin", context="job")
            categories = {c for c in decision.categories if not (name == "address" and c == "pii")}
            if decision.action == "block" and categories:
                raise Invalid("profile_not_allowed", f"企业信息包含不允许的内容（{'、'.join(sorted(categories))}），请修改",
                              details={"field": name, "categories": sorted(categories)})
            flags.update(f"{name}:{c}" for c in categories)
        return sorted(flags)


def _append_line(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as anchors:
        anchors.write(line + "\n")
        anchors.flush()
        os.fsync(anchors.fileno())


def masked(moderator: Moderator, text: str) -> str:
    """``text`` with the personal data the filter finds masked (phone, ID number, e-mail, address)."""
    decision = moderator.moderate(text, role="viewer", context="chat")
    return mask_spans(text, [(m.start, m.end) for m in decision.matches if m.category == "pii"])


def screened_comment(moderator: Moderator, text: str) -> tuple[str, str]:
    """A rating's comment through the chat filter (5.1.3 d, 6.1): refused when it would be blocked in chat,
    ``held`` for a reviewer when doubtful, personal data masked."""
    decision = moderator.moderate(text, role="viewer", context="chat")
    if decision.action == "block":
        raise Invalid("comment_not_allowed", f"评价内容包含不允许的内容（{'、'.join(decision.categories)}），请修改",
                      details={"categories": list(decision.categories)})
    kept = mask_spans(text, [(m.start, m.end) for m in decision.matches if m.category == "pii"])
    return kept, "held" if decision.action == "review" else "shown"


def build_governance(store: Store, *, secret: str, sealer: Sealer, moderator: Moderator, config: GovernanceConfig,
                     blobs: BlobStore, clock: Clock | None = None) -> Governance:
    key = pseudonym_key(secret)
    ledger = StoreLedger(store, clock=clock, retention_years=config.retention_years)
    complaints = ComplaintRepository(store, ledger, sealer, pseudonym_key=key, working_days=config.working_days,
                                     clock=clock)
    orgs = OrgReview(store, ledger, pseudonym_key=key, clock=clock)
    licences = LicenceReview(store, ledger, blobs, pseudonym_key=key, reverify_days=config.licence_reverify_days,
                             live_licences=parse_live_licences(config.live_licences), clock=clock,
                             grace_days=config.licence_reverify_grace_days)
    mask = functools.partial(masked, moderator)
    ratings = RatingBook(store, ledger, functools.partial(screened_comment, moderator), pseudonym_key=key, clock=clock)
    feed = LedgerFeed(ledger, key, mask=mask)
    return Governance(config, ledger, complaints, moderator, key, orgs, industries(config.industry_access), licences,
                      feed, ChatComplaints(complaints, mask, config.base_url), ratings,
                      CorrectiveActions(store, ledger, pseudonym_key=key, clock=clock),
                      DeliveryDrain(store, ledger, feed.person),
                      LabelBook(store, mask, pseudonym_key=key, retention_days=config.label_days, clock=clock), blobs,
                      CallFlags(store, complaints, mask), ContentFlags(complaints, mask))
