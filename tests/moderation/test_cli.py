"""``livehire moderate`` contract (ARCHITECTURE.md §2): JSON lines in and out."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from moderation.cli import run_moderate
from moderation.engine import Moderator


def _run(moderator: Moderator, data: str, role: str = "viewer", context: str = "chat") -> tuple[int, list[dict[str, object]]]:
    out = io.StringIO()
    code = run_moderate(io.StringIO(data), out, role=role, context=context, moderator=moderator)
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_json_and_plain_lines(moderator: Moderator) -> None:
    data = '{"text": "入职先交两百押金", "role": "host"}\n我电话13812345678\n\n{"text": "请问要交服装费吗？"}\n'
    code, rows = _run(moderator, data)
    assert code == 0
    assert [r["action"] for r in rows] == ["block", "mask", "allow"]
    assert {k: rows[0][k] for k in ("action", "categories", "text")} == {
        "action": "block", "categories": ["fee"], "text": "入职先交两百押金"}  # fmt: skip
    assert {"category": "fee", "start": 6, "end": 8, "term": "押金"} in rows[0]["matches"]  # type: ignore[operator]
    assert rows[1]["text"] == "我电话" + "＊" * 11


def test_flag_role_and_per_line_override(moderator: Moderator) -> None:
    data = '加我微信详聊\n{"text": "加我微信详聊", "role": "viewer"}\n'
    _, rows = _run(moderator, data, role="host")
    assert [r["action"] for r in rows] == ["block", "review"]


def test_job_context_flag(moderator: Moderator) -> None:
    _, rows = _run(moderator, "【普工】入职交押金300\n", role="viewer", context="job")
    assert rows[0]["action"] == "block"


def test_bad_lines_yield_errors_and_processing_continues(moderator: Moderator) -> None:
    data = '{bad json\n{"text": 5}\n{"text": "x", "role": "boss"}\n{"text": "x", "org": 3}\n[1]\n你好\n'
    code, rows = _run(moderator, data)
    assert code == 0
    assert ["error" in r for r in rows] == [True, True, True, True, False, False]  # [1] is a plain line
    assert rows[0]["line"] == 1
    assert rows[-1]["action"] == "allow"


def test_bad_flags_exit_2(moderator: Moderator) -> None:
    code, rows = _run(moderator, "x\n", role="boss")
    assert code == 2 and "error" in rows[0]


def test_livehire_moderate_command() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "livehire.cli", "moderate", "--role", "host"],
        input='{"text": "加 v 详聊"}\n', capture_output=True, text=True, timeout=60, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[0])["action"] == "block"
