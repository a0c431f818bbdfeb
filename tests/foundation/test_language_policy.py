"""One language policy: messages shown to users are Chinese, error codes are stable English.

ARCHITECTURE.md ("text shown to users is in Chinese; error codes, logs, code and docs in English") and
issue 12: every project error raised with a literal message (HTTP bodies and chat ``error`` frames show
it to the person) must carry Chinese text, and its code must be a lower-case English identifier.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.foundation.house import PACKAGES, ROOT

ERRORS = {"LivehireError", "Malformed", "Invalid", "Unauthenticated", "Forbidden", "NotFound", "Conflict",
          "RateLimited", "Unavailable", "TooLarge"}
CJK = re.compile("[\u4e00-\u9fff]")
CODE = re.compile("^[a-z][a-z0-9_]*$")


def _literal_text(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value for part in node.values if isinstance(part, ast.Constant) and isinstance(part.value, str))
    return None


def _trees() -> list[tuple[Path, ast.Module]]:
    return [(path, ast.parse(path.read_text(encoding="utf-8")))
            for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))]


def _error_classes(trees: list[tuple[Path, ast.Module]]) -> set[str]:
    """The error root's classes and every class of the project derived from one of them."""
    names = set(ERRORS)
    grew = True
    while grew:
        grew = False
        for _, tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names and any(
                    isinstance(base, ast.Name) and base.id in names for base in node.bases
                ):
                    names.add(node.name)
                    grew = True
    return names


def _raised_errors() -> list[tuple[str, int, str, str]]:
    found = []
    trees = _trees()
    errors = _error_classes(trees)
    for path, tree in trees:
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in errors):
                continue
            if len(node.args) < 2:
                continue
            code, message = _literal_text(node.args[0]), _literal_text(node.args[1])
            if code is not None and message is not None:
                found.append((str(path.relative_to(ROOT)), node.lineno, code, message))
    return found


def test_user_facing_error_messages_are_chinese_and_codes_english() -> None:
    raised = _raised_errors()
    assert len(raised) > 100  # the walk finds the project's errors at all
    english = [f"{path}:{line} {code}: {message!r}" for path, line, code, message in raised if not CJK.search(message)]
    bad_codes = [f"{path}:{line} {code!r}" for path, line, code, _ in raised if not CODE.match(code)]
    assert not english, "messages shown to users must be Chinese:\n" + "\n".join(english)
    assert not bad_codes, "error codes must be lower-case English identifiers:\n" + "\n".join(bad_codes)
