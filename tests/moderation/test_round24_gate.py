"""Round 24: the learned stage's gate, measured again on writers the model never read; it stays as it was.

Why these tests: every variant tried (a margin over the cut that waives the evidence, lower evidence or floor, the
numerals discount, a lower cut with a stricter gate) held more lawful lines than it caught violations, so the gate's
constants are pinned, and the lawful lines it keeps out over the cut stay allowed
(``docs/measurements/2026-12-08-moderation-round24-gate.md``).
"""

from __future__ import annotations

import pytest

from moderation import learned
from moderation.engine import Moderator
from moderation.learned import SideModel, model_text
from moderation.policy import EMPLOYER_CONTEXTS, EMPLOYER_ROLES

pytestmark = pytest.mark.clause("5.1.3 d")

#: Lawful lines the model scores over its cut and the gate keeps out: guards (the rounds' hand-written clean lines)
#: and spent batches' lines. English reads as a violation to a model trained on Chinese n-grams.
KEPT_OUT = (
    ("host", "chat", "we never ask you to message us on WhatsApp, apply here in the room"),
    ("recruiter", "job", "Warehouse helpers wanted, apply with the button below, no fees"),
    ("host", "chat", "持证电工一天四百，无证的只能做学徒一天一百五"),
    ("recruiter", "chat", "Hi, the interview will be in this platform's video room, no need for WhatsApp or Zoom"),
    ("recruiter", "job", "后端开发（Java）：三年以上经验，熟悉Spring Cloud和MySQL调优，能接受on-call轮值，双休"),
    ("host", "chat", "说一下，我背后那个挂历是服务区排班用的，圈的是值班日子，不是什么号码。"),
)
#: The pair a waive margin cannot split: a doxxing call the gate lets go, and a lawful line scored further over the cut.
LET_GO = ("host", "chat", "骂我们的那个何晓霞开辆白色车，车牌浙A7K29X，大家在服务区见到就拍下来发我。")
CALENDAR = KEPT_OUT[-1]


@pytest.fixture(scope="module")
def engine() -> Moderator:
    return Moderator(cache_size=0)


def _side(engine: Moderator, role: str, context: str) -> SideModel:
    assert engine.model is not None
    return engine.model.side(role in EMPLOYER_ROLES or context in EMPLOYER_CONTEXTS)


def _margin(engine: Moderator, role: str, context: str, text: str) -> float:
    side = _side(engine, role, context)
    return side.score(engine.fold(model_text(text))) - side.logit_threshold


def test_the_gate_constants_are_as_documented(engine: Moderator) -> None:
    assert (learned.CATEGORY_EVIDENCE, learned.CATEGORY_FLOOR, learned.NUMERAL_DISCOUNT) == (0.75, -1.0, 0.0)
    for employer in (True, False):
        side = _side(engine, "host" if employer else "viewer", "chat")
        assert (side.evidence, side.floor, side.discount) == (0.75, -1.0, 0.0)


@pytest.mark.parametrize(("role", "context", "text"), KEPT_OUT)
def test_lawful_lines_over_the_cut_are_kept_out_by_the_gate(engine: Moderator, role: str, context: str, text: str) -> None:
    side = _side(engine, role, context)
    folded = engine.fold(model_text(text))
    logit = side.score(folded)
    assert logit > side.logit_threshold, text  # the model alone would hold it
    assert side.evidenced(logit, folded) == (), text
    assert engine.moderate(text, role=role, context=context).action == "allow", text


def test_a_waive_margin_that_held_the_let_go_violation_would_hold_a_lawful_line_first(engine: Moderator) -> None:
    """Both are over the cut with evidence under the threshold; the lawful line is the further over."""
    violation, lawful = _margin(engine, *LET_GO), _margin(engine, *CALENDAR)
    assert 0 < violation < lawful
