"""Imports every table module of ``store`` so ``metadata`` is complete.

Table modules add themselves to :data:`store.schema.metadata` when
imported; importing the whole package here means a new table module needs no
registration line (Alembic's environment and tests import this module).
"""

from __future__ import annotations

import importlib
import pkgutil

import store as _package
from store.schema import metadata

_NOT_TABLES = frozenset({"engine", "schema_all", "migrations"})

for _module in pkgutil.iter_modules(_package.__path__):
    if _module.name not in _NOT_TABLES and not _module.ispkg:
        importlib.import_module(f"{_package.__name__}.{_module.name}")

__all__ = ["metadata"]
