"""Interview invitations, candidates' replies and resumes through the moderation filter (standard 5.1.3 d).

The same filter as live chat and job posts: a *blocked* text (fees, diversion, harassment, discrimination…)
is refused with the categories named, logged and recorded in the ledger (``moderation.blocked``: the field
and the categories, never the text); a *doubtful* one (the filter's ``review``) is delivered, since a
candidate should not miss an invitation on a guess, and queued on the review desk with the filter's reasons
(``moderation.flagged``). Personal data does not count here: an invitation's place and contact are an
address and a phone by nature, and a reply goes to the employer only (its spans are blanked before the
filter decides, so the other categories are judged on the rest).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Final, Literal

from common.errors import Invalid
from moderation.engine import Moderator
from moderation.reasons import REASONS
from recruiting.domain.review import flags_of
from recruiting.ports import ContentReview
from recruiting.usecases.ledger import Ledgered

log = logging.getLogger("livehire.recruiting.screening")

What = Literal["invitation", "reply", "resume"]
FIELD_LABEL: Final[Mapping[str, str]] = {"place": "面试地点", "link": "线上链接", "contact": "联系人",
                                         "note": "回复留言", "resume": "简历内容", "name": "姓名"}
WHAT_LABEL: Final[Mapping[What, str]] = {"invitation": "面试邀请", "reply": "候选人回复", "resume": "简历"}
#: Who writes it, as the filter knows them (an invitation is the employer's text, a reply and a resume a job
#: seeker's; a resume is read by employers the seeker chose, so what the filter only doubts is not queued).
ROLE: Final[Mapping[What, tuple[str, str]]] = {"invitation": ("recruiter", "interview"), "reply": ("viewer", "chat"),
                                               "resume": ("viewer", "resume")}
NOT_COUNTED: Final = frozenset({"pii"})


def _without_personal_data(moderator: Moderator, text: str, role: str, context: str, org: str | None) -> Any:
    """The filter's decision on ``text`` with the personal-data spans blanked (they are expected here)."""
    decision = moderator.moderate(text, role=role, context=context, org=org)
    spans = [(m.start, m.end) for m in decision.matches if m.category in NOT_COUNTED]
    if not spans:
        return decision
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return moderator.moderate("".join(chars), role=role, context=context, org=org)


class TextScreen:
    """The filter over interview texts; ``moderator`` None: nothing is screened (tests of other things)."""

    def __init__(self, moderator: Moderator | None, ledgered: Ledgered, review: ContentReview | None) -> None:
        self._moderator = moderator
        self._ledgered = ledgered
        self._review = review

    async def check(self, what: What, fields: Mapping[str, str], *, org: str | None, subject: str,
                    actor: str) -> list[dict[str, Any]]:
        """Raises ``Invalid("text_not_allowed")`` (422) for a blocked field; returns the doubts (flags)."""
        if self._moderator is None:
            return []
        role, context = ROLE[what]
        flags: list[dict[str, Any]] = []
        for name, text in fields.items():
            if not text:
                continue
            decision = _without_personal_data(self._moderator, text, role, context, org)
            if decision.action == "block" and decision.categories:
                categories = list(decision.categories)
                log.warning("%s refused by the filter: subject=%s field=%s categories=%s", what, subject, name,
                            ",".join(categories))
                await self._ledgered.moderation("blocked", subject, {
                    "what": what, "field": name, "org": org, "categories": categories}, actor)
                names = "、".join(flag["label"] for flag in flags_of(decision))
                raise Invalid("text_not_allowed",
                              f"{WHAT_LABEL[what]}的{FIELD_LABEL.get(name, name)}含有禁止内容（{names}），未发送。"
                              + "".join(REASONS.get(c, "") for c in categories),
                              details={"field": name, "categories": categories})
            if decision.action == "review":
                flags.extend({**flag, "field": name} for flag in flags_of(decision))
        return flags

    async def flag(self, what: What, interview_id: str, org: str | None, flags: list[dict[str, Any]],
                   actor: str) -> str | None:
        """A delivered text the filter doubts: onto the review desk, and the ledger. Answers the queue item."""
        if not flags:
            return None
        reasons = "；".join(
            f"{FIELD_LABEL.get(flag['field'], flag['field'])}：{flag['label']}"
            + (f"（{'、'.join(flag['terms'])}）" if flag["terms"] else "") for flag in flags)
        item = None
        if self._review is not None:
            text = f"内容审核：{WHAT_LABEL[what]}已送达，过滤器存疑，请平台复核。面试 {interview_id}。原因：{reasons}"
            item = await self._review("interview", interview_id, org, text)
        log.info("%s delivered and flagged for review: interview=%s item=%s", what, interview_id, item)
        await self._ledgered.moderation("flagged", f"interview:{interview_id}", {
            "what": what, "org": org, "fields": sorted({flag["field"] for flag in flags}),
            "categories": sorted({flag["category"] for flag in flags}), "review_item": item}, actor)
        return item
