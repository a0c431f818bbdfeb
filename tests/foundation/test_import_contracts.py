"""The floors are enforced: `lint-imports` passes on the code and fails on a wrong-way import.

ARCHITECTURE.md §1 (floors) and issue 12: a copy of the packages with one import added that runs
up the house (``common`` importing the composition root, ``chat`` importing ``recruiting``, a
sans-I/O core importing aiohttp) must break the contracts in ``pyproject.toml``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.foundation.house import PACKAGES, ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _copy_tree(dest: Path) -> None:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, dest / package, ignore=shutil.ignore_patterns("*.so", "__pycache__", "*.c"))
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(tree / "pyproject.toml")],
        cwd=tree, env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60,
    )


def test_the_code_keeps_the_contracts() -> None:
    run = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize(("module", "wrong_import", "complaint"), [
    ("common/errors.py", "import livehire.app", "common.errors -> livehire.app"),
    ("store/rooms.py", "import identity.accounts", "store.rooms -> identity.accounts"),
    ("chat/protocol.py", "import recruiting.domain.tally", "chat.protocol -> recruiting.domain.tally"),
    ("moderation/policy.py", "import chat.frames", "moderation.policy -> chat.frames"),
    ("media_server/sfu/rtp.py", "import asyncio", "media_server.sfu.rtp is not allowed to import asyncio"),
    ("common/clock.py", "import aiohttp.web", "common.clock is not allowed to import aiohttp"),
])
def test_a_wrong_way_import_breaks_a_contract(tmp_path: Path, module: str, wrong_import: str, complaint: str) -> None:
    _copy_tree(tmp_path)
    assert complaint not in _lint(tmp_path).stdout
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{wrong_import}  # noqa\n", encoding="utf-8")
    run = _lint(tmp_path)
    assert run.returncode != 0, run.stdout
    assert "BROKEN" in run.stdout and complaint in run.stdout, run.stdout
