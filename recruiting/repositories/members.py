"""Members of an organisation as the back office sees them: the list and their own phones (5.1.2, 5.1.5).

Invitations, passwords, sign-in and removal are the identity layer's (``identity.accounts``). A member may store their own mobile number: it is A of the AXB virtual-number
binding (5.1.5). It is sealed with the same :class:`ContactCipher` as
candidates' phones, bound to ``org/user`` so a copied value does not decrypt,
and listed only masked.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from common.errors import NotFound
from identity.phones import normalize_phone
from recruiting.domain.rules import mask_phone
from store.engine import Store
from store.orgs import OrgRepository
from store.schema import members
from store.sealing import ContactCipher


def phone_owner(org_id: str, user_id: str) -> str:
    """Associated data of a member's sealed phone: the value is only valid on its own row."""
    return f"member:{org_id}/{user_id}"


class MemberRepository:
    def __init__(self, store: Store, cipher: ContactCipher | None = None) -> None:
        self._store = store
        self._orgs = OrgRepository(store)
        self._cipher = cipher if cipher is not None else ContactCipher(None)

    async def set_phone(self, org_id: str, user_id: str, raw: object) -> dict[str, Any]:
        """Stores the member's own number sealed; the answer holds only the masked form."""
        phone = normalize_phone(raw)
        async with self._store.engine.begin() as connection:
            result = await connection.execute(
                update(members)
                .where(members.c.org_id == org_id, members.c.user_id == user_id)
                .values(phone=self._cipher.seal(phone, phone_owner(org_id, user_id)))
            )
        if result.rowcount == 0:
            raise NotFound("not_a_member", "你不是这个机构的成员")
        return {"user": user_id, "phone_set": True, "phone_masked": mask_phone(phone)}

    async def phone_of(self, org_id: str, user_id: str) -> str | None:
        """The member's real number (for the number provider only), or None when not set."""
        async with self._store.engine.connect() as connection:
            stored = (
                await connection.execute(
                    select(members.c.phone).where(members.c.org_id == org_id, members.c.user_id == user_id)
                )
            ).scalar()
        return None if not stored else self._cipher.open(str(stored), phone_owner(org_id, user_id))

    async def list(self, org_id: str) -> list[dict[str, Any]]:
        """Members; one whose phone is set also has ``phone_set`` and ``phone_masked``, never the number.

        ``phone_masked`` is ``None`` when no phone is set.
        """
        async with self._store.engine.connect() as connection:
            rows = await connection.execute(
                select(members.c.user_id, members.c.phone).where(members.c.org_id == org_id)
            )
            phones = {str(row.user_id): row.phone for row in rows}
        listed = []
        for m in await self._orgs.members(org_id):
            stored = phones.get(m.user_id)
            masked = mask_phone(self._cipher.open(stored, phone_owner(org_id, m.user_id))) if stored else None
            listed.append({"user": m.user_id, "name": m.display_name, "role": m.role, "reports_to": m.reports_to,
                           "phone_set": masked is not None, "phone_masked": masked})
        return listed
