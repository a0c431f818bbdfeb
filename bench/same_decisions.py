"""Same decisions from two builds (issue 14, round 12): ``python -m bench.same_decisions dump FILE`` then ``compare A B``.

Why: a speed change (a compiled module, a regex rewritten, the pinyin view) must not move a single decision,
and the corpus tests compare one build with itself. ``dump`` runs every line set through the build it is run
from (each build's own interpreter in its own tree: ``.venv/bin/python -m bench.same_decisions dump /tmp/a.json --through 14``;
for a tree without this file, a copy outside any tree: ``cp bench/same_decisions.py /tmp/sd.py; cd /work/main &&
.venv/bin/python /tmp/sd.py dump /tmp/main.json --through 14``): the corpus (all splits), the adversarial set, every validation batch and the training-lines
files, each line under its own role and context and as a viewer in chat and a recruiter in a job post, decision
cache off. Validation batches run only up to ``--through`` (the round's held-out batch; later ones must not be run
by a filter before their round). The test split and every validation batch are dumped as hashes only: ``compare``
prints one count of differing decisions per set and, for the other sets, up to three differing decisions.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from bench.corpus import DATA, Line, load, load_rows, validation_batches
from bench.moderation import adversarial
from moderation.engine import Moderator

ROLES_CONTEXTS = (("viewer", "chat"), ("recruiter", "job"))


def line_sets(through: int) -> dict[str, list[Line]]:
    """Every line set; validation batches only up to ``through`` (later ones are not to be run by a filter yet)."""
    lines = load()
    sets: dict[str, list[Line]] = {}
    for x in lines:
        sets.setdefault(f"corpus-{x.split}", []).append(x)
    sets["adversarial"] = adversarial(lines)
    for n, batch in sorted(validation_batches().items()):
        if n <= through:
            sets[f"batch-{n}"] = batch
    for path in sorted(DATA.glob("moderation_training_lines*.tsv")):
        sets[path.name] = load_rows(path.read_text(encoding="utf-8").splitlines())
    return sets


def held_out(name: str) -> bool:
    """The test split and every validation batch (spent or not): compared as hashes, never shown."""
    return name == "corpus-test" or name.startswith("batch-")


def dump(path: Path, through: int) -> dict[str, int]:
    moderator = Moderator(cache_size=0)
    out: dict[str, list[str]] = {}
    for name, lines in line_sets(through).items():
        hide = held_out(name)
        rows = []
        for x in lines:
            for role, context in ((x.role, x.context), *ROLES_CONTEXTS):
                d = moderator.moderate(x.text, role=role, context=context)
                matches = [(m.category, m.start, m.end, m.term) for m in d.matches]
                row = repr((d.action, d.categories, matches, d.text))
                rows.append(hashlib.sha256(row.encode()).hexdigest() if hide else row)
        out[name] = rows
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
    return {name: len(rows) for name, rows in out.items()}


def compare(a: Path, b: Path) -> int:
    """Prints the differences per set; returns their total."""
    left, right = json.loads(a.read_text(encoding="utf-8")), json.loads(b.read_text(encoding="utf-8"))
    if left.keys() != right.keys():
        raise SystemExit(f"different line sets: {sorted(left.keys() ^ right.keys())}")
    total = 0
    for name, rows in left.items():
        if len(rows) != len(right[name]):
            raise SystemExit(f"{name}: {len(rows)} decisions against {len(right[name])}")
        differ = [i for i, (x, y) in enumerate(zip(rows, right[name], strict=True)) if x != y]
        total += len(differ)
        print(f"{name}: {len(rows)} decisions, {len(differ)} different")
        if not held_out(name):
            for i in differ[:3]:
                print(f"    {rows[i]}\n -> {right[name][i]}")
    print(f"total: {sum(len(r) for r in left.values())} decisions, {total} different")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.same_decisions")
    sub = parser.add_subparsers(dest="command", required=True)
    dump_args = sub.add_parser("dump")
    dump_args.add_argument("path", type=Path)
    dump_args.add_argument(
        "--through", type=int, required=True, help="the last validation batch to run (the round's)"
    )
    cmp = sub.add_parser("compare")
    cmp.add_argument("a", type=Path)
    cmp.add_argument("b", type=Path)
    args = parser.parse_args()
    if args.command == "dump":
        print(json.dumps(dump(args.path, args.through)))
    else:
        raise SystemExit(1 if compare(args.a, args.b) else 0)


if __name__ == "__main__":
    main()
