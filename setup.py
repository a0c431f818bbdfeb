"""Builds the moderation filter's compiled front end (``moderation/_fastscan.c``).

Everything else about the package is declared in pyproject.toml. ``optional=True``: a
machine without a C compiler still installs livehire, and the moderation engine falls
back to its pure-Python path (``Moderator.engine_kind == "python"``).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "moderation._fastscan",
            ["moderation/_fastscan.c"],
            extra_compile_args=["-O2", "-std=c11", "-Wall", "-Wextra", "-Wno-missing-field-initializers"],
            optional=True,
        )
    ]
)
