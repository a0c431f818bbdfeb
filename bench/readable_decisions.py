"""Every readable line's decision as text (issue 14, round 14): ``python -m bench.readable_decisions [python] [rules]``.

Why: a speed change must not move one decision, and the lead re-runs the proof at merge: run it with each build's
own interpreter (``/work/wt-old/.venv/bin/python -m bench.readable_decisions > old.tsv`` from that tree, the same
from the branch's) and ``cmp`` the outputs. One line per decision: action, categories, evidence
(``category:start-end:term``), the text shown, role, context and ``set:text``. Readable lines only: the corpus (all
splits), the spent validation batches (before ``bench.corpus.HELD_OUT_FROM``), every
``moderation_training_lines*.tsv``, the adversarial set and the bench mix, each under its own role and context and
as a viewer in chat and a recruiter in a job post, decision cache off. ``python``: the pure-Python front end;
``rules``: the learned stage off.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from bench.corpus import DATA, HELD_OUT_FROM, Line, load, load_rows, validation_batches
from bench.moderation import adversarial, mix
from moderation.engine import Moderator


def line_sets() -> list[tuple[str, Sequence[Line]]]:
    corpus = load()
    sets: list[tuple[str, Sequence[Line]]] = [("corpus", corpus)]
    sets += [(f"batch{n}", b) for n, b in sorted(validation_batches(before=HELD_OUT_FROM).items())]
    for path in sorted(DATA.glob("moderation_training_lines*.tsv")):
        sets.append((path.name, load_rows(path.read_text(encoding="utf-8").splitlines())))
    return [*sets, ("adversarial", adversarial(corpus)), ("mix", mix(corpus))]


def _cell(text: str) -> str:
    return text.replace("\t", "\\t").replace("\n", "\\n")


def main(args: Sequence[str]) -> None:
    moderator = Moderator(cache_size=0, engine="python" if "python" in args else "auto", learned="rules" not in args)
    out = sys.stdout
    for name, lines in line_sets():
        for x in lines:
            for role, context in ((x.role, x.context), ("viewer", "chat"), ("recruiter", "job")):
                d = moderator.moderate(x.text, role=role, context=context)
                evidence = ";".join(f"{m.category}:{m.start}-{m.end}:{m.term}" for m in d.matches)
                out.write(f"{d.action}\t{','.join(d.categories)}\t{evidence}\t{_cell(d.text)}\t{role}\t{context}\t"
                          f"{name}:{_cell(x.text)}\n")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1:])
