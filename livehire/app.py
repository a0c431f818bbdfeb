"""The composition root: ``create_app(settings)`` builds the whole server.

Only this module knows every layer. It builds the store, the token signer,
the moderation engine, the chat service, the recruiting service and the media
signaling service, wires their routes and metrics into one aiohttp
application, and starts them in ``cleanup_ctx`` order: store (migrated and
seeded) → recruiting → chat → media. Shutdown runs in reverse: peers and chat
sockets are closed with a reconnect hint first, accepted applications are
flushed, and the store is closed last.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from prometheus_client import CollectorRegistry

from chat import openapi as chat_openapi
from chat.bus.factory import create_bus
from chat.http import chat_context, install_chat
from chat.service import ChatService
from common.clock import now_ms
from common.periodic import every
from governance.anchors import ANCHOR_FILE
from governance.blobs import DirectoryBlobStore
from governance.services import GovernanceConfig, build_governance
from governance.web import GOVERNANCE, install_governance
from governance.web import openapi_paths as governance_openapi
from identity.accounts import Accounts
from identity.http import make_authenticate
from identity.limits import RateLimits
from identity.links import LoginLinks
from identity.phones import PhoneKey
from identity.policy import RoomFacts, Rule
from identity.sessions import Sessions
from identity.sms import SimulatedSmsProvider, SmsProvider, WebhookSmsProvider
from identity.sms_codes import SmsCodes
from identity.tokens import TokenSigner
from livehire import keys
from livehire.api_auth import OPENAPI_PATHS as AUTH_OPENAPI_PATHS
from livehire.api_auth import install_auth_api
from livehire.api_moderation import OPENAPI_PATHS as MODERATION_OPENAPI_PATHS
from livehire.api_moderation import TermSync, install_moderation_api
from livehire.api_rooms import OPENAPI_PATHS, install_room_api
from livehire.authorize import Targets, build_authorize, check_policy_covers
from livehire.collector import collector_context
from livehire.live_guard import LiveGuard
from livehire.middleware import build_middlewares
from livehire.openapi import install_openapi
from livehire.ops import READINESS, ReadinessCheck, install_ops
from livehire.pages import install_pages
from livehire.ports import AccountData, ChatPorts, SessionData
from livehire.recording_setup import install_recordings
from livehire.room_access import StoreRoomAccess, facts_of
from livehire.security_headers import install_security_headers
from livehire.seed import DEMO_ORG, seed_demo
from livehire.settings import Settings, with_secret
from moderation.engine import Moderator
from recording.chat import ReplayChat
from recruiting.events.factory import event_log_for
from recruiting.numbers.simulated import SimulatedNumberProvider
from recruiting.ports import JobPorts
from recruiting.seed import seed_demo_jobs
from recruiting.service import RecruitingService
from recruiting.web import openapi as recruiting_openapi
from recruiting.web.frames import build_handlers
from recruiting.web.http import install_recruiting
from signaling.admission import Admission
from signaling.directory import RedisRoomDirectory
from signaling.http import install_signaling
from signaling.relay import RELAY_HEADER
from signaling.service import SignalingService
from store.engine import Store, create_store, migrate
from store.facts import PUBLIC_URL, record_fact
from store.orgs import OrgRepository
from store.rooms import RoomRepository
from store.sealing import ContactCipher, derive_contact_key
from store.terms import TermRepository

log = logging.getLogger("livehire.app")
CODE_PRUNE_SECONDS = 600.0

CHAT = web.AppKey("chat", ChatService)
RECRUITING = web.AppKey("recruiting", RecruitingService)
MODERATOR = web.AppKey("moderator", Moderator)
SIGNALING = web.AppKey("signaling", SignalingService)
LIVE_GUARD = web.AppKey("live_guard", LiveGuard)


def create_app(settings: Settings) -> web.Application:
    settings = with_secret(settings)
    assert settings.secret is not None
    registry = CollectorRegistry(auto_describe=True)
    signer = TokenSigner(settings.secret)
    store = create_store(settings.effective_database_url)
    rooms = RoomRepository(store)
    sessions = Sessions(store, signer)
    # counted per deployment on a shared Redis: its nodes share the secret, other deployments do not
    limits = RateLimits(settings.redis_url, dict(settings.rate_limits),
                        namespace=hashlib.sha256(b"rate limits " + settings.secret.encode()).hexdigest()[:16])
    authorize = build_authorize(sessions, Targets(store, rooms), public_origin=settings.public_url,
                                limit=_limit(limits))
    app = web.Application(middlewares=[*build_middlewares(registry), authorize],
                          client_max_size=settings.max_body_bytes)
    authenticate = make_authenticate()
    cipher = ContactCipher(derive_contact_key(settings.secret))
    phone_key = PhoneKey.from_secret(settings.secret)
    sms_provider = _sms_provider(settings, store, phone_key)
    accounts = Accounts(store, cipher)
    app[keys.SETTINGS] = settings
    app[keys.REGISTRY] = registry
    app[keys.SIGNER] = signer
    app[keys.AUTHENTICATE] = authenticate
    app[keys.CLOCK] = now_ms
    app[keys.STORE] = store
    app[keys.ROOMS] = rooms
    app[keys.ORGS] = OrgRepository(store)
    app[keys.SESSIONS] = sessions
    app[keys.ACCOUNTS] = accounts
    app[keys.LINKS] = LoginLinks(store)
    app[keys.PHONE_KEY] = phone_key
    app[keys.SMS_PROVIDER] = sms_provider
    app[keys.SMS_CODES] = SmsCodes(store, sms_provider, phone_key)
    app[keys.LIMITS] = limits
    app[keys.OPENAPI_PATHS] = [
        OPENAPI_PATHS, AUTH_OPENAPI_PATHS, MODERATION_OPENAPI_PATHS, chat_openapi.paths(), recruiting_openapi.paths()
    ]
    readiness: dict[str, ReadinessCheck] = {"store": store.ping}
    if settings.redis_url:
        readiness["redis"] = _redis_ping(settings.redis_url)
    app[READINESS] = readiness

    moderator = Moderator()
    # governance (4.4.1 e/f, 5.1.1, 5.1.3 a): the service ledger, complaints, organisation and licence review;
    # docs/governance.md. Built first: recruiting and signaling ask its licence check before going live (4.2.3)
    governance = build_governance(store, secret=settings.secret, sealer=cipher, moderator=moderator,
                                  blobs=DirectoryBlobStore(settings.data_dir / "blobs"),
                                  config=GovernanceConfig(
                                      base_url=settings.base_url,
                                      retention_years=settings.ledger_retention_years,
                                      working_days=settings.complaint_working_days,
                                      complaint_phone=settings.complaint_phone,
                                      complaint_email=settings.complaint_email,
                                      supervising_authority=settings.supervising_authority,
                                      industry_access=settings.industry_access,
                                      licence_reverify_days=settings.licence_reverify_days,
                                      licence_max_bytes=settings.licence_max_bytes,
                                      live_licences=settings.live_licences,
                                      ledger_delivery_seconds=settings.ledger_delivery_seconds,
                                      anchor_path=str(settings.data_dir / ANCHOR_FILE),
                                      label_days=settings.moderation_label_days,
                                      licence_reverify_grace_days=settings.licence_reverify_grace_days))
    # Recruiting's ports (recruiting.ports). The chat is built after recruiting (its frame handlers are
    # recruiting's), so the chat's side of the ports is handed the chat once it exists, just below.
    chat_ports = ChatPorts()
    replay_chat = ReplayChat(store)  # the lives' chat kept for their replays (issue 16): a holder of personal data
    recruiting = RecruitingService(
        store=store,
        events=event_log_for(settings.redis_url),
        numbers=SimulatedNumberProvider(),
        registry=registry,
        contact_key=derive_contact_key(settings.secret),  # phone numbers encrypted at rest (4.4.1 c)
        moderator=moderator,  # job texts pass the same filter as chat (5.1.3 c)
        outbox_lease_ms=settings.outbox_lease_ms,
        outbox_sweep_seconds=settings.outbox_sweep_seconds,
        audience=chat_ports,  # viewers, chat counters, presence (5.2); interview notices to open sockets
        # §45 copy and §47 erasure reach the chat, the sessions (signed out everywhere at once) and the
        # account (the phone goes last)
        personal_data=(chat_ports, replay_chat, SessionData(sessions), AccountData(accounts, sessions)),
        live_licence=governance.licences.check_live,  # starting a live session needs the licence (4.2.3)
        ledger=governance.feed,  # job versions, pins, invitations, deliveries per batch (4.4.1 f)
        # job review (5.1.3 c, b): the industry list, decisions into the ledger, the default validity
        jobs=JobPorts(industry=governance.job_industry, decisions=governance.job_decision,
                      validity_days=settings.job_validity_days, mandates=governance),  # agency mandates: blobs
        content_review=governance.content_flags,  # doubtful interview texts onto the review desk (5.1.3 d)
    )
    chat = ChatService(
        bus=create_bus(settings.redis_url),
        moderator=moderator,
        authenticate=authenticate,
        room_facts=_room_facts(rooms),
        extensions=build_handlers(recruiting),
        registry=registry,
        on_join=recruiting.on_join,  # distinct viewers per live session, on every node (5.2)
        ledger=governance.feed, complaints=governance.chat_complaints,  # moderation in the ledger; reports
        escalate_after=settings.chat_report_escalate_hours * 3600,  # unsettled this long: complaints (4.4.1 e)
    )
    chat_ports.chat = chat
    readiness["chat"] = _chat_subscribed(chat)  # with Redis: 503 until the bus reader has subscribed again
    chat.ops.labels = governance.labels  # moderators' decisions on held messages grow the filter's corpus
    sessions.on_revoked(chat.end_sessions)  # a revoked session's sockets close within a sync interval
    # several nodes: the room directory in Redis names each room's origin; other nodes relay from it
    directory = RedisRoomDirectory(settings.redis_url) if settings.redis_url else None
    signaling = SignalingService(
        access=StoreRoomAccess(rooms, sessions, governance.licences.check_live),  # WHIP needs the licence
        admission=Admission(max_sessions=settings.media_max_sessions, per_client_room=settings.media_per_client_room,
                            per_client_node=settings.media_per_client_node),
        ice_servers=settings.ice_servers,
        udp_ports=settings.udp_ports,
        registry=registry,
        on_live_change=_announce_live_state(chat),
        include_loopback=settings.ice_include_loopback,
        directory=directory,
        node_url=settings.node_url or settings.base_url,
        relay_secret=settings.secret,
    )
    app[keys.ROOM_STATE] = signaling.room_state

    async def live_elsewhere(room: str) -> bool:
        return signaling.relays is not None and await signaling.relays.origin_of(room) is not None

    app[keys.ROOM_LIVE_ELSEWHERE] = live_elsewhere
    app[keys.ROOM_STATS] = signaling.room_stats
    app[SIGNALING] = signaling
    # a licence that lapses while its organisation is live ends the running WHIP session (4.2.3)
    guard = LiveGuard(rooms, signaling, governance.licences.check_live, governance.ledger.append)
    governance.licences.on_lapse(guard.org_lapsed)
    app[LIVE_GUARD] = guard
    app[MODERATOR] = moderator
    app[keys.MODERATOR] = moderator
    app[RECRUITING] = recruiting
    app[CHAT] = chat

    app.cleanup_ctx.append(_store_context)
    app.cleanup_ctx.append(_identity_context)
    app.cleanup_ctx.append(_recruiting_context)
    app.cleanup_ctx.append(chat_context(chat))
    app.cleanup_ctx.append(_signaling_context)
    install_security_headers(app)  # CSP, frame, referrer and permissions headers on every response
    install_ops(app)
    install_pages(app)
    install_auth_api(app)
    install_room_api(app)
    install_chat(app, chat)
    install_recruiting(
        app, recruiting, authenticate=authenticate, broadcast=chat.broadcast,
        signed_in=lambda principal: not sessions.is_revoked(principal.session),
    )
    install_moderation_api(app, TermSync(TermRepository(store), moderator))
    install_signaling(app, signaling)
    install_governance(app, governance)
    app.cleanup_ctx.append(_governance_context)
    app.cleanup_ctx.append(collector_context)  # cycles of closed peers: livehire/collector.py
    app[keys.OPENAPI_PATHS].append(governance_openapi())
    install_recordings(app, settings=settings, store=store, rooms=rooms, signaling=signaling,
                       recruiting=recruiting, governance=governance, chat=chat,
                       replay_chat=replay_chat)  # replays and clips (4.3.1 a)
    install_openapi(app)
    check_policy_covers(app)  # every route has a rule in identity.policy.ROUTES, or the app does not start
    return app


def _announce_live_state(chat: ChatService) -> Callable[[str, bool], None]:
    """Tells every chat client of a room when its stream goes live or stops (pages switch the player)."""
    pending: set[asyncio.Task[None]] = set()

    def announce(room: str, live: bool) -> None:
        task = asyncio.get_running_loop().create_task(chat.broadcast(room, {"type": "live_state", "live": live}))
        pending.add(task)
        task.add_done_callback(pending.discard)

    return announce


async def _signaling_context(app: web.Application) -> AsyncIterator[None]:
    """Closes every WebRTC peer on shutdown, before chat sockets and the store."""
    try:
        yield
    finally:
        await app[SIGNALING].close()


def _room_facts(rooms: RoomRepository) -> Callable[[str], Awaitable[RoomFacts | None]]:
    async def room_facts(slug: str) -> RoomFacts | None:
        room = await rooms.get(slug)
        return None if room is None else facts_of(room)

    return room_facts


def _limit(limits: RateLimits) -> Callable[[web.Request, Rule, str], Awaitable[None]]:
    """A route's rate limits (``Rule.limits``): ``*_ip`` rules count per client address, others per caller."""

    async def limit(request: web.Request, rule: Rule, user: str) -> None:
        if RELAY_HEADER in request.headers:  # another node relaying a room: signaling checks its token (HMAC)
            return
        for name in rule.limits:
            await limits.hit(name, request.remote or "unknown" if name.endswith("_ip") else user)

    return limit


