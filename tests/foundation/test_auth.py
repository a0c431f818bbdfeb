"""Tokens (standard 4.4.1 a): minted, verified, scoped; forged and expired ones refused."""

from __future__ import annotations

import time

import jwt
import pytest

from identity.principal import Principal
from identity.tokens import TokenError, TokenSigner, bearer_from_header

pytestmark = pytest.mark.clause("4.4.1 a")

SECRET = "s" * 40


def test_round_trip_keeps_claims() -> None:
    signer = TokenSigner(SECRET)
    principal = signer.verify(signer.mint(session="test", role="host", user="u1", room="demo", org="acme", name="张三"))
    assert principal == Principal(user_id="u1", role="host", room="demo", org="acme", name="张三", session="test")
    assert principal.may_act_in_room("demo") and not principal.may_act_in_room("other")


def test_forged_expired_and_foreign_tokens_are_refused() -> None:
    signer = TokenSigner(SECRET)
    other = TokenSigner("o" * 40)
    with pytest.raises(TokenError):
        signer.verify(other.mint(session="test", role="admin", user="evil"))
    with pytest.raises(TokenError, match="过期"):
        signer.verify(signer.mint(session="test", role="viewer", user="u", ttl_seconds=-10))
    with pytest.raises(TokenError):
        signer.verify("not.a.token")
    unsigned = jwt.encode({"sub": "u", "role": "admin", "iss": "livehire", "exp": time.time() + 60}, key=None, algorithm="none")
    with pytest.raises(TokenError):
        signer.verify(unsigned)
    bad_role = jwt.encode({"sub": "u", "role": "god", "iss": "livehire", "exp": time.time() + 60}, SECRET, algorithm="HS256")
    with pytest.raises(TokenError, match="角色"):
        signer.verify(bad_role)


def test_minting_rejects_unknown_roles_and_short_secrets() -> None:
    with pytest.raises(ValueError):
        TokenSigner("short")
    with pytest.raises(ValueError):
        TokenSigner(SECRET).mint(session="test", role="god", user="u")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        TokenSigner(SECRET).mint(session="test", role="viewer", user="")


def test_org_scope() -> None:
    assert Principal(user_id="a", role="admin").may_act_for_org("x")
    assert Principal(user_id="a", role="recruiter", org="x").may_act_for_org("x")
    assert not Principal(user_id="a", role="recruiter", org="y").may_act_for_org("x")
    assert not Principal(user_id="a", role="recruiter").may_act_for_org("x")


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Bearer abc", "abc"), ("bearer  abc ", "abc"), ("Basic abc", None), ("Bearer", None), ("", None), (None, None)],
)
def test_bearer_header_parsing(header: str | None, expected: str | None) -> None:
    assert bearer_from_header(header) == expected
