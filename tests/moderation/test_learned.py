"""The learned second stage (issue 14): plain weights, review only, trained from the train split."""

from __future__ import annotations

import pytest

from bench.corpus import load
from moderation.engine import Moderator
from moderation.learned import MODEL_PATH, Model, model_text, parse
from moderation.tools.adversarial import TRANSFORMS, variants
from moderation.tools.train import train

pytestmark = pytest.mark.clause("5.1.3 d")


def test_shipped_weights_load_for_both_sides() -> None:
    model = Model.load()
    assert model is not None
    assert set(model.sides) == {"employer", "seeker"}
    assert all(side.size > 500 and 0.5 <= side.threshold < 1 for side in model.sides.values())


def test_the_model_only_ever_holds_for_review(moderator: Moderator) -> None:
    """Lines the rules allow but the model flags come out as review, never block."""
    rules = Moderator(moderator.lexicon, cache_size=0, learned=False)
    held = 0
    for x in load():
        before = rules.moderate(x.text, role=x.role, context=x.context)
        after = moderator.moderate(x.text, role=x.role, context=x.context)
        if before.action == "allow" and after.action != "allow":
            assert after.action == "review" and len(after.matches) == 1
            assert after.matches[0].term == "model" and after.text == x.text
            held += 1
        else:
            assert after == before
    assert held > 0


@pytest.mark.slow
@pytest.mark.timeout(900)  # twelve fits (five folds a side for the threshold, then the model): ~2 min on a free core
def test_training_is_deterministic_and_matches_the_shipped_file() -> None:
    text = train()
    assert text == MODEL_PATH.read_text(encoding="utf-8")
    assert set(parse(text)) == {"employer", "seeker"}


def test_learned_off_is_the_rules_alone() -> None:
    assert Moderator(cache_size=0, learned=False).model is None


def test_adversarial_variants_change_the_line() -> None:
    out = variants("入职前先交300元押金，加我微信hr2025job", "seed")
    assert {name for name, _ in out} == set(TRANSFORMS)
    assert all(t != "入职前先交300元押金，加我微信hr2025job" for _, t in out)
    assert variants("x", "a") == variants("x", "a")


def test_c_hashed_scores_equal_the_python_reference() -> None:
    """``Folder.hashed`` (C) and ``SideModel.score`` (Python) add the same buckets in the same order; the C
    side cuts long digit runs itself, as ``model_text`` does before the Python reference folds."""
    from moderation import fast
    from moderation.shared import default_folder, default_normalizer

    if not fast.available():
        pytest.skip("compiled scanner not built")
    model = Model.load()
    assert model is not None
    folder, fold = default_folder(), default_normalizer().fold
    for side in model.sides.values():
        texts = [x.text for x in load()[::7]]
        texts += ["订单12345678901234", "１２３４５６７８９号", "电话1381234567８ 和 99 999 9999", "0000", "12a3456b"]
        for text in texts:
            assert side.bias + folder.hashed(text, side.binary_table, 1) == side.score(fold(model_text(text))), text  # type: ignore[operator]
            folded = fold(model_text(text))  # the category table (smaller since round 8): same sums, C and Python
            assert side.category(text, folder, "") == side.category(text, None, folded), text
    with pytest.raises(ValueError):
        folder.hashed("x", b"\0" * 12, 1)  # 3 buckets: not a power of two
    with pytest.raises(TypeError):
        folder.hashed("x", "weights", 1)  # type: ignore[arg-type]


def test_the_model_never_names_pii() -> None:
    """A model match spans the whole message; callers that mask pii spans would blank all of it."""
    from moderation.decision import CATEGORIES
    from moderation.learned import SideModel

    biases = [10.0 if c == "pii" else (1.0 if c == "fee" else 0.0) for c in CATEGORIES]
    side = SideModel(0.0, 0.5, CATEGORIES, biases, {"电话": (1.0, tuple(5.0 if c == "pii" else 0.0 for c in CATEGORIES))})
    assert side.explain("我电话").category == "fee"
    assert side.category("我电话", None, "我电话") == "fee"


def test_long_numbers_alone_are_not_held(moderator: Moderator) -> None:
    """Digit runs are cut to three for the model: a timestamp or an order number is not a violation by
    itself; a handle after a contact word still is (the rules)."""
    for text in ("岗位讲解第7条 t=1796490245.123456", "编号1234567890123", "订单号 2026120512345678", "usb接口坏了"):
        assert moderator.moderate(text).action == "allow", text
    assert moderator.moderate("加我QQ 12345678").action != "allow"

