"""The authorisation matrix's world (module-scoped, built once for test_authorization_matrix.py)."""

from tests.identity.authz_world import world  # noqa: F401  (a fixture: pytest finds it here)
