"""The server's own parts as recruiting's ports (``recruiting.ports``): the chat as the ``Audience`` and a
holder of personal data, the sign-in sessions and the account as the other holders.

Why here: they join two floors (chat and recruiting are siblings that never import each other) and
only the composition root may see both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chat.service import ChatService
from identity.accounts import Accounts
from identity.sessions import Sessions


class ChatPorts:
    """The chat as recruiting's :class:`~recruiting.ports.Audience` and one of its
    :class:`~recruiting.ports.PersonalData` holders (messages in history, held messages and reports)."""

    chat: ChatService | None = None  # set once by create_app, before the app starts

    def _chat(self) -> ChatService:
        assert self.chat is not None, "create_app hands the chat over before anything runs"
        return self.chat

    def viewers(self, room: str) -> int:
        return self._chat().viewers(room)

    def stats(self, room: str) -> Mapping[str, Any]:
        return self._chat().stats(room)

    def present(self, room: str) -> list[tuple[str | None, int]]:
        return self._chat().present(room)

    async def send_to_user(self, room: str | None, user_id: str, frame: Mapping[str, Any]) -> None:
        await self._chat().send_to_user(room, user_id, frame)

    async def export(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        personal = self._chat().bus.personal
        return {"chat_messages": await personal.user_messages(user_id),
                "chat_review_queue": await personal.user_held(user_id)}

    async def erase(self, user_id: str) -> dict[str, int]:
        return {"chat_messages": await self._chat().bus.personal.erase_user(user_id)}


class SessionData:
    """Sign-in sessions as a holder of personal data: erasure signs the person out everywhere."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    async def export(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        return {}  # listed with the account

    async def erase(self, user_id: str) -> dict[str, int]:
        return {"sessions": len(await self._sessions.revoke_user(user_id, "account_deleted"))}


class AccountData:
    """The account (phone, sessions) as a holder of personal data; erased last."""

    def __init__(self, accounts: Accounts, sessions: Sessions) -> None:
        self._accounts = accounts
        self._sessions = sessions

    async def export(self, user_id: str) -> dict[str, list[dict[str, Any]]]:
        account = await self._accounts.account(user_id)
        return {"account": [] if account is None else [{**account, "sessions": await self._sessions.of_user(user_id)}]}

    async def erase(self, user_id: str) -> dict[str, int]:
        return {"account": await self._accounts.forget(user_id)}
