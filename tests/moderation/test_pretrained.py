"""Pretrained vectors folded into the learned stage's weights (issue 14, round 13): the vector file's format, and
which n-grams a fold gives a weight (only those the fit did not keep, never a neutral filler)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.learned_dev import shared_fits
from moderation.decision import CATEGORIES
from moderation.learned import SideModel
from moderation.tools import train as trainer
from moderation.tools.pretrained import Fold, fold_in
from moderation.tools.pretrained_vectors import read, write
from moderation.tools.train import Row

np = pytest.importorskip("numpy")
pytestmark = pytest.mark.clause("5.1.3 d")

ZEROS = (0.0,) * len(CATEGORIES)


def _row(text: str, violation: float) -> Row:
    grams = [text[i : i + 2] for i in range(len(text) - 1)]
    return Row("employer", text, True, grams, [], violation, [0.0] * len(CATEGORIES), ("host", "chat", text))


def _table(tmp_path: Path) -> Path:
    # two directions: "fee" words along the first, ordinary words along the second
    words = ["押金", "抵押", "体检", "天气", "吃饭", "宿舍", "公司"]
    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.8, 0.0], [0.0, 1.0], [-0.1, 0.9], [0.0, 0.8], [0.0, 0.7]])
    path = tmp_path / "vectors.bin"
    write(path, words, vectors)
    return path


def test_the_vector_file_round_trips_at_int8_precision(tmp_path: Path) -> None:
    path = _table(tmp_path)
    words, vectors = read(path)
    assert words == ["押金", "抵押", "体检", "天气", "吃饭", "宿舍", "公司"]
    assert vectors.shape == (7, 2)
    assert abs(float(vectors[1, 0]) - 0.9) < 0.01 and abs(float(vectors[4, 0]) + 0.1) < 0.01


def test_a_fold_weighs_unseen_ngrams_that_mean_alike_and_keeps_the_fitted_ones(tmp_path: Path) -> None:
    fitted = {"押金": (2.0, ZEROS), "天气": (-1.0, ZEROS), "吃饭": (-0.8, ZEROS)}
    model = SideModel(-1.0, 0.9, CATEGORIES, ZEROS, fitted)
    folded = fold_in(model, [], {"公司"}, Fold("ridge", 5.0, 100, False, _table(tmp_path)))
    assert folded.weights["押金"] == fitted["押金"]  # evidence stays as fitted
    assert folded.weights["抵押"][0] > 0.2 and folded.weights["体检"][0] > 0.2  # 抵押金 and 体检费 pitches
    assert folded.weights["宿舍"][0] < 0  # an ordinary word leans clean
    assert "公司" not in folded.weights  # a neutral filler never gets a weight
    positive = fold_in(model, [], set(), Fold("ridge", 5.0, 100, True, _table(tmp_path)))
    assert "宿舍" not in positive.weights and "抵押" in positive.weights
    assert positive.threshold == model.threshold and positive.bias == model.bias


def test_the_message_direction_points_from_clean_lines_to_violations(tmp_path: Path) -> None:
    rows = [_row("押金押金", 1.0), _row("体检抵押", 1.0), _row("天气吃饭", 0.0), _row("宿舍天气", 0.0)]
    model = SideModel(0.0, 0.9, CATEGORIES, ZEROS, {})
    folded = fold_in(model, rows, set(), Fold("message", 1.0, 100, False, _table(tmp_path)))
    assert folded.weights["押金"][0] > 0 > folded.weights["天气"][0]


def test_a_missing_vector_file_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="pretrained_vectors"):
        read(tmp_path / "absent.bin")


def test_configurations_that_differ_only_in_the_fold_share_one_ngram_fit() -> None:
    rows = [_row("押金押金", 1.0), _row("体检抵押", 1.0), _row("天气吃饭", 0.0), _row("宿舍天气", 0.0)]
    unwrapped = trainer.fit_ngrams
    with shared_fits():
        plain = trainer.fit_ngrams(rows, set(), trainer.Config())
        folded = trainer.fit_ngrams(rows, set(), trainer.Config(pretrained=Fold()))
        other = trainer.fit_ngrams(rows, set(), trainer.Config(epochs=2))
    assert plain is folded and plain is not other
    assert trainer.fit_ngrams is unwrapped
