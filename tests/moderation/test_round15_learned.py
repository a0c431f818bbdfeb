"""Round 15, part L: batch 16 a fold of the learned stage's protocol, and the measuring set's halves."""

from __future__ import annotations

from bench import learned_lines
from bench.corpus import HELD_OUT_FROM
from bench.learned_dev import DEV_BATCHES, FOLDS, HELD_OUT, spent_batches
from moderation import learned
from moderation.engine import Moderator
from moderation.learned import SideModel
from moderation.tools.train import Config, weighted_lines


def test_the_last_spent_batch_is_a_fold_and_the_protocol_stops_where_the_bench_does() -> None:
    """A round that spends a batch (raising bench.corpus.HELD_OUT_FROM) adds it as a fold here."""
    assert HELD_OUT == HELD_OUT_FROM
    assert FOLDS[-1] == (HELD_OUT - 1,)
    assert max(DEV_BATCHES) == HELD_OUT - 1
    assert max(spent_batches()) == HELD_OUT - 1


def test_the_measuring_set_is_large_enough_and_labelled() -> None:
    lines = learned_lines.load()
    clean = [x for x in lines if x.action == "allow"]
    bad = [x for x in lines if x.action != "allow"]
    assert len(clean) >= 240 and len(bad) >= 120
    assert all(not x.categories for x in clean)
    assert all(x.categories and x.action == "review" for x in bad)
    assert len({x.text for x in lines}) == len(lines)


def test_the_halves_are_fixed_disjoint_and_balanced() -> None:
    lines = learned_lines.load()
    first, again = learned_lines.halves(lines), learned_lines.halves(lines)
    assert first == again  # one seed, one split
    dev, test = ({x.text for x in first[h]} for h in learned_lines.HALVES)
    assert not dev & test and len(dev) + len(test) == len(lines)
    for clean in (True, False):
        sizes = [sum((x.action == "allow") == clean for x in first[h]) for h in learned_lines.HALVES]
        assert abs(sizes[0] - sizes[1]) <= 1


def test_the_measuring_set_is_no_training_line_of_the_shipped_model() -> None:
    trained = {row.split("\t")[4] for row in weighted_lines(Config())[0]}
    assert not {x.text for x in learned_lines.load()} & trained


def _side(weights: dict[str, tuple[float, tuple[float, ...]]], evidence: float = 0.75) -> SideModel:
    side = SideModel(0.0, 0.5, ("fee", "pii", "scam"), (0.0, 0.0, 0.0), weights)
    side.evidence = evidence
    return side


def test_the_gate_lets_a_hold_through_only_on_evidence_of_a_category() -> None:
    """个人信息保护法 §24: the model holds for a person; a hold on n-grams of no category (an amount, "你把") is
    let through, one whose n-grams weigh for a category stays held."""
    side = _side({"一天": (1.3, (0.1, 0.0, 0.1)), "押金": (1.5, (1.2, 0.0, 0.0))})
    assert not side.evidenced(2.0, "一天")  # the binary push alone
    assert side.evidenced(2.0, "押金")  # fee's own weight
    assert side.evidenced(2.0, "一天交押金")


def test_pii_weights_are_no_evidence_for_the_gate() -> None:
    side = _side({"身份": (1.0, (0.0, 2.0, 0.0))})
    assert not side.evidenced(2.0, "身份")


def test_the_numeral_discount_is_off_and_works_when_set() -> None:
    assert learned.NUMERAL_DISCOUNT == 0.0
    side = _side({"一百": (1.4, (1.0, 0.0, 0.0)), "交钱": (0.4, (1.0, 0.0, 0.0))}, evidence=0.0)
    assert side.evidenced(0.5, "一百交钱")
    side.discount = 1.0
    assert not side.evidenced(0.5, "一百交钱")  # 0.5 - 1.4 under the cut (logit 0)


def test_the_engine_lets_an_on_call_job_ad_through_and_still_holds_rented_accounts() -> None:
    """个人信息保护法 §24: the model may only hold for a person; an IT job ad with on-call duty (held before the gate
    on the Latin letters' n-grams, batch 16's kind) is let through, renting out one's own phone number is still held."""
    engine = Moderator(cache_size=0)
    ad = "运维开发（Python）：两年以上经验，熟悉Kubernetes，能接受on-call轮值，周末双休"
    assert engine.moderate(ad, role="recruiter", context="job").action == "allow"
    scheme = "帮我们注册几个新号，一个给你二十五，用你自己的手机号"
    assert engine.moderate(scheme, role="recruiter").action == "review"
