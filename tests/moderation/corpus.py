"""Reads the labelled corpus (tests/data/moderation_corpus.tsv); shared by the test and the bench."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "data" / "moderation_corpus.tsv"


@dataclass(frozen=True, slots=True)
class Line:
    role: str
    context: str
    action: str
    categories: tuple[str, ...]
    text: str


def load(path: Path = CORPUS) -> list[Line]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        role, context, action, cats, text = raw.split("\t")
        lines.append(Line(role, context, action, () if cats == "-" else tuple(cats.split(",")), text))
    return lines
