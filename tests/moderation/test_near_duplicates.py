"""The near-duplicate check for new validation lines: a light rewording of a stored line is caught, an
unrelated line passes (lines written for this test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation.tools.near_duplicates import fold, grams, main


def _tsv(path: Path, texts: list[str]) -> Path:
    path.write_text(
        "# header\n"
        + "".join(f"host\tchat\tallow\t-\t{t}\tchat-pattern\tclean_chat\tvalidation\n" for t in texts),
        encoding="utf-8",
    )
    return path


def test_fold_drops_width_case_and_punctuation() -> None:
    assert fold("ＶＸ： Ab，１２！") == "vxab12"
    assert grams("押金") == frozenset({"押金"})


def test_finds_a_near_copy_and_passes_an_unrelated_line(tmp_path: Path) -> None:
    ref = _tsv(tmp_path / "ref.tsv", ["电子厂普工月薪六千，包吃包住，长白班", "今天天气不错"])
    near = _tsv(tmp_path / "near.tsv", ["电子厂普工，月薪六千！包吃包住，长白班。"])
    far = _tsv(tmp_path / "far.tsv", ["保姆要会做北方面食，雇主家在三楼"])
    assert main([str(near), "--against", str(ref)]) == 1
    assert main([str(far), "--against", str(ref)]) == 0


def test_default_references_are_the_stored_files() -> None:
    from moderation.tools.near_duplicates import reference_files

    names = {p.name for p in reference_files()}
    assert {"moderation_corpus.tsv", "moderation_validation.tsv", "moderation_training_lines.tsv"} <= names


def test_a_validation_neighbour_is_named_by_batch_never_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = tmp_path / "moderation_validation.tsv"
    ref.write_text(
        "# batch 3 (spent)\nhost\tchat\tallow\t-\t电子厂普工月薪六千，包吃包住，长白班\tchat-pattern\tclean_chat\tvalidation\n",
        encoding="utf-8",
    )
    near = _tsv(tmp_path / "near.tsv", ["电子厂普工，月薪六千！包吃包住，长白班。"])
    assert main([str(near), "--against", str(ref)]) == 1
    out = capsys.readouterr().out
    where = out.split("\t", 3)[3]  # after similarity, line number and the candidate's own text
    assert where.startswith("moderation_validation.tsv:2\t(batch 3") and "包吃包住" not in where


def test_blind_never_prints_any_reference_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A writer of held-out batches reads no reference line; ``--blind`` keeps the corpus's text out of sight too."""
    ref = _tsv(tmp_path / "moderation_corpus.tsv", ["电子厂普工月薪六千，包吃包住，长白班"])
    near = _tsv(tmp_path / "near.tsv", ["电子厂普工，月薪六千！包吃包住，长白班。"])
    assert main([str(near), "--against", str(ref)]) == 1
    assert capsys.readouterr().out.endswith("\t电子厂普工月薪六千，包吃包住，长白班\n")  # shown without --blind
    assert main([str(near), "--against", str(ref), "--blind"]) == 1
    where = capsys.readouterr().out.split("\t", 3)[3]
    assert where.startswith("moderation_corpus.tsv:") and "包吃包住" not in where
