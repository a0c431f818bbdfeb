"""Typed application state: every shared object of a running server, by key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry

from identity.accounts import Accounts
from identity.http import Authenticate
from identity.limits import RateLimits
from identity.links import LoginLinks
from identity.phones import PhoneKey
from identity.sessions import Sessions
from identity.sms import SmsProvider
from identity.sms_codes import SmsCodes
from identity.tokens import TokenSigner
from livehire.settings import Settings
from moderation.engine import Moderator
from store.engine import Store
from store.orgs import OrgRepository
from store.rooms import RoomRepository

RoomStateSource = Callable[[str], dict[str, Any]]

SETTINGS = web.AppKey("settings", Settings)
REGISTRY = web.AppKey("registry", CollectorRegistry)
SIGNER = web.AppKey("signer", TokenSigner)
AUTHENTICATE: web.AppKey[Authenticate] = web.AppKey("authenticate")
CLOCK: web.AppKey[Callable[[], int]] = web.AppKey("clock")
STORE = web.AppKey("store", Store)
ROOMS = web.AppKey("rooms", RoomRepository)
ORGS = web.AppKey("orgs", OrgRepository)
MODERATOR = web.AppKey("moderator", Moderator)
# identity: sessions, accounts, sign-in links, SMS codes, rate limits
SESSIONS = web.AppKey("sessions", Sessions)
ACCOUNTS = web.AppKey("accounts", Accounts)
LINKS = web.AppKey("links", LoginLinks)
PHONE_KEY = web.AppKey("phone_key", PhoneKey)
SMS_PROVIDER: web.AppKey[SmsProvider] = web.AppKey("sms_provider")
SMS_CODES = web.AppKey("sms_codes", SmsCodes)
LIMITS = web.AppKey("limits", RateLimits)

# What the media plane says about a room (live, viewers, bitrate); replaced when signaling is wired.
ROOM_STATE: web.AppKey[RoomStateSource] = web.AppKey("room_state")
# Whether a room not live here is live on another node or worker (the room directory), whose WHEP relays it here.
ROOM_LIVE_ELSEWHERE: web.AppKey[Callable[[str], Awaitable[bool]]] = web.AppKey("room_live_elsewhere")
# The operator view of a room's media: upstream and per-viewer loss, jitter, bitrate.
ROOM_STATS: web.AppKey[RoomStateSource] = web.AppKey("room_stats")
OPENAPI_PATHS = web.AppKey("openapi_paths", list[dict[str, Any]])
