"""Role- and meaning-aware decisions (standard 5.1.3 d, 4.4.1 c; docs/moderation.md)."""

from __future__ import annotations

import time

import pytest

from moderation.decision import CATEGORIES, MASK_CHAR, Decision
from moderation.engine import Moderator
from moderation.lexicon import Entry, Lexicon

pytestmark = pytest.mark.clause("5.1.3 d")


@pytest.mark.parametrize(
    ("text", "role", "action", "categories"),
    [
        # the examples
        ("请问要交服装费吗？", "viewer", "allow", ()),
        ("入职先交两百押金", "host", "block", ("fee",)),  # 就业促进法 §41
        ("全程免费，不收一分钱", "host", "allow", ()),
        ("不限性别", "host", "allow", ()),
        ("能用微信收工资吗", "viewer", "allow", ()),
        ("能用微信收工资吗", "host", "allow", ()),
        ("我电话13812345678", "viewer", "mask", ("pii",)),
        ("电话13812345678", "host", "block", ("diversion", "pii")),
        ("加我微信详聊", "recruiter", "block", ("diversion",)),
        ("想找工作的加我微信", "viewer", "review", ("diversion",)),  # 个人信息保护法 §24: a human decides
        ("押金的事情等会再说", "host", "review", ("fee",)),
        ("限男性", "host", "block", ("discrimination",)),  # 妇女权益保障法 §43
        ("是不是只要女生？", "viewer", "allow", ()),
        ("年龄18-35岁", "host", "review", ("discrimination",)),
        ("主播是傻逼", "viewer", "block", ("harassment",)),
        ("主播是傻逼", "host", "block", ("harassment",)),
        ("刷单是骗人的吧？", "viewer", "allow", ()),
        ("在家刷单，日结200", "viewer", "block", ("fee", "scam")),  # a fee scheme and harmful content (issue 14)
    ],
)
def test_rules(moderator: Moderator, text: str, role: str, action: str, categories: tuple[str, ...]) -> None:
    decision = moderator.moderate(text, role=role)
    assert (decision.action, decision.categories) == (action, categories)
    assert (decision.message == "") == (action == "allow")


@pytest.mark.clause("5.1.3 c")
def test_job_context_is_the_employer_speaking(moderator: Moderator) -> None:
    text = "【普工】入职交押金300"
    assert moderator.moderate(text, role="viewer", context="job").action == "block"


@pytest.mark.clause("4.4.1 c")
def test_mask_replaces_exactly_the_original_span(moderator: Moderator) -> None:
    text = "我的手机号是 139-1234-5678 谢谢"
    decision = moderator.moderate(text)
    (match,) = decision.matches
    assert text[match.start : match.end] == "139-1234-5678"
    assert decision.text == text[: match.start] + MASK_CHAR * 13 + text[match.end :]
    assert len(decision.text) == len(text)


@pytest.mark.clause("4.4.1 c")
def test_mask_with_evasive_digits_and_emoji(moderator: Moderator) -> None:
    text = "👋我手机一三八①②③４５６7⃣8⃣哦"
    decision = moderator.moderate(text)
    assert decision.action == "mask"
    (match,) = decision.matches
    assert text[match.start : match.end] == "一三八①②③４５６7⃣8⃣"
    assert decision.text.startswith("👋我手机＊") and decision.text.endswith("＊哦")


def test_block_keeps_original_text_and_spans_point_at_it(moderator: Moderator) -> None:
    text = "加 Ｖ ❤ 信 详聊"
    decision = moderator.moderate(text, role="host")
    assert decision.action == "block"
    assert decision.text == text
    assert [text[m.start : m.end] for m in decision.matches] == ["加 Ｖ ❤ 信"]


@pytest.mark.clause("4.4.1 c")
def test_viewer_phone_with_diversion_is_held_but_masked(moderator: Moderator) -> None:
    decision = moderator.moderate("要岗位的加我13812345678")
    assert decision.action == "review"
    assert decision.categories == ("diversion", "pii")
    assert "13812345678" not in decision.text


def test_to_json_shape(moderator: Moderator) -> None:
    data = moderator.moderate("我电话13812345678").to_json()
    assert set(data) == {"action", "categories", "text", "matches"}
    assert data["matches"] == [{"category": "pii", "start": 3, "end": 14, "term": "phone"}]


def test_add_terms_globally_takes_effect_immediately() -> None:
    moderator = Moderator(Lexicon([Entry("fee", "item", "押金")]))
    assert moderator.moderate("入职交门禁卡钱两百", role="host").action == "allow"
    moderator.add_terms("fee", ["门禁卡钱"])
    assert moderator.moderate("入职交門禁卡錢两百", role="host").action == "block"  # same normaliser


def test_add_terms_per_organisation() -> None:
    moderator = Moderator(Lexicon())
    moderator.add_terms("harassment", ["内部黑话"], org="acme")
    assert moderator.moderate("内部黑话", org="acme").action == "block"
    assert moderator.moderate("内部黑话", org="other").action == "allow"
    assert moderator.moderate("内部黑话").action == "allow"


def test_add_terms_rejects_unknown_category(moderator: Moderator) -> None:
    with pytest.raises(ValueError, match="unknown category"):
        moderator.add_terms("spam", ["x"])


def test_shipped_lexicons_cover_every_category(moderator: Moderator) -> None:
    present = {e.category for e in moderator.lexicon.entries()}
    assert set(CATEGORIES) <= present


def test_latin_terms_need_word_boundaries(moderator: Moderator) -> None:
    assert moderator.moderate("usb接口坏了").action == "allow"
    assert moderator.moderate("s b").action == "block"


def test_decision_is_frozen(moderator: Moderator) -> None:
    decision = moderator.moderate("你好")
    assert decision == Decision("allow", (), "你好", (), "")
    with pytest.raises(AttributeError):
        decision.action = "block"  # type: ignore[misc]


@pytest.mark.parametrize(
    "text",
    ["a" * 4000 + "@", "a." * 2000 + "@b", "我家住" + "a1" * 2000, "1" * 4000, "一二三" * 1300,
     "加微信" + "a" * 4000, "18" * 2000 + "岁", "只要" + "x" * 4000 + "女", "押" * 4000],
)  # fmt: skip
@pytest.mark.clause("4.4.1 a")
def test_long_adversarial_input_stays_linear(moderator: Moderator, text: str) -> None:
    """The filter runs inline on every message: no regex may go quadratic (4.4.1 a)."""
    started = time.perf_counter()
    moderator.moderate(text, role="host")
    assert time.perf_counter() - started < 0.1


def test_email_found_from_the_at_sign(moderator: Moderator) -> None:
    text = "简历发我邮箱 hr_zhang@163.com 谢谢"
    (match,) = [m for m in moderator.moderate(text, role="host").matches if m.term == "email"]  # 简历发我: diversion too
    assert text[match.start : match.end] == "hr_zhang@163.com"
