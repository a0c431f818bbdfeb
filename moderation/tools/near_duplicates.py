"""Near-duplicate check for new hand-written validation lines (issue 14).

Why: a held-out batch measures the filter only if its lines are not rewordings of lines the rules or the
model were built from. Each candidate line's character 2- and 3-gram set (text folded: lower-case,
full-width to half-width, whitespace and punctuation dropped) is compared by Jaccard similarity with every
line of the corpus, the validation file and the training-line files; lines over the threshold are printed
with their nearest neighbour. Exit status 1 when any line is over, so a writer drops or rewrites it. A validation
neighbour is named by file, line and batch, never printed (round 15): some batches are held out, and a writer or a
rule helper who checks new lines must not read them.

    python -m moderation.tools.near_duplicates NEW.tsv [--threshold 0.2] [--against FILE ...]
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
THRESHOLD = 0.2
VALIDATION = "moderation_validation.tsv"
_BATCH = re.compile(r"# batch (\d+)")


def reference_files(data: Path = DATA) -> list[Path]:
    """The corpus, the validation file and every training-line file: what a new line must not repeat."""
    named = [data / "moderation_corpus.tsv", data / VALIDATION]
    return [p for p in named if p.exists()] + sorted(data.glob("moderation_training_lines*.tsv"))


def fold(text: str) -> str:
    """Lower-case, full-width to half-width (NFKC), and only letters and digits kept."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def grams(text: str) -> frozenset[str]:
    """Character 2- and 3-grams of the folded text (the folded text itself when shorter than two)."""
    s = fold(text)
    found = {s[i : i + n] for n in (2, 3) for i in range(len(s) - n + 1)}
    return frozenset(found or ({s} if s else set()))


@dataclass(frozen=True, slots=True)
class Row:
    """One text line of a TSV file: where it is and its gram set."""

    path: Path
    number: int  # 1-based line number in the file
    text: str
    grams: frozenset[str]
    batch: int  # the ``# batch N`` section of the validation file it sits in (1 before the first marker, or elsewhere)


def rows(path: Path) -> list[Row]:
    """Data rows of a corpus-format TSV (text in the fifth column; `#` and blank lines skipped)."""
    found, batch = [], 1
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker := _BATCH.match(raw):
            batch = int(marker.group(1))
        if not raw.strip() or raw.startswith("#"):
            continue
        cells = raw.split("\t")
        text = cells[4] if len(cells) > 4 else cells[0]
        found.append(Row(path, number, text, grams(text), batch))
    return found


def describe(row: Row | None, *, blind: bool = False) -> tuple[str, str]:
    """Where a neighbour is, and its text unless it is a validation line (batch named instead) or the caller is
    an independent writer (``blind``: a writer who reads no reference line must not see one here either)."""
    if row is None:
        return "-", ""
    if blind:
        return f"{row.path.name}:{row.number}", "(not shown)"
    if row.path.name == VALIDATION:
        return f"{row.path.name}:{row.number}", f"(batch {row.batch}; not shown)"
    return f"{row.path.name}:{row.number}", row.text


@dataclass(frozen=True, slots=True)
class Nearest:
    """A candidate line and its most similar reference line."""

    line: Row
    neighbour: Row | None
    similarity: float


def nearest(candidates: list[Row], references: list[Row]) -> list[Nearest]:
    """For each candidate, the reference line of highest Jaccard similarity (an inverted gram index keeps
    it to the references sharing at least one gram)."""
    index: dict[str, list[int]] = defaultdict(list)
    for i, ref in enumerate(references):
        for gram in ref.grams:
            index[gram].append(i)
    result = []
    for cand in candidates:
        shared: dict[int, int] = defaultdict(int)
        for gram in cand.grams:
            for i in index.get(gram, ()):
                shared[i] += 1
        best, best_sim = None, 0.0
        for i, common in shared.items():
            sim = common / (len(cand.grams) + len(references[i].grams) - common)
            if sim > best_sim:
                best, best_sim = references[i], sim
        result.append(Nearest(cand, best, best_sim))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m moderation.tools.near_duplicates", description=__doc__)
    parser.add_argument("candidates", type=Path, help="TSV of new lines (corpus columns, or one text a line)")
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--against", type=Path, nargs="*", help="reference files (default: corpus, "
                        "validation and training lines)")  # fmt: skip
    parser.add_argument("--blind", action="store_true", help="never print a reference line's text "
                        "(for writers of held-out batches)")  # fmt: skip
    args = parser.parse_args(argv)
    candidate_path: Path = args.candidates.resolve()
    refs = [p for p in (args.against or reference_files()) if p.resolve() != candidate_path]
    references = [row for path in refs for row in rows(path)]
    over = [n for n in nearest(rows(candidate_path), references) if n.similarity > args.threshold]
    for n in over:
        where, other = describe(n.neighbour, blind=args.blind)
        print(f"{n.similarity:.3f}\t{n.line.number}\t{n.line.text}\t{where}\t{other}")
    print(f"{len(over)} line(s) over {args.threshold}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
