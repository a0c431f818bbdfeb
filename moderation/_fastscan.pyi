"""Type stub for the compiled front end (moderation/_fastscan.c); see its header comment."""

from typing import Literal

# (length, ((category, kind, term, term_is_latin), ...)): the same as moderation.lexicon.Payload
Payload = tuple[int, tuple[tuple[str, str, str, bool], ...]]
Found = list[tuple[int, Payload]]
# (category, kind, start, end, label) as detectors.numbers() yields them
Raw = tuple[str, str, int, int, str]
# folded, found, org_found, starts, ends, clause_ends, questions, numbers, at_sign, latin
ScanResult = tuple[str, Found, Found, list[int], list[int], list[int], set[int], list[Raw], bool, bool]

FAST_LIMIT: int

class Matcher:
    def __init__(self, keys: list[str], payloads: list[Payload]) -> None: ...
    def find(self, text: str, /) -> Found: ...
    def states(self) -> int: ...

class Folder:
    def __init__(
        self, table: bytes, astral_keys: bytes, astral_values: bytes, pool: bytes, flags: bytes, digits: bytes
    ) -> None: ...
    # None: nothing can matter; False: nothing found, but the folded text holds a Latin letter
    def scan(self, text: str, matcher: Matcher, org_matcher: Matcher | None, /) -> ScanResult | Literal[False] | None: ...
    def hashed(self, text: str, weights: bytes, k: int, /) -> float | tuple[float, ...]: ...

class Record:
    def __init__(self, cls: type, names: tuple[str, ...], /) -> None: ...
    def make(self, *values: object) -> object: ...

class TupleRecord:
    def __init__(self, cls: type, size: int, defaults: tuple[object, ...], /) -> None: ...
    def make(self, *values: object) -> object: ...
