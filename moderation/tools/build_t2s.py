"""Regenerate ``moderation/data/t2s.tsv``: traditional → simplified, one character each.

Run once by hand (``python -m moderation.tools.build_t2s``) when OpenCC data changes.
The moderator reads the resulting table into its ``str.translate`` map, so no OpenCC
call happens per message; OpenCC is only needed here, not at run time.
"""

from __future__ import annotations

import sys
from pathlib import Path

RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0))


def build() -> list[tuple[str, str]]:
    import opencc  # only needed by this tool

    converter = opencc.OpenCC("t2s")
    pairs: list[tuple[str, str]] = []
    for low, high in RANGES:
        chars = "".join(chr(cp) for cp in range(low, high))
        converted = converter.convert(chars)
        if len(converted) != len(chars):  # fall back to one call per character
            converted = "".join(converter.convert(c) if len(converter.convert(c)) == 1 else c for c in chars)
        pairs.extend((t, s) for t, s in zip(chars, converted, strict=True) if t != s)
    return pairs


def main() -> int:
    out = Path(__file__).resolve().parent.parent / "data" / "t2s.tsv"
    out.parent.mkdir(exist_ok=True)
    pairs = build()
    lines = ["# traditional<TAB>simplified, generated from OpenCC t2s by moderation/tools/build_t2s.py"]
    lines += [f"{t}\t{s}" for t, s in pairs]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(pairs)} pairs to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
