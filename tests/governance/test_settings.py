"""Governance settings: the retention cannot go below the standard's 3 years (4.4.1 f)."""

from __future__ import annotations

import pytest

from livehire.settings import SettingsError, load_settings


@pytest.mark.clause("4.4.1 e", "4.4.1 f", "5.1.3 b")
def test_governance_settings_from_the_environment_and_their_bounds() -> None:
    settings = load_settings(environ={"LIVEHIRE_LEDGER_RETENTION_YEARS": "5", "LIVEHIRE_COMPLAINT_WORKING_DAYS": "3",
                                      "LIVEHIRE_COMPLAINT_PHONE": "400-000-0000",
                                      "LIVEHIRE_INDUSTRY_ACCESS": "finance=refused, mining=review"})
    assert (settings.ledger_retention_years, settings.complaint_working_days) == (5, 3)
    assert settings.complaint_phone == "400-000-0000"
    assert settings.industry_access == (("finance", "refused"), ("mining", "review"))
    with pytest.raises(SettingsError, match=r"4\.4\.1 f"):
        load_settings({"ledger_retention_years": 2}, environ={})
    with pytest.raises(SettingsError):
        load_settings({"complaint_working_days": 0}, environ={})
    with pytest.raises(SettingsError):
        load_settings({"industry_access": "finance=maybe"}, environ={})
