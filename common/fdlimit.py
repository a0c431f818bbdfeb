"""Open-file limits stated, not discovered: raised to the hard limit at start, and checked before a plan.

A process past its ``RLIMIT_NOFILE`` cannot accept a socket: the listener's accept fails with EMFILE
and the client waits in the backlog with no error anywhere (``bench chat -o audiences=20000`` hung for
minutes that way). The server and the bench raise the soft limit to the hard one (the most an
unprivileged process may have) and log it; the bench refuses a plan that cannot fit before starting.
"""

from __future__ import annotations

import contextlib
import os
import resource
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FileLimit:
    before: int  # the soft limit the process started with
    soft: int  # after raising
    hard: int

    def describe(self) -> str:
        raised = f"raised from {self.before}" if self.soft != self.before else "unchanged"
        return f"open files: soft limit {self.soft} ({raised}), hard limit {self.hard}"


class NotEnoughFiles(RuntimeError):
    """A planned number of sockets does not fit in a process's open-file limit."""


def raise_open_files() -> FileLimit:
    """Soft limit → hard limit (children inherit it); what the process has now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
    if soft != wanted:
        with contextlib.suppress(ValueError, OSError):  # e.g. an infinite hard limit above the kernel's nr_open
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    now, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return FileLimit(soft, now, hard)


def open_files(pid: int | str = "self") -> int:
    """Descriptors a process has open now (0 where /proc is missing)."""
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


def require(needed: int, limit: FileLimit, what: str) -> None:
    """:class:`NotEnoughFiles` naming the numbers when ``needed`` descriptors exceed the soft limit."""
    if needed > limit.soft:
        raise NotEnoughFiles(
            f"{what} needs about {needed} open files but may have {limit.soft} (hard limit {limit.hard}); "
            "raise the hard limit (ulimit -Hn as root, LimitNOFILE= in systemd, --ulimit nofile= in docker) "
            "or plan fewer sockets per process")
