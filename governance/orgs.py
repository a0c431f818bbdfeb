"""Organisation registration and enterprise review, without I/O (standard 5.1.3 a, b; 人力资源市场暂行条例 §32).

Theory of operation. A signed-in person registers an organisation: name, unified social credit code
(check character verified, :mod:`governance.credit_code`), address, optional website, contact phone and an
industry. The industry list (5.1.3 b) says per industry ``allowed``, ``review`` (the reviewer is shown that
the industry needs a closer look) or ``refused`` (refused at registration, with the reason). The
organisation is ``pending`` until a platform reviewer approves it (the registrant becomes its admin member)
or rejects it with a reason. A change of enterprise information by the organisation's admin puts it back to
``pending`` until the change is approved (applied) or rejected (the approved profile stays). Organisations
made before this review existed (the demo seed, ``livehire orgs create``) are ``approved``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from common.clean_text import INVALID_TEXT_MESSAGE, unusable
from common.errors import Forbidden, Invalid
from governance.credit_code import normalize_credit_code

Access = Literal["allowed", "review", "refused"]
State = Literal["pending", "approved", "rejected"]
Decision = Literal["approve", "reject"]
KINDS: Final = ("employer", "hr_agency", "dispatch")

#: Industry code → (label, access). A deployment overrides or adds entries (settings ``industry_access``).
DEFAULT_INDUSTRIES: Final[Mapping[str, tuple[str, Access]]] = {
    "manufacturing": ("制造业", "allowed"),
    "logistics": ("交通运输、仓储和物流", "allowed"),
    "retail": ("批发和零售", "allowed"),
    "catering": ("住宿和餐饮", "allowed"),
    "construction": ("建筑业", "allowed"),
    "it": ("信息传输、软件和信息技术服务", "allowed"),
    "services": ("居民服务和其他服务", "allowed"),
    "agriculture": ("农林牧渔", "allowed"),
    "public": ("公共管理和社会组织", "allowed"),
    "hr_services": ("人力资源服务", "review"),
    "education": ("教育培训", "review"),
    "finance": ("金融", "review"),
    "real_estate": ("房地产", "review"),
    "healthcare": ("卫生和医疗美容", "review"),
    "entertainment": ("文化娱乐", "review"),
    "gambling": ("博彩", "refused"),
    "pyramid_selling": ("传销、非法集资", "refused"),
}
#: Fields of the enterprise information, and those a change may name.
FIELDS: Final = ("name", "credit_code", "address", "website", "contact_phone", "industry")
_PHONE: Final = re.compile(r"[0-9+\- ]{7,20}")
_WEBSITE: Final = re.compile(r"https?://[^\s/$.?#][^\s]{2,190}", re.IGNORECASE)


def industries(overrides: tuple[tuple[str, str], ...] = ()) -> dict[str, tuple[str, Access]]:
    """The defaults with a deployment's overrides (``code=access``; a new code is its own label)."""
    table = dict(DEFAULT_INDUSTRIES)
    for code, access in overrides:
        label = table[code][0] if code in table else code
        table[code] = (label, access)  # type: ignore[assignment]  # settings validated the access
    return table


def industry_access(code: object, table: Mapping[str, tuple[str, Access]]) -> Access:
    """``allowed`` or ``review``; a refused industry is :class:`Forbidden` (5.1.3 b), an unknown one Invalid."""
    if not isinstance(code, str) or code not in table:
        raise Invalid("invalid_industry", "请选择所属行业：" + "、".join(f"{k}（{v[0]}）" for k, v in table.items()
                                                                  if v[1] != "refused"))
    label, access = table[code]
    if access == "refused":
        raise Forbidden("industry_refused", f"本平台不接受“{label}”行业的机构入驻（行业准入审查，标准 5.1.3 b）")
    return access


def _text(raw: object, field: str, low: int, high: int, label: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise Invalid(f"invalid_{field}", f"请填写{label}")
    text = " ".join(raw.split())
    if unusable(text):
        raise Invalid("invalid_text", INVALID_TEXT_MESSAGE)
    if not low <= len(text) <= high:
        raise Invalid(f"invalid_{field}", f"{label}须为 {low}-{high} 个字符")
    return text


def _field(name: str, raw: object, table: Mapping[str, tuple[str, Access]]) -> str | None:
    if name == "name":
        return _text(raw, "name", 2, 100, "机构名称")
    if name == "credit_code":
        return normalize_credit_code(raw)
    if name == "address":
        return _text(raw, "address", 5, 200, "经营地址")
    if name == "website":
        if raw is None or raw == "":
            return None
        website = _text(raw, "website", 10, 200, "公司网址")
        if not _WEBSITE.fullmatch(website):
            raise Invalid("invalid_website", "公司网址须以 http:// 或 https:// 开头")
        return website
    if name == "contact_phone":
        phone = _text(raw, "contact_phone", 7, 20, "联系电话")
        if not _PHONE.fullmatch(phone):
            raise Invalid("invalid_contact_phone", "联系电话只能包含数字、+、- 和空格")
        return phone
    industry_access(raw, table)
    return str(raw)


@dataclass(frozen=True, slots=True)
class Registration:
    name: str
    credit_code: str
    address: str
    website: str | None
    contact_phone: str
    industry: str
    access: Access
    kind: str

    def fields(self) -> dict[str, str | None]:
        return {name: getattr(self, name) for name in FIELDS}


def parse_registration(body: Mapping[str, Any], table: Mapping[str, tuple[str, Access]]) -> Registration:
    values = {name: _field(name, body.get(name), table) for name in FIELDS}
    kind = body.get("kind", "employer")
    if kind not in KINDS:
        raise Invalid("invalid_kind", f"机构类型须为 {', '.join(KINDS)} 之一")
    industry = str(values["industry"])
    return Registration(str(values["name"]), str(values["credit_code"]), str(values["address"]), values["website"],
                        str(values["contact_phone"]), industry, industry_access(industry, table), str(kind))


def parse_change(body: Mapping[str, Any], table: Mapping[str, tuple[str, Access]]) -> dict[str, str | None]:
    """The fields a change names (at least one); each checked like a registration's."""
    unknown = sorted(set(body) - set(FIELDS))
    if unknown:
        raise Invalid("invalid_field", f"不能修改的字段：{', '.join(unknown)}")
    change = {name: _field(name, body[name], table) for name in FIELDS if name in body}
    if not change:
        raise Invalid("empty_change", "请至少修改一项企业信息")
    return change


def parse_decision(body: Mapping[str, Any]) -> tuple[Decision, str | None]:
    decision = body.get("decision")
    if decision not in ("approve", "reject"):
        raise Invalid("invalid_decision", "decision 须为 approve 或 reject")
    reason = body.get("reason")
    if reason is None or reason == "":
        if decision == "reject":
            raise Invalid("reason_required", "驳回须写明理由")
        return decision, None
    return decision, _text(reason, "reason", 2, 500, "理由")
