"""Node-to-node relay of a live room (ARCHITECTURE.md §1 "Scaling out").

A viewer who lands on node B for a room whose publisher is on node A (per the
:class:`~signaling.directory.RoomDirectory`) is served by B pulling the room
from A as a WHEP client (:class:`~media_server.sfu.relay_peer.RelayPeer`); B's
viewers then hang off that one relay peer exactly as off a local publisher.

Authentication: B sends ``X-Livehire-Relay: <expiry>.<hmac>``, an HMAC over the
room and expiry under a key derived from the deployment secret every node
shares (``LIVEHIRE_SECRET``). A accepts it *instead of* the client's viewer
rules, because B already applied them to its own viewer; ordinary clients do
not have the secret, so they cannot mint one (standard 4.4.1 a: every endpoint
authorised). A relay pull of a room A itself only relays is refused (no chains).

One :class:`_RoomRelay` supervisor per relayed room and node watches the
directory every ``watch_interval``: it closes the relay when the origin
withdraws the room (host stopped) or its entry expires (origin crashed), pulls
again from a new origin while B still has viewers, and ends after ``grace``
seconds without viewers.

Ports, not a back-reference: :class:`RoomRelays` is given three callables by
the service that owns it — how many viewers a room has here, whether a host
publishes it here, and how to start a relay peer — so this module does not
import :mod:`signaling.service` (which imports it).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable

import aiohttp

from media_server.sfu.peer import PeerSession
from media_server.sfu.relay_peer import Post

from .directory import RoomDirectory

log = logging.getLogger("livehire.media.relay")

RELAY_HEADER = "X-Livehire-Relay"

#: Starts this node's relay peer of a room through ``post(offer) -> answer``; it becomes the room's publisher.
StartRelay = Callable[[str, Post], Awaitable[PeerSession]]


class RelayAuth:
    """Mints and checks relay tokens bound to one room, valid ``lifetime`` seconds."""

    def __init__(self, secret: str | bytes, *, lifetime: float = 60.0) -> None:
        raw = secret.encode() if isinstance(secret, str) else secret
        self._key = hmac.new(raw, b"livehire media relay v1", hashlib.sha256).digest()
        self.lifetime = lifetime

    def _mac(self, room: str, expiry: int) -> str:
        return hmac.new(self._key, f"{room}\n{expiry}".encode(), hashlib.sha256).hexdigest()

    def mint(self, room: str, now: float | None = None) -> str:
        expiry = int((time.time() if now is None else now) + self.lifetime)
        return f"{expiry}.{self._mac(room, expiry)}"

    def verify(self, token: str, room: str, now: float | None = None) -> bool:
        current = time.time() if now is None else now
        expiry_text, _, mac = token.partition(".")
        if not expiry_text.isdigit() or len(expiry_text) > 12:
            return False
        expiry = int(expiry_text)
        if not current <= expiry <= current + self.lifetime + 5:
            return False
        return hmac.compare_digest(mac, self._mac(room, expiry))


class RelayUnavailable(Exception):
    """The room is live on ``origin`` but the relay did not come up in time."""

    def __init__(self, origin: str | None) -> None:
        super().__init__(origin)
        self.origin = origin


class RoomRelays:
    """Pulls rooms from their origin node on demand; one relay peer per room however many viewers."""

    def __init__(
        self,
        directory: RoomDirectory,
        node_url: str,
        auth: RelayAuth,
        *,
        viewers: Callable[[str], int],
        local_publisher: Callable[[str], bool],
        start: StartRelay,
        wait: float = 3.0,
        grace: float = 5.0,
        watch_interval: float = 1.0,
    ) -> None:
        """``viewers(room)``: sessions watching it here; ``local_publisher(room)``: a host publishes it here."""
        self.viewers = viewers
        self.local_publisher = local_publisher
        self.start = start
        self.directory = directory
        self.node_url = node_url.rstrip("/")
        self.auth = auth
        self.wait = wait
        self.grace = grace
        self.watch_interval = watch_interval
        self._rooms: dict[str, _RoomRelay] = {}
        self._http: aiohttp.ClientSession | None = None

    async def origin_of(self, room: str) -> str | None:
        """The room's origin if it is another node."""
        try:
            origin = await self.directory.lookup(room)
        except Exception:
            log.warning("room directory lookup failed for %s", room, exc_info=True)
            return None
        if origin is None or origin.rstrip("/") == self.node_url:
            return None
        return origin.rstrip("/")

    async def pull(self, room: str) -> None:
        """Make sure ``room`` is being relayed here; wait ≤ ``wait`` s for its codecs, else raise."""
        relay = self._rooms.get(room)
        if relay is None or relay.stopping:
            origin = await self.origin_of(room)
            if origin is None:
                raise RelayUnavailable(None)
            relay = self._rooms[room] = _RoomRelay(self, room)
        relay.waiters += 1
        try:
            await asyncio.wait_for(relay.ready.wait(), self.wait)
        except TimeoutError as exc:
            raise RelayUnavailable(relay.origin) from exc
        finally:
            relay.waiters -= 1

    def http(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        return self._http

    def forget(self, room: str, relay: _RoomRelay) -> None:
        if self._rooms.get(room) is relay:
            del self._rooms[room]

    def relayed_rooms(self) -> list[str]:
        return sorted(room for room, r in self._rooms.items() if r.peer is not None)

    async def close(self) -> None:
        await asyncio.gather(*(r.stop() for r in list(self._rooms.values())), return_exceptions=True)
        if self._http is not None:
            await self._http.close()


class _RoomRelay:
    """Supervises the relay of one room on this node."""

    def __init__(self, relays: RoomRelays, room: str) -> None:
        self.relays = relays
        self.room = room
        self.origin: str | None = None
        self.peer: PeerSession | None = None
        self.location: str | None = None
        self.ready = asyncio.Event()
        self.waiters = 0
        self.stopping = False
        # a fresh context: the supervisor outlives the request that started it (and its log request id)
        self._task = asyncio.get_running_loop().create_task(self._run(), context=contextvars.Context())

    async def stop(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task

    def _viewers(self) -> int:
        return self.relays.viewers(self.room)

    async def _run(self) -> None:
        idle_since: float | None = None
        try:
            while True:
                now = time.monotonic()
                if self._viewers() or self.waiters:
                    idle_since = None
                elif idle_since is None:
                    idle_since = now
                elif now - idle_since >= self.relays.grace:
                    return
                if self.relays.local_publisher(self.room):
                    return  # a host publishes here now: the relay was closed on their arrival
                origin = await self.relays.origin_of(self.room)
                if self.peer is not None and (self.peer.closed.is_set() or origin != self.origin):
                    log.info("relay of %s from %s ends (origin now %s)", self.room, self.origin, origin)
                    await self._close_session()
                if self.peer is None and origin is not None and (self._viewers() or self.waiters):
                    await self._open(origin)
                await asyncio.sleep(self.relays.watch_interval)
        except asyncio.CancelledError:
            pass
        finally:
            self.stopping = True  # a viewer arriving now starts a new supervisor
            await self._close_session()
            self.relays.forget(self.room, self)

    async def _open(self, origin: str) -> None:
        url = f"{origin}/whep/{self.room}"

        async def post(offer: str) -> str:
            headers = {"Content-Type": "application/sdp", RELAY_HEADER: self.relays.auth.mint(self.room)}
            async with self.relays.http().post(url, data=offer.encode(), headers=headers) as response:
                body = await response.text()
                if response.status != 201:
                    raise RuntimeError(f"origin answered {response.status}: {body[:200]}")
                self.location = response.headers.get("Location")
                return body

        self.origin = origin
        try:
            self.peer = await self.relays.start(self.room, post)
        except Exception as exc:
            log.warning("relay of %s from %s failed: %s", self.room, origin, exc)
            self.peer = None
            return
        log.info("relaying %s from %s", self.room, origin)
        self.ready.set()

    async def _close_session(self) -> None:
        peer, location, origin = self.peer, self.location, self.origin
        self.peer, self.location = None, None
        self.ready.clear()
        if peer is None:
            return
        await peer.close()
        if location and origin:
            with contextlib.suppress(Exception):  # best effort: the origin also drops it on ICE failure
                async with self.relays.http().delete(origin + location) as response:
                    await response.read()
