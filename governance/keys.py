"""The one application key of the governance layer (its services, set by ``install_governance``)."""

from __future__ import annotations

from aiohttp import web

from governance.services import Governance

GOVERNANCE = web.AppKey("governance", Governance)
