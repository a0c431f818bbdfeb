"""One shipped-lexicon Moderator per test module: building it folds ~130k code points."""

from __future__ import annotations

import pytest

from moderation.engine import Moderator


@pytest.fixture(scope="module")
def moderator() -> Moderator:
    return Moderator()
