"""The demo data `livehire serve` creates in an empty data directory.

The demo room's stream key is derived from the deployment secret, so `serve`
can print it on every start although the store keeps only its hash.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

from identity.links import LoginLinks
from store.engine import Store
from store.orgs import OrgRepository
from store.rooms import RoomRepository

DEMO_ORG = "demo-org"
DEMO_ROOM = "demo"
log = logging.getLogger("livehire.seed")


def demo_stream_key(secret: str) -> str:
    digest = hmac.new(secret.encode(), b"livehire demo stream key v1", hashlib.sha256).hexdigest()
    return "lh_demo_" + digest[:32]


async def demo_sign_in_link(store: Store) -> str:
    """A one-time, 15-minute sign-in link of the demo organisation's recruiter (never a reusable token)."""
    return await LoginLinks(store).create(user_id="demo-recruiter", role="recruiter", org=DEMO_ORG, name="李招聘",
                                          next_path="/office")


@dataclass(frozen=True, slots=True)
class SeedResult:
    created: bool
    stream_key: str


async def seed_demo(rooms: RoomRepository, orgs: OrgRepository, secret: str) -> SeedResult:
    """Creates the demo organisation, its members and room `demo` unless they exist."""
    key = demo_stream_key(secret)
    if await rooms.get(DEMO_ROOM) is not None:
        return SeedResult(created=False, stream_key=key)
    if await orgs.get_org(DEMO_ORG) is None:
        await orgs.create_org(DEMO_ORG, "示范人力资源服务有限公司", kind="hr_agency")
        for user, name, role in (
            ("demo-admin", "王管理", "admin"),
            ("demo-recruiter", "李招聘", "recruiter"),
            ("demo-host", "张主播", "host"),
        ):
            await orgs.ensure_user(user, name)
            await orgs.add_member(DEMO_ORG, user, role)  # type: ignore[arg-type]
    await rooms.create(
        DEMO_ROOM,
        title="示范直播间 · 春季招聘专场",
        org_id=DEMO_ORG,
        stream_key=key,
        description="制造、物流与客服岗位直播讲解，在线投递简历。",
    )
    log.info("seeded the demo organisation and room", extra={"room": DEMO_ROOM})
    return SeedResult(created=True, stream_key=key)
