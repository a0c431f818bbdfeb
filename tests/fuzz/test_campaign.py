"""``scripts/fuzz`` itself: a short campaign against a real ``livehire serve`` passes and reports every kind."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.timeout(180)]


def test_a_short_campaign_reaches_every_kind_and_finds_nothing(tmp_path: Path) -> None:
    out = tmp_path / "fuzz.json"
    done = subprocess.run([sys.executable, "-m", "tests.fuzz.campaign", "--inputs", "4000", "--seed", "7",
                           "--json", str(out)], capture_output=True, text=True, timeout=170)
    summary = json.loads(out.read_text(encoding="utf-8"))
    assert done.returncode == 0 and summary["ok"], (summary["failures"], summary["log_problems"], done.stderr[-2000:])
    assert summary["inputs"] == 4000 and set(summary["by_kind"]) == {"rest", "chat", "offer", "fragment"}
    statuses = {key.split()[-1] for key in summary["statuses"]}
    assert {"200", "400", "401", "403", "404"} <= statuses  # the inputs got past authentication and parsing
    assert not any(key.split()[-1].startswith("5") for key in summary["statuses"])
