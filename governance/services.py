"""The governance services a server runs, built once by the composition root (``build_governance``)."""

from __future__ import annotations

from dataclasses import dataclass

from common.clock import Clock
from governance.complaints import mask_spans
from governance.complaints_sql import ComplaintRepository, Sealer
from governance.ledger import pseudonym_key
from governance.ledger_sql import StoreLedger
from moderation.engine import Moderator
from store.engine import Store


@dataclass(frozen=True, slots=True)
class GovernanceConfig:
    """What the settings say about governance (livehire.settings)."""

    base_url: str
    retention_years: int = 3
    working_days: int = 5
    complaint_phone: str | None = None
    complaint_email: str | None = None


@dataclass(frozen=True, slots=True)
class Governance:
    config: GovernanceConfig
    ledger: StoreLedger
    complaints: ComplaintRepository
    moderator: Moderator
    pseudonym_key: bytes

    def mask_personal(self, text: str) -> str:
        """Personal data the filter finds (phone, ID number, e-mail, address) masked (4.4.1 c); other
        categories stay: a complaint quotes the fee demand or the diversion it reports."""
        decision = self.moderator.moderate(text, role="viewer", context="chat")
        return mask_spans(text, [(m.start, m.end) for m in decision.matches if m.category == "pii"])


def build_governance(store: Store, *, secret: str, sealer: Sealer, moderator: Moderator, config: GovernanceConfig,
                     clock: Clock | None = None) -> Governance:
    key = pseudonym_key(secret)
    ledger = StoreLedger(store, clock=clock, retention_years=config.retention_years)
    complaints = ComplaintRepository(store, ledger, sealer, pseudonym_key=key, working_days=config.working_days,
                                     clock=clock)
    return Governance(config, ledger, complaints, moderator, key)
