"""The public governance pages' content, rendered on the server (every value escaped): the rules page
(standard 4.4.1 d) and an organisation's disclosures (人力资源市场暂行条例 §32).

Pure functions from data to an HTML fragment; ``livehire.pages`` puts a fragment into the site's shell
(header, footer). They need no script, so a regulator's crawler and a browser without JavaScript read the
same page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from governance.orgs import Access
from governance.rules import JOB_RULES, ORG_RULES, Rule, cited
from moderation.rules import CATEGORY_RULES


def _rules(rules: Iterable[Rule], list_id: str) -> str:
    items = "".join(f'<li>{escape(rule.text)}<br><small class="muted">依据：{escape(cited(rule.sources))}</small></li>'
                    for rule in rules)
    return f'<ol id="{list_id}" class="rules-list">{items}</ol>'


def rules_html(industries: Mapping[str, tuple[str, Access]], working_days: int) -> str:
    """The prohibited behaviours (the filter's categories), the job-information and organisation rules, the
    industry access list and how to complain."""
    rows = "".join(
        f'<tr data-category="{escape(rule.category)}"><th scope="row">{escape(rule.name)}</th>'
        f"<td>{escape(rule.prohibited)}</td><td>{escape(rule.handling)}</td>"
        f'<td class="rules-source">{escape(cited(rule.sources))}</td></tr>'
        for rule in CATEGORY_RULES)
    refused = "、".join(label for label, access in industries.values() if access == "refused") or "无"
    review = "、".join(label for label, access in industries.values() if access == "review") or "无"
    return f"""<h1>平台规则</h1>
<p class="muted">依据 T/BHRCA 0001—2024《直播带岗服务》4.4.1 d：直播间禁止实施的行为、岗位信息发布规则和企业信息发布规则。
直播间发言、岗位信息和企业信息都经过同一套自动审查；违规内容不予发布，可疑内容交平台审核员人工审核。</p>
<section class="panel" id="rules-prohibited" aria-labelledby="rules-prohibited-title">
<h2 id="rules-prohibited-title">直播间及招聘过程中的禁止行为</h2>
<table class="rules-table"><thead><tr><th>类别</th><th>禁止的行为</th><th>平台如何处理</th><th>依据</th></tr></thead>
<tbody>{rows}</tbody></table>
</section>
<section class="panel" id="rules-jobs" aria-labelledby="rules-jobs-title">
<h2 id="rules-jobs-title">岗位信息发布规则</h2>
{_rules(JOB_RULES, "rules-job-list")}
</section>
<section class="panel" id="rules-orgs" aria-labelledby="rules-orgs-title">
<h2 id="rules-orgs-title">机构入驻与行业准入</h2>
{_rules(ORG_RULES, "rules-org-list")}
<p id="rules-industries-refused">不予入驻的行业：{escape(refused)}</p>
<p id="rules-industries-review">须加强审核的行业：{escape(review)}</p>
</section>
<section class="panel" id="rules-complaints" aria-labelledby="rules-complaints-title">
<h2 id="rules-complaints-title">投诉举报</h2>
<p>发现违规行为，任何人无需登录即可<a href="/complaints/new">在线投诉举报</a>，也可使用页面底部的投诉电话和邮箱。
平台在受理后 {working_days} 个工作日内答复，投诉人可凭查询链接跟踪处理进度；被投诉的机构不参与处理。
依据：《T/BHRCA 0001—2024》4.4.1 e；《人力资源市场暂行条例》第29条。</p>
</section>"""


def _fact(label: str, value: Any, fact_id: str) -> str:
    shown = escape(str(value)) if value else '<span class="muted">未登记</span>'
    return f'<dt>{escape(label)}</dt><dd id="{fact_id}">{shown}</dd>'


def org_html(org: Mapping[str, Any]) -> str:
    """An approved organisation's §32 disclosures (``Governance.public_org``)."""
    licences = "".join(
        f'<li data-kind="{escape(held["kind"])}">{escape(held["name"])}：{escape(held["number"] or "（编号未登记）")}</li>'
        for held in org["licences"]) or '<li class="muted">暂无经平台审核的证照</li>'
    services = "".join(f"<li>{escape(service)}</li>" for service in org["services"])
    website = str(org.get("website") or "")
    linkable = website.lower().startswith(("http://", "https://"))
    site = (f'<a href="{escape(website)}" rel="nofollow noopener" id="org-website">{escape(website)}</a>'
            if linkable else f'<span id="org-website">{escape(website or "未登记")}</span>')
    phone = org.get("complaint_phone")
    email = org.get("complaint_email")
    channel = [f'平台投诉电话：<span id="org-complaint-phone">{escape(phone)}</span>' if phone else "",
               f'平台投诉邮箱：{escape(email)}' if email else "",
               f'<a id="org-complaint-link" href="{escape(org["complaint_url"])}">投诉该机构</a>']
    return f"""<h1 id="org-name">{escape(org["name"])}</h1>
<p class="muted">经平台审核的机构信息公示（《人力资源市场暂行条例》第32条）。</p>
<section class="panel" id="org-facts" aria-label="机构信息">
<dl class="org-facts">
{_fact("机构类型", org["kind_name"], "org-kind")}
{_fact("统一社会信用代码", org.get("credit_code"), "org-credit-code")}
{_fact("经营地址", org.get("address"), "org-address")}
<dt>网址</dt><dd>{site}</dd>
{_fact("所属行业", org.get("industry_name"), "org-industry")}
</dl>
</section>
<section class="panel" aria-labelledby="org-licences-title">
<h2 id="org-licences-title">营业执照与许可证</h2>
<ul id="org-licences">{licences}</ul>
</section>
<section class="panel" aria-labelledby="org-services-title">
<h2 id="org-services-title">服务项目</h2>
<ul id="org-services">{services}</ul>
<h2>收费情况</h2>
<p id="org-fees">{escape(org["fees"])}</p>
</section>
<section class="panel" aria-labelledby="org-oversight-title">
<h2 id="org-oversight-title">监督与投诉</h2>
<p>监督机关：<span id="org-authority">{escape(org["supervising_authority"])}</span></p>
<p>{" · ".join(part for part in channel if part)}</p>
</section>"""
