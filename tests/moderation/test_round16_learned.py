"""Round 16, part L: the learned stage's second reading of evasions, its category floor and its warnings."""

from __future__ import annotations

import pytest

from bench import learned_lines
from moderation import learned
from moderation.engine import Moderator
from moderation.learned import SideModel
from moderation.lexicon import Entry
from moderation.reread import Rereader
from moderation.tools.train import Config, weighted_lines

_READINGS = {"押": "ya", "金": "jin", "微": "wei", "信": "xin", "加": "jia", "威": "wei", "费": "fei"}


@pytest.fixture(scope="module")
def engine() -> Moderator:
    return Moderator(cache_size=0)


def _rereader() -> Rereader:
    terms = [Entry("fee", "item", "押金"), Entry("diversion", "app", "微信"), Entry("diversion", "contact", "加威")]
    return Rereader(terms, _READINGS)


def test_the_round16_measuring_set_is_large_labelled_split_and_untrained() -> None:
    path, seed = learned_lines.SETS[16]
    lines = learned_lines.load(path)
    clean = [x for x in lines if x.action == "allow"]
    assert len(lines) >= 200 and len(clean) * 2 >= len(lines) - 20  # about half clean
    assert all(x.categories and x.action == "review" for x in lines if x.action != "allow")
    assert len({x.text for x in lines}) == len(lines)
    parts = learned_lines.halves(lines, seed)
    assert parts == learned_lines.halves(lines, seed)
    assert not {x.text for x in parts["dev"]} & {x.text for x in parts["test"]}
    trained = {row.split("\t")[4] for row in weighted_lines(Config())[0]}
    assert not {x.text for x in lines} & trained


def test_digit_look_alikes_are_read_as_digits_and_words_are_not() -> None:
    """"2ОО" (Cyrillic О, folded to the letter o) is the model's "200"; "cool" and "hello2" stay words."""
    reader = _rereader()
    assert reader.text("给2oo红包", set()) == "给200红包"
    assert reader.text("年龄l8到35岁", set()) == "年龄18到35岁"
    assert reader.text("coolhello2", set()) is None
    assert reader.text("没有拉丁字母", set()) is None


def test_pinyin_and_a_listed_terms_initials_are_read_back_and_english_is_not() -> None:
    reader = _rereader()
    assert reader.text("交ya金", set()) == "交押金"
    assert reader.text("先交yj", set()) == "先交押金"  # a listed term's initials
    assert reader.text("javaspring", set()) is None  # no whole syllables: left as it is
    # an app name is not read by moderation.pinyin, so not by its initials either ("wx" needs a contact cue)
    assert "wx" not in reader.initials


def test_the_likeliest_reading_is_the_one_whose_ngrams_the_model_knows() -> None:
    reader = _rereader()  # "wei" reads as 微 or 威; the model knows "加威", not "加微"
    assert reader.text("加wei信", {"加威"}) == "加威信"
    assert reader.text("加wei信", {"微信"}) == "加微信"
    assert reader.text("加wei信", set()) == "加微信"  # no n-gram known: the table's first reading


def test_an_evasion_just_under_the_cut_is_held_and_its_clean_neighbours_are_not(engine: Moderator) -> None:
    """个人信息保护法 §24: the model only holds for a person (review, never block). A fee for a queue-jump written in
    pinyin and a cash-withdrawal errand (a money mule) are held on the second reading; a host denying the fee and
    a viewer asking about it, written the same way, are not."""
    fee = engine.moderate("厂里的ming额紧，想插队的bao个六百的辛苦fei给我", role="recruiter")
    assert (fee.action, fee.categories) == ("review", ("fee",))
    mule = engine.moderate("帮老板跑腿去银行柜tai取qian，取一次给三百辛苦fei", role="host")
    assert (mule.action, mule.categories) == ("review", ("scam",))
    assert engine.moderate("厂里ming额紧，但是我们不收任何辛苦fei，谁说要bao红包都是骗子", role="recruiter").action == "allow"
    assert engine.moderate("厂里ming额紧的话，插队要不要给辛苦fei？", role="viewer").action == "allow"
    assert engine.moderate("美甲店招xue徒，包吃住，跟师傅xue手艺，不收学费，出师了留店干", role="host").action == "allow"
    assert engine.moderate("我们招Java开发，base上海，熟悉Spring", role="recruiter").action == "allow"


def test_the_second_reading_is_off_far_under_the_cut(engine: Moderator) -> None:
    side = engine.model.side(True) if engine.model is not None else None
    assert side is not None
    assert engine._reread("你好", side, "你好").action == "allow"  # nothing to read back


def _side(weights: dict[str, tuple[float, tuple[float, ...]]], bias: float) -> SideModel:
    return SideModel(0.0, 0.5, ("fee", "pii", "scam"), (bias, 0.0, bias), weights)


def test_the_floor_needs_a_category_that_is_itself_likely() -> None:
    """A pay line gathers a category's evidence from many weak n-grams (一天, 日薪) while the category stays
    improbable: held only when some category's own logit (its bias plus the sums) reaches CATEGORY_FLOOR."""
    assert learned.CATEGORY_FLOOR == -1.0
    weights = {"一天": (1.3, (0.0, 0.0, 0.5)), "日薪": (0.9, (0.0, 0.0, 0.5)), "押金": (1.5, (3.0, 0.0, 0.0))}
    side = _side(weights, bias=-2.5)
    assert side.evidenced(2.0, "一天日薪") == ()  # scam evidence 1.0 over 0.75, but -2.5 + 1.0 under the floor
    assert side.evidenced(2.0, "押金") == ("fee",)
    assert side.evidenced(2.0, "一天日薪押金") == ("fee", "scam")
    assert _side(weights, bias=-1.5).evidenced(2.0, "一天日薪") == ("scam",)


def test_a_denial_of_what_the_evidence_points_to_lets_the_hold_through(engine: Moderator) -> None:
    """就业促进法 §27: a job line that says either sex will do is no discrimination; the model ranked such a line
    under fee (its hashed sums) while its evidence was discrimination, which its wording denies."""
    line = "做家教的要有教师资格证，辅导高中物理的最好理工科出身，男的女的都行"
    assert engine.moderate(line, role="host").action == "allow"
    assert engine.moderate("做家教的只要男的，女的别来", role="host").categories == ("discrimination",)
