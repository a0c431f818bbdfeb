"""The rules page (standard 4.4.1 d) is generated from the filter's own categories and their legal sources
(moderation/rules.py), and docs/moderation.md's category table is generated from the same data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from governance.rules import JOB_RULES, LICENCES, ORG_RULES
from moderation.decision import CATEGORIES
from moderation.rules import CATEGORY_RULES, markdown_table
from recruiting.domain.rules import LICENCE_FOR_KIND, LICENCE_LABEL

DOC = Path(__file__).resolve().parents[2] / "docs" / "moderation.md"


def test_every_filter_category_has_a_rule_with_a_legal_source() -> None:
    assert tuple(rule.category for rule in CATEGORY_RULES) == CATEGORIES
    for rule in (*CATEGORY_RULES, *JOB_RULES, *ORG_RULES):
        assert rule.sources, rule
    assert all(rule.name and rule.prohibited and rule.handling for rule in CATEGORY_RULES)


def test_the_doc_table_is_generated_from_the_data() -> None:
    assert markdown_table() in DOC.read_text(encoding="utf-8"), \
        "docs/moderation.md's category table differs from moderation.rules.markdown_table(); paste it again"


def test_the_licence_table_mirrors_the_one_recruiting_enforces() -> None:
    """Until licences move into governance, the rules page and recruiting must not disagree (5.1.1)."""
    assert {kind: (name, job) for kind, (name, job, _) in LICENCES.items()} == {
        kind: (LICENCE_LABEL[kind], job) for job, kind in LICENCE_FOR_KIND.items()}


async def test_the_rules_page_lists_every_category_and_its_sources(client: Any) -> None:
    response = await client.get("/rules")
    assert response.status == 200 and response.content_type == "text/html"
    page = await response.text()
    for rule in CATEGORY_RULES:
        assert f'data-category="{rule.category}"' in page and rule.name in page
        for source in rule.sources:
            assert source.chinese() in page
    for rule in JOB_RULES:
        assert rule.text in page
    assert "博彩" in page.split('id="rules-industries-refused"')[1].split("</p>")[0]  # the industry list (5.1.3 b)
    assert "5 个工作日" in page
