"""The normaliser and its compiled folder, built once per process and shared by every ``Moderator``.

Both are pure functions of the shipped tables (no run-time terms reach them: those go to the lexicon's
automata), and building them takes a few hundred milliseconds of the event loop when an app is created;
a process that creates several apps (tests, the bench) paid that each time.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from moderation import fast
from moderation.normalize import Normalizer

if TYPE_CHECKING:
    from moderation._fastscan import Folder


@functools.cache
def default_normalizer() -> Normalizer:
    return Normalizer()


@functools.cache
def default_folder() -> Folder:
    """The compiled front end over :func:`default_normalizer` (only when the extension is built)."""
    return fast.folder(default_normalizer())