def _sms_provider(settings: Settings, store: Store, phone_key: PhoneKey) -> SmsProvider:
    if settings.sms_webhook_url:
        return WebhookSmsProvider(settings.sms_webhook_url, (settings.sms_webhook_secret or "").encode())
    return SimulatedSmsProvider(store, phone_key)


async def _identity_context(app: web.Application) -> AsyncIterator[None]:
    """Learns revocations made on other nodes (every ``revocation_sync_seconds``); prunes dead codes and the
    simulated SMS outbox (a day of messages: they hold codes)."""
    sessions, codes, provider = app[keys.SESSIONS], app[keys.SMS_CODES], app[keys.SMS_PROVIDER]

    async def prune() -> None:
        await codes.prune()
        if isinstance(provider, SimulatedSmsProvider):
            await provider.prune()

    await sessions.sync()
    try:
        async with every(app[keys.SETTINGS].revocation_sync_seconds, sessions.sync, name="identity revocation sync"), \
                every(CODE_PRUNE_SECONDS, prune, name="identity code prune"):
            yield
    finally:
        await app[keys.LIMITS].close()
        if isinstance(provider, WebhookSmsProvider):
            await provider.close()


def _chat_subscribed(chat: ChatService) -> ReadinessCheck:
    async def check() -> None:
        if not chat.broker.subscribed():
            raise ConnectionError("the chat bus is not subscribed")

    return check


