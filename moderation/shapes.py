"""Two family shapes of round 11 that a word list spells only one wording at a time.

- A career threat: "让你…(以后/这辈子)…进不去/找不到工作/混不下去" — whatever the trade or the place named between
  (哪家医院, 这个圈子, 整个工业园). Standard 5.1.3 d.
- A training loan: a course fee, then a loan or instalment word a few characters later ("学费两万分期",
  "培训费可以走花呗"). The hit covers the loan word, so a refusal right before it (不贷款, 不分期) clears it as any
  scheme's. 人力资源市场暂行条例 §27 (no profit in the name of recruitment); anti-fraud notices on 培训贷.
Each runs only when the automaton saw one of its anchors (lexicon.ANCHORS "career", "loan").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CAREER_ENDS = ("进不去", "找不到工作", "混不下去", "干不下去", "待不下去", "没饭吃", "找不到活", "没人敢要")
LOAN_WORDS = ("分期", "贷款", "月供", "花呗", "借呗", "网贷", "白条")
_CAREER = re.compile(
    "(?<!不会)(?<!不是)(?<!不想)让你(?:以后|这辈子|再也|从此)?[^，。！？]{0,10}?(?:"
    + "|".join(CAREER_ENDS)
    + ")"
)
_FEE_BEFORE = re.compile("(?:学费|培训费|课程费|课时费|报名费|考证费|学费用)[^。！？]{0,10}?$")


def career_threats(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """ "我让你以后哪家医院都进不去": a threat to the person's livelihood."""
    for m in _CAREER.finditer(folded):
        yield ("harassment", "block", m.start(), m.end(), "career threat")


def training_loans(folded: str) -> Iterator[tuple[str, str, int, int, str]]:
    """A course fee financed: the loan word after a fee word within ten characters."""
    for word in LOAN_WORDS:
        start = folded.find(word)
        while start >= 0:
            if _FEE_BEFORE.search(folded, max(0, start - 14), start) is not None:
                yield ("scam", "block", start, start + len(word), "training loan")
            start = folded.find(word, start + 1)
