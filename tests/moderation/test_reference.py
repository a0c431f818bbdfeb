"""The interpreted sources are the reference: with every compiled part hidden (no
``_fastscan``, no mypyc modules) the filter must decide the corpus exactly as the
compiled build does, and the compiled build must be current (not older than its sources).
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.corpus import load
from moderation import fast
from moderation.engine import CONTEXTS, Moderator

# Runs in a fresh interpreter: a meta-path finder that loads moderation.* only from .py
# files, so the compiled modules and the C scanner cannot be imported at all.
_REFERENCE = r"""
import importlib.util, json, os, sys

class SourceOnly:
    def find_spec(self, name, path=None, target=None):
        if not name.startswith("moderation.") or path is None:
            return None
        leaf = name.rpartition(".")[2]
        for directory in path:
            if os.path.isdir(os.path.join(directory, leaf)):
                return None
            source = os.path.join(directory, leaf + ".py")
            if os.path.exists(source):
                return importlib.util.spec_from_file_location(name, source)
        raise ModuleNotFoundError(name)

sys.meta_path.insert(0, SourceOnly())
from moderation import fast
from bench.corpus import load
from moderation.engine import CONTEXTS, Moderator

moderator = Moderator(cache_size=0)
assert moderator.engine_kind == "python" and moderator.rules_kind == "python", moderator.engine_kind
assert not fast.available() and fast.compiled_modules() == []
out = []
for line in load()[::2]:  # every other line: the interpreted filter is slow on a loaded machine
    for role in ("viewer", "host"):
        for context in CONTEXTS:
            d = moderator.moderate(line.text, role=role, context=context)
            out.append([d.to_json(), d.message])
print(json.dumps(out, ensure_ascii=False))
"""


def test_interpreted_sources_decide_like_the_compiled_build() -> None:
    proc = subprocess.run([sys.executable, "-c", _REFERENCE], capture_output=True, text=True, timeout=100, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    reference = json.loads(proc.stdout)
    moderator = Moderator(cache_size=0)
    got = []
    for line in load()[::2]:
        for role in ("viewer", "host"):
            for context in CONTEXTS:
                d = moderator.moderate(line.text, role=role, context=context)
                got.append([d.to_json(), d.message])
    assert len(got) == len(reference) > 2000
    assert got == reference


def test_compiled_build_is_current() -> None:
    """A .py edited after `pip install -e .` is NOT what runs: scripts/install rebuilds."""
    assert fast.stale_modules() == [], "run scripts/install to recompile " + ", ".join(fast.stale_modules())
