"""The operator's identity commands: tokens, organisations, platform staff, the simulated SMS outbox.

Each opens the store of the data directory (or ``--database-url``) and acts as the operator: a token
printed here is backed by an ``operator`` session, so it can be revoked like any other.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from identity.principal import ROLES
from identity.tokens import MAX_TTL_SECONDS
from livehire.settings import Settings
from store.engine import Store


def add_identity_commands(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    token = commands.add_parser("token", help="open an operator session and print its access token")
    token.add_argument("--role", required=True, choices=ROLES)
    token.add_argument("--user", required=True)
    token.add_argument("--room")
    token.add_argument("--org")
    token.add_argument("--name")
    token.add_argument("--ttl", type=int, default=15 * 60, help=f"lifetime in seconds (at most {MAX_TTL_SECONDS})")
    add_common(token)

    orgs = commands.add_parser("orgs", help="manage organisations")
    org_commands = orgs.add_subparsers(dest="orgs_command", required=True)
    create = org_commands.add_parser("create", help="create an organisation and its first admin's invitation")
    create.add_argument("slug")
    create.add_argument("--name", required=True)
    create.add_argument("--kind", default="employer", choices=("employer", "hr_agency", "dispatch"))
    create.add_argument("--json", action="store_true")
    add_common(create)

    staff = commands.add_parser("staff", help="platform staff (reviewers, admins)")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    add = staff_commands.add_parser("add", help="add a platform admin or reviewer and print a one-time sign-in link")
    add.add_argument("user")
    add.add_argument("--role", required=True, choices=("admin", "reviewer"))
    add.add_argument("--name")
    add.add_argument("--public-url")
    add.add_argument("--json", action="store_true")
    add_common(add)

    link = commands.add_parser("link", help="print a one-time sign-in link (15 minutes) for a person's capacity")
    link.add_argument("user")
    link.add_argument("--role", required=True, choices=ROLES)
    link.add_argument("--org")
    link.add_argument("--name")
    link.add_argument("--next", default="/", help="the page to open after signing in, e.g. /studio/demo")
    link.add_argument("--public-url")
    link.add_argument("--json", action="store_true")
    add_common(link)

    sms = commands.add_parser("sms", help="the simulated SMS provider")
    sms_commands = sms.add_subparsers(dest="sms_command", required=True)
    outbox = sms_commands.add_parser("outbox", help="the latest simulated messages to a phone")
    outbox.add_argument("--phone", required=True)
    outbox.add_argument("--json", action="store_true")
    add_common(outbox)


def _fail(code: str, message: str) -> int:
    print(json.dumps({"error": {"code": code, "message": message}}, ensure_ascii=False), file=sys.stderr)
    return 1


async def _with_store(settings: Settings, action: Callable[[Store], Awaitable[int]]) -> int:
    from store.engine import open_store

    store = await open_store(settings.effective_database_url)
    try:
        return await action(store)
    finally:
        await store.close()


async def run_identity_command(args: argparse.Namespace, settings: Settings, base_url: Any) -> int:
    """``base_url(args, settings, store)`` resolves the URL printed links use (see ``livehire.cli``)."""
    from common.errors import LivehireError
    from identity.accounts import Accounts
    from identity.sessions import Sessions
    from identity.tokens import TokenSigner
    from store.sealing import ContactCipher, derive_contact_key

    assert settings.secret is not None
    secret = settings.secret

    async def action(store: Store) -> int:
        accounts = Accounts(store, ContactCipher(derive_contact_key(secret)))
        try:
            if args.command == "token":
                if not 1 <= args.ttl <= MAX_TTL_SECONDS:
                    return _fail("invalid_ttl", f"--ttl must be 1-{MAX_TTL_SECONDS} seconds")
                sessions = Sessions(store, TokenSigner(secret))
                grant = await sessions.open(user_id=args.user, role=args.role, org=args.org, room=args.room,
                                            name=args.name, kind="operator", lifetime_ms=args.ttl * 1000)
                print(sessions.access_token(grant.principal, args.ttl))
                return 0
            if args.command == "orgs":
                return await _create_org(args, store, accounts)
            if args.command == "staff":
                return await _add_staff(args, store, accounts, await base_url(args, settings, store))
            if args.command == "link":
                return await _link(args, store, await base_url(args, settings, store))
            return await _outbox(args, settings, store, secret)
        except LivehireError as exc:
            return _fail(exc.code, exc.message)

    return await _with_store(settings, action)


async def _create_org(args: argparse.Namespace, store: Store, accounts: Any) -> int:
    from store.orgs import OrgError, OrgRepository

    try:
        org = await OrgRepository(store).create_org(args.slug, args.name, kind=args.kind)
    except OrgError as exc:
        return _fail(exc.code, str(exc))
    invitation = await accounts.invite(org.id, "admin", "operator", None)
    document = {"org": {"id": org.id, "name": org.name, "kind": org.kind, "state": "approved"},
                "admin_invitation": invitation}
    text = f"organisation {org.id} created; its admin joins with the invitation code {invitation['code']}"
    print(json.dumps(document, ensure_ascii=False) if args.json else text)
    return 0


async def _add_staff(args: argparse.Namespace, store: Store, accounts: Any, base_url: str) -> int:
    from identity.links import LoginLinks

    await accounts.add_staff(args.user, args.role, args.name or args.user)
    code = await LoginLinks(store).create(user_id=args.user, role=args.role, name=args.name or args.user,
                                          next_path="/review", ttl_ms=24 * 3600 * 1000)
    link = f"{base_url}/auth/link/{code}"
    document = {"user": args.user, "role": args.role, "sign_in_link": link, "expires_in": 24 * 3600}
    print(json.dumps(document, ensure_ascii=False) if args.json else
          f"{args.role} {args.user} added; sign in once (24 h) at {link}, then set a password on /login")
    return 0


async def _link(args: argparse.Namespace, store: Store, base_url: str) -> int:
    """For a member of an org (``--org``) the membership must exist; the operator vouches for the person."""
    from sqlalchemy import select

    from identity.links import LoginLinks
    from store.schema import members

    if args.org:
        async with store.engine.connect() as connection:
            role = (await connection.execute(select(members.c.role).where(
                members.c.org_id == args.org, members.c.user_id == args.user))).scalar()
        if role != args.role:
            return _fail("not_a_member", f"{args.user} is not a {args.role} of {args.org}")
    code = await LoginLinks(store).create(user_id=args.user, role=args.role, org=args.org, name=args.name,
                                          next_path=args.next)
    url = f"{base_url}/auth/link/{code}"
    print(json.dumps({"user": args.user, "role": args.role, "org": args.org, "sign_in_link": url,
                      "expires_in": 15 * 60}, ensure_ascii=False) if args.json else url)
    return 0


async def _outbox(args: argparse.Namespace, settings: Settings, store: Store, secret: str) -> int:
    from identity.phones import PhoneKey, normalize_phone
    from identity.sms import SimulatedSmsProvider

    if settings.sms_webhook_url:
        return _fail("not_simulated", "the SMS provider is a real gateway (LIVEHIRE_SMS_WEBHOOK_URL): no outbox here")
    phone = normalize_phone(args.phone)
    messages = await SimulatedSmsProvider(store, PhoneKey.from_secret(secret)).outbox(phone)
    if args.json:
        print(json.dumps(messages, ensure_ascii=False))  # newest first, each with its code
    else:
        print("\n".join(f"{m['created_at']}\t{m['text']}" for m in messages) or "no messages")
    return 0
