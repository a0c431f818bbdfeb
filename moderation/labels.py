"""Reviewers' decisions as corpus lines (``livehire moderate export-labels``): the corpus grows from traffic.

A held message a reviewer approved is a clean line; one rejected with a category is a violation of that
category. The line format is ``bench/data/moderation_corpus.tsv``'s, with source ``reviewer-decision``
and a split drawn from the text's hash by the corpus's seed, so a message always lands in the same split.
Pure: rows in, lines out; where the decisions are stored is the caller's business.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from moderation.decision import CATEGORIES

SPLIT_SEED = "livehire-corpus-2026-12"  # the same seed as bench/corpus.py (moderation may not import bench)
EMPLOYER_ROLES = ("host", "recruiter")


@dataclass(frozen=True, slots=True)
class ReviewedMessage:
    """One reviewer decision on a held message."""

    text: str
    role: str
    context: str
    approved: bool
    category: str | None = None  # required when rejected: which rule the message broke


def corpus_line(row: ReviewedMessage) -> str:
    """One corpus line (role, context, action, categories, text, source, topic, split)."""
    if not row.approved and row.category not in CATEGORIES:
        raise ValueError(f"a rejected message needs a category, one of {', '.join(CATEGORIES)}")
    text = " ".join(row.text.split("\t")).replace("\n", " ").strip()
    bucket = int(hashlib.sha256(f"{SPLIT_SEED}:review:{text}".encode()).hexdigest()[:8], 16) % 100
    split = "train" if bucket < 60 else "dev" if bucket < 80 else "test"
    if row.approved:
        action, categories, topic = "allow", "-", "reviewed_clean"
    else:
        assert row.category is not None
        employer = row.role in EMPLOYER_ROLES or row.context in ("job", "interview")
        action = "mask" if row.category == "pii" and not employer else "block"
        categories, topic = row.category, f"reviewed_{row.category}"
    return "\t".join((row.role, row.context, action, categories, text, "reviewer-decision", topic, split))


def export(rows: Iterable[ReviewedMessage]) -> Iterator[str]:
    """Corpus lines for the decisions, each text once (the latest decision wins)."""
    latest: dict[str, ReviewedMessage] = {}
    for row in rows:
        latest[row.text] = row
    for row in latest.values():
        yield corpus_line(row) + "\n"
