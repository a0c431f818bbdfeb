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


def test_licence_settings_and_their_bounds() -> None:
    defaults = load_settings(environ={})
    assert defaults.licence_reverify_days == 182 and defaults.licence_max_bytes == 5 * 1024 * 1024
    assert defaults.live_licences == "hr_service_licence,business_licence@employer"
    settings = load_settings(environ={"LIVEHIRE_LICENCE_REVERIFY_DAYS": "90", "LIVEHIRE_LIVE_LICENCES": "hr_service_licence",
                                      "LIVEHIRE_LICENCE_MAX_BYTES": "1048576", "LIVEHIRE_LICENCE_SWEEP_SECONDS": "60"})
    assert (settings.licence_reverify_days, settings.live_licences, settings.licence_max_bytes,
            settings.licence_sweep_seconds) == (90, "hr_service_licence", 1048576, 60.0)
    for bad in ({"licence_reverify_days": 0}, {"live_licences": "driving_licence"}, {"live_licences": ""},
                {"licence_max_bytes": 10}, {"licence_sweep_seconds": 0}):
        with pytest.raises(SettingsError):
            load_settings(bad, environ={})
