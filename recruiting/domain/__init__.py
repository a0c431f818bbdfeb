"""Pure recruiting rules and data: no I/O, unit-tested alone (see :mod:`recruiting`)."""
