"""Reader for the labelled moderation corpus (``bench/data/moderation_corpus.tsv``).

The quality tests and ``livehire bench moderation`` read the same file the same way; it ships
with the bench package (package data), so an installed ``livehire bench`` finds it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CORPUS_PATH = Path(__file__).resolve().parent / "data" / "moderation_corpus.tsv"


@dataclass(frozen=True, slots=True)
class Line:
    """One labelled chat line: who said it, where, and what the filter should do."""

    role: str
    context: str
    action: str
    categories: tuple[str, ...]
    text: str


def load(path: Path = CORPUS_PATH) -> list[Line]:
    """Columns: role, context, expected action, categories (comma list or ``-``), text."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        role, context, action, cats, text = raw.split("\t")
        lines.append(Line(role, context, action, () if cats == "-" else tuple(cats.split(",")), text))
    return lines
