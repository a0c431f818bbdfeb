"""``_fastscan.Record``: decisions and matches built in C are the same objects the classes build."""

from __future__ import annotations

import gc
import pickle
import sys
from dataclasses import FrozenInstanceError, dataclass

import pytest

from moderation import decision, fast
from moderation.decision import Decision, Match

pytestmark = pytest.mark.skipif(not fast.available(), reason="compiled scanner not built")


def test_the_compiled_builders_are_in_use_and_equal_the_python_ones() -> None:
    assert decision._COMPILED is not None
    m = decision.build_match("fee", 3, 5, "押金")
    assert type(m) is Match and m == Match("fee", 3, 5, "押金") and hash(m) == hash(Match("fee", 3, 5, "押金"))
    d = decision.build("block", ("fee",), "先交押金", (m,), "消息未发送")
    same = Decision("block", ("fee",), "先交押金", (Match("fee", 3, 5, "押金"),), "消息未发送")
    assert type(d) is Decision and d == same and hash(d) == hash(same) and repr(d) == repr(same)
    assert d.to_json() == same.to_json()
    assert decision.allowed("你好") == Decision("allow", (), "你好", (), "")
    assert pickle.loads(pickle.dumps(d)) == d
    with pytest.raises(FrozenInstanceError):
        d.action = "allow"  # type: ignore[misc]


def test_instances_survive_collection_and_release_their_fields() -> None:
    text = "独一无二的文本" * 3
    before = sys.getrefcount(text)
    made = [decision.allowed(text) for _ in range(1000)]
    assert sys.getrefcount(text) == before + 1000
    gc.collect()
    assert all(d.text is text and d.action == "allow" for d in made)
    del made
    gc.collect()
    assert sys.getrefcount(text) == before


def test_bad_classes_and_arguments_are_refused() -> None:
    from moderation._fastscan import Record

    @dataclass
    class WithDict:
        a: str

    @dataclass(slots=True)
    class Two:
        a: str
        b: str

    with pytest.raises(TypeError):
        Record(WithDict, ("a",))
    with pytest.raises(ValueError):
        Record(Two, ("a",))  # every slot must be named
    with pytest.raises(ValueError):
        Record(Two, ("a", "a"))
    with pytest.raises(ValueError):
        Record(Two, ("a", "c"))
    with pytest.raises(TypeError):
        Record(Two, ("a", 1))  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Record("Two", ("a", "b"))  # type: ignore[arg-type]
    make = Record(Two, ("b", "a")).make
    two = make("B", "A")
    assert isinstance(two, Two) and two.a == "A" and two.b == "B"
    with pytest.raises(TypeError):
        make("only one")
    with pytest.raises(RuntimeError):
        Record.__new__(Record).make("x")


def test_tuple_records_are_the_namedtuples_the_classes_build() -> None:
    """``_fastscan.TupleRecord`` (round 14): hits, rulings and the folded view built without the NamedTuple's
    interpreted ``__new__`` are equal to, typed as and pickled like the class's own instances."""
    from moderation.normalize import Folded
    from moderation.policy import Hit, Ruling

    new_hit = fast.tuple_maker(Hit, 6, (False,))
    hit = new_hit("fee", "deposit", 2, 4, "押金")
    assert type(hit) is Hit and hit == Hit("fee", "deposit", 2, 4, "押金") and hit.original is False
    assert hash(hit) == hash(Hit("fee", "deposit", 2, 4, "押金")) and repr(hit) == repr(Hit("fee", "deposit", 2, 4, "押金"))
    assert new_hit("pii", "email", 0, 9, "email", True) == Hit("pii", "email", 0, 9, "email", original=True)
    assert pickle.loads(pickle.dumps(hit)) == hit and hit._replace(end=5).end == 5
    ruling = fast.tuple_maker(Ruling, 3)(hit, "block", ("fee",))
    assert type(ruling) is Ruling and ruling == Ruling(hit, "block", ("fee",))
    folded = fast.tuple_maker(Folded, 5, (None,))("押金", [0, 1], [1, 2], "押金")
    assert type(folded) is Folded and folded == Folded("押金", [0, 1], [1, 2], "押金") and folded.clause_marks is None
    text = "独一无二的文本" * 3
    before = sys.getrefcount(text)
    made = [new_hit("fee", "item", 0, 1, text) for _ in range(1000)]
    gc.collect()
    assert sys.getrefcount(text) == before + 1000 and all(h.term is text for h in made)
    del made
    gc.collect()
    assert sys.getrefcount(text) == before


def test_bad_tuple_record_classes_and_arguments_are_refused() -> None:
    from typing import NamedTuple

    from moderation._fastscan import TupleRecord
    from moderation.policy import Hit

    class Pair(NamedTuple):
        a: str
        b: int = 0

    with pytest.raises(TypeError):
        TupleRecord(dict, 1, ())  # not a tuple subclass
    with pytest.raises(TypeError):
        TupleRecord(tuple, 1, ())
    with pytest.raises(ValueError):
        TupleRecord(Pair, 3, (0,))  # not its field count
    with pytest.raises(ValueError):
        TupleRecord(Pair, 2, ())  # its defaults left out
    with pytest.raises(ValueError):
        TupleRecord(Pair, 2, (1,))  # not its default
    make = TupleRecord(Pair, 2, (0,)).make
    assert make("x") == Pair("x") and make("x", 2) == Pair("x", 2)
    with pytest.raises(TypeError):
        make()
    with pytest.raises(TypeError):
        make("x", 2, 3)
    assert fast.tuple_maker(Hit, 6, (False,)) is not Hit  # compiled here: the C builder is in use
