"""Small modules and a folder list a newcomer can read (ARCHITECTURE.md style rules, issue 12)."""

from __future__ import annotations

from tests.foundation.house import PACKAGES, ROOT

MAX_LINES = 400


def test_no_module_over_400_lines() -> None:
    too_long = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                too_long.append(f"{path.relative_to(ROOT)}: {lines} lines")
    assert not too_long, "split these modules by idea:\n" + "\n".join(too_long)


def test_recruiting_has_at_most_ten_files_at_its_top() -> None:
    top = [path.name for path in (ROOT / "recruiting").iterdir() if path.is_file() and path.suffix == ".py"]
    assert len(top) <= 10, sorted(top)
