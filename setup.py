"""Builds the compiled parts (moderation's filter, the media fan-out); everything else is in pyproject.toml.

1. ``moderation/_fastscan.c`` (hand-written C): fold + offset map + clause ends + the
   Aho–Corasick scan in one call per message.
2. The per-hit logic (``engine``, ``policy``, ``detectors``, ``normalize``, and the round 11 modules
   ``grounds``, ``shapes``, ``evidence`` with ``pinyin`` since round 12, the
   clean-side and round 14 rule modules ``families``, ``lawful``, ``harms``, ``lures``, ``homes``, ``assemble`` and ``anchored``) compiled from
   the same typed Python sources by mypyc, so rules, clause facts and matches do not pay
   the interpreter's dispatch per call. The ``.py`` files stay the source of truth.

3. ``media_server/sfu/_fanout.c`` (hand-written C): SRTP protect + send of one packet's
   copies to many viewers in one call (``media_server/sfu/fanout.py``).

4. ``chat/_rawsend.c`` (hand-written C): one flush's bytes to many chat sockets with the GIL
   released for the whole loop (``chat/writers.py``).

All are optional: without a C compiler (or without mypyc in the build environment)
livehire still installs and runs the pure-Python modules (``Moderator.engine_kind``,
``fanout.SendBatch.available``, ``chat.writers.NATIVE``).
"""

from __future__ import annotations

from setuptools import Extension, setup

COMPILED_MODULES = [
    "moderation/engine.py",
    "moderation/policy.py",
    "moderation/detectors.py",
    "moderation/normalize.py",
    "moderation/grounds.py",
    "moderation/shapes.py",
    "moderation/evidence.py",
    "moderation/pinyin.py",
    "moderation/families.py",
    "moderation/lawful.py",
    "moderation/harms.py",
    "moderation/lures.py",
    "moderation/homes.py",
    "moderation/assemble.py",
    "moderation/anchored.py",
    "moderation/menace.py",
    "moderation/benign.py",
    "moderation/charges.py",
    "moderation/offsite.py",
    "moderation/baits.py",
    "moderation/dialled.py",
    "moderation/nightly.py",
    "moderation/payouts.py",
    "moderation/buyins.py",
    "moderation/tolls.py",
    "moderation/spelled.py",
    "moderation/exposure.py",
    "moderation/pieces.py",
    "moderation/stalking.py",
    "moderation/levies.py",
    "moderation/payers.py",
    "moderation/terms.py",
    "moderation/readings.py",
    "moderation/elsewhere.py",
    "moderation/classes.py",
    "moderation/wanted.py",
    "moderation/shaming.py",
    "moderation/schemes.py",
    "moderation/contempt.py",
    "moderation/puzzles.py",
    "moderation/deceits.py",
    "moderation/abuse.py",
    "moderation/inkind.py",
    "moderation/conduct.py",
    "moderation/unequal.py",
    "moderation/frauds.py",
    "moderation/asides.py",
    "moderation/pursuit.py",
    "moderation/leanings.py",
    "moderation/errands.py",
    "moderation/snares.py",
    "moderation/disowned.py",
    "moderation/learned.py",
    "moderation/leftmost.py",
    "moderation/demands.py",
]

extensions = [
    Extension(
        "moderation._fastscan",
        ["moderation/_fastscan.c", "moderation/_fastscan_matcher.c", "moderation/_fastscan_record.c"],
        depends=["moderation/_fastscan.h"],
        extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wextra", "-Wno-missing-field-initializers"],
        optional=True,
    ),
    Extension(
        "media_server.sfu._fanout",
        ["media_server/sfu/_fanout.c"],
        depends=["media_server/sfu/_fanout_viewer.c"],
        extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wextra"],
        optional=True,
    ),
    Extension(
        "chat._rawsend",
        ["chat/_rawsend.c"],
        extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wextra"],
        optional=True,
    ),
]
try:
    from mypyc.build import mypycify
except ImportError:  # no mypyc in this build environment: the modules stay interpreted
    pass
else:
    compiled = mypycify(COMPILED_MODULES, opt_level="3", group_name="moderation.compiled")
    for ext in compiled:
        ext.optional = True
    extensions += compiled

setup(ext_modules=extensions)
