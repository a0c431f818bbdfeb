"""The measuring sets for the learned stage's holds (issue 14): ``python -m bench.learned_lines [dev|test] [15|16]``.

Why: the spent fold batches hold only a handful of clean lines the model holds alone (the rules were tuned on
them), so a change to the model's holds is judged also on lines written for it: clean lines that look dangerous
to a model (pay figures, licences, promises not to leak or charge, forms, shifts, addresses, lawful deductions,
fee questions) and violating lines the rules alone let through. The set is split once by a fixed seed into a
dev half (read while changing things) and a test half (reported once, at the end). Round 16 wrote its own set
(``SETS[16]``: certificates and licences, daily pay, warnings quoting a scam, violations written through evasions).
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from bench.corpus import Line
from moderation.engine import Moderator

_DOCS = Path(__file__).resolve().parents[1] / "docs" / "measurements"
LINES = _DOCS / "2026-12-06-moderation-round15-learned-lines.tsv"
SEED = 15
#: round -> (the set's file, the seed of its halves)
SETS: dict[int, tuple[Path, int]] = {15: (LINES, SEED), 16: (_DOCS / "2026-12-06-moderation-round16-learned-lines.tsv", 16)}
HALVES = ("dev", "test")


def load(path: Path = LINES) -> list[Line]:
    """A set's lines (role, context, action, categories, text), in file order."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        role, context, action, categories, text = raw.split("\t")
        cats = () if categories == "-" else tuple(categories.split(","))
        out.append(Line(role, context, action, cats, text, path.stem.removeprefix("2026-12-06-moderation-"), "", "lines"))
    return out


def halves(lines: Sequence[Line], seed: int = SEED) -> dict[str, list[Line]]:
    """Clean and violating lines each shuffled by ``seed`` and cut in two: the dev half first."""
    out: dict[str, list[Line]] = {h: [] for h in HALVES}
    for clean in (True, False):
        group = [x for x in lines if (x.action == "allow") == clean]
        random.Random(seed).shuffle(group)
        mid = (len(group) + 1) // 2
        out["dev"] += group[:mid]
        out["test"] += group[mid:]
    return out


def measure(moderator: Moderator, lines: Sequence[Line]) -> dict[str, object]:
    """Clean lines flagged (and of them, held by the model alone) and violations caught (every category)."""
    clean = [x for x in lines if x.action == "allow"]
    bad = [x for x in lines if x.action != "allow"]
    flagged = model = caught = model_caught = 0
    for x in clean:
        d = moderator.moderate(x.text, role=x.role, context=x.context)
        flagged += bool(d.categories)
        model += any(m.term == "model" for m in d.matches)
    for x in bad:
        d = moderator.moderate(x.text, role=x.role, context=x.context)
        hit = set(x.categories) <= set(d.categories)
        caught += hit
        model_caught += hit and any(m.term == "model" for m in d.matches)
    return {"clean": len(clean), "flagged": flagged, "model_held": model,
            "violations": len(bad), "caught": caught, "model_caught": model_caught}  # fmt: skip


def main(argv: list[str]) -> int:
    half = argv[0] if argv else "dev"
    path, seed = SETS[int(argv[1]) if len(argv) > 1 else 15]
    lines = halves(load(path), seed)[half]
    for name, moderator in (("rules", Moderator(cache_size=0, learned=False)), ("shipped", Moderator(cache_size=0))):
        print(json.dumps({"half": half, "filter": name, **measure(moderator, lines)}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
