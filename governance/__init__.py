"""Governance: the service ledger, complaints, organisation review (standard 4.4.1 e/f, 5.1.3 a)."""
