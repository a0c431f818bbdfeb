"""Host-candidate gathering with a UDP port range and optional loopback (aioice private hook).

aioice binds one ephemeral port per local address and skips 127.0.0.1, which
is wrong for two deployments: behind a firewall that opens only a UDP port
range, and on loopback-only hosts (CI containers, a laptop without network).
We replace the gathering method of each aioice ``Connection`` of a peer
before aiortc gathers; STUN/TURN candidates still come from aioice itself
(server-reflexive ones only when no port range is set, see docs/media.md).
No public STUN server is ever contacted unless configured.
"""

from __future__ import annotations

import asyncio
import random
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aioice.candidate import Candidate, candidate_foundation, candidate_priority
from aioice.ice import StunProtocol
from aiortc import RTCPeerConnection


@dataclass(frozen=True, slots=True)
class IceOptions:
    """How the server's host candidates are chosen."""

    port_range: tuple[int, int] | None = None
    include_loopback: bool = False
    addresses: tuple[str, ...] = ()

    @property
    def default(self) -> bool:
        return self.port_range is None and not self.include_loopback and not self.addresses


def _ice_connections(pc: RTCPeerConnection) -> list[Any]:
    connections = []
    for transceiver in pc.getTransceivers():
        connection = transceiver.receiver.transport.transport.iceGatherer._connection
        if connection not in connections:
            connections.append(connection)
    return connections


async def _bind(connection: Any, address: str, port_range: tuple[int, int] | None) -> StunProtocol | None:
    loop = asyncio.get_running_loop()
    if port_range is None:
        ports = [0]
    else:
        ports = list(range(port_range[0], port_range[1] + 1))
        random.shuffle(ports)
    for port in ports:
        try:
            _, protocol = await loop.create_datagram_endpoint(
                lambda: StunProtocol(connection), local_addr=(address, port)
            )
        except OSError:
            continue
        return protocol
    return None


def install_gatherer(pc: RTCPeerConnection, options: IceOptions) -> None:
    """Make the peer's ICE agents gather host candidates per ``options`` (no-op for defaults)."""
    if options.default:
        return
    for connection in _ice_connections(pc):
        original = connection.get_component_candidates

        async def gather(component: int, addresses: Sequence[str], timeout: int = 5,  # noqa: ASYNC109
                         connection: Any = connection, original: Any = original) -> list[Candidate]:
            chosen = list(options.addresses) or list(addresses)
            if options.include_loopback and "127.0.0.1" not in chosen:
                chosen.append("127.0.0.1")
            candidates: list[Candidate] = []
            for address in chosen:
                protocol = await _bind(connection, address, options.port_range)
                if protocol is None:
                    continue
                sock = protocol.transport.get_extra_info("socket")
                if sock is not None:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
                host, port = protocol.transport.get_extra_info("sockname")[:2]
                protocol.local_candidate = Candidate(
                    foundation=candidate_foundation("host", "udp", host),
                    component=component,
                    transport="udp",
                    priority=candidate_priority(component, "host"),
                    host=host,
                    port=port,
                    type="host",
                )
                connection._protocols.append(protocol)
                candidates.append(protocol.local_candidate)
            if connection.turn_server is not None:
                candidates += await original(component=component, addresses=[], timeout=timeout)
            return candidates

        connection.get_component_candidates = gather