def _redis_ping(url: str) -> ReadinessCheck:
    async def ping() -> None:
        from redis.asyncio import Redis

        client = Redis.from_url(url, socket_connect_timeout=1.5)
        try:
            await client.ping()
        finally:
            await client.aclose()

    return ping


async def _store_context(app: web.Application) -> AsyncIterator[None]:
    settings = app[keys.SETTINGS]
    store = app[keys.STORE]
    try:
        await migrate(store)
        await record_fact(store, PUBLIC_URL, settings.base_url)  # the URL operator commands print (livehire.cli)
        if settings.seed_demo:
            assert settings.secret is not None
            await seed_demo(app[keys.ROOMS], app[keys.ORGS], settings.secret)
            await seed_demo_jobs(store, DEMO_ORG)
        log.info("store open", extra={"dialect": store.dialect})
        yield
    finally:
        await app[GOVERNANCE].feed.close()  # the ledger notes chat and recruiting made last, before the store goes
        with contextlib.suppress(Exception):  # what stays queued is drained at the next start (durable)
            await app[GOVERNANCE].deliveries.drain()
        await store.close()
        log.info("store closed")


async def _governance_context(app: web.Application) -> AsyncIterator[None]:
    """Expired and lapsed licences suspend what they allowed (5.1.1) and end this node's streams they allowed
    (4.2.3): swept every ``licence_sweep_seconds``; queued resume deliveries go into the ledger (4.4.1 f) every
    ``ledger_delivery_seconds``; the ledger head is anchored every ``ledger_anchor_hours`` (0: never)."""
    governance = app[GOVERNANCE]
    settings = app[keys.SETTINGS]

    async def sweep() -> None:
        await governance.licences.sweep()
        await app[LIVE_GUARD].sweep()

    anchoring = (every(settings.ledger_anchor_hours * 3600, governance.write_anchor, name="governance ledger anchor")
                 if settings.ledger_anchor_hours > 0 else contextlib.nullcontext())
    async with every(settings.licence_sweep_seconds, sweep, name="governance licence sweep"), \
            every(governance.config.ledger_delivery_seconds, governance.deliveries.drain,
                  name="governance delivery drain"), \
            every(24 * 3600, governance.labels.purge, name="moderation label purge"), anchoring:
        yield


async def _recruiting_context(app: web.Application) -> AsyncIterator[None]:
    service = app[RECRUITING]
    await service.start()
    try:
        yield
    finally:
        await service.close()
