"""The web pages: HTML shells plus plain ES modules, no build step.

Each shell has fixed container ids that the feature modules mount into
(``#video-panel``, ``#chat-panel``, ``#job-panel`` …), so the media, chat and
recruiting code each own their own script file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from common.errors import NotFound
from governance.evaluation import parse_month
from governance.keys import GOVERNANCE
from governance.web_pages import org_html, rules_html
from livehire import keys
from livehire.settings import Settings

WEB_DIR = Path(__file__).with_name("web")
PAGES_DIR = WEB_DIR / "pages"
STATIC_DIR = WEB_DIR / "static"

_TITLES = {
    "index": "直播间",
    "live": "直播间",
    "studio": "主播控制台",
    "office": "招聘后台",
    "review": "审核台",
    "me": "我的求职",
    "login": "登录",
    "rules": "平台规则",
    "org": "机构信息公示",
    "complaint": "投诉举报",
    "complaint-follow": "投诉处理进度",
    "my-orgs": "机构入驻",
    "review-report": "月度服务评估报告",
    "replay": "直播回放",
}


@lru_cache(maxsize=16)
def _template(name: str) -> str:
    return (PAGES_DIR / f"{name}.html").read_text(encoding="utf-8")


_SLOT = re.compile(r"\{\{(\w+)\}\}")


def fill(template: str, values: Mapping[str, str]) -> str:
    """``{{name}}`` slots replaced in one pass: what goes in (escaped by the caller) is never scanned again."""
    return _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def footer_html(settings: Settings, room: str = "") -> str:
    """The disclosures every page carries (standard 4.2, 4.4.1 d/e; 人力资源市场暂行条例 §32): the complaint
    phone and e-mail, the platform's HR service licence and ICP filing numbers (a line each, hidden while its
    setting is empty), and links to the rules and the complaint form (about this room on a room page)."""
    esc = html.escape
    target = f"?target_type=room&target_id={quote(room, safe='')}" if room else ""
    contact = []
    if settings.complaint_phone:
        contact.append(f'投诉举报电话：<span id="footer-complaint-phone">{esc(settings.complaint_phone)}</span>')
    if settings.complaint_email:
        email = esc(settings.complaint_email)
        contact.append(f'投诉邮箱：<a id="footer-complaint-email" href="mailto:{email}">{email}</a>')
    contact.append(f'<a id="footer-complaint-link" href="/complaints/new{esc(target)}">{"投诉本直播间" if room else "在线投诉"}</a>')
    contact.append('<a id="footer-rules-link" href="/rules">平台规则</a>')
    lines = [" · ".join(contact)]
    licences = []
    if settings.platform_licence:
        licences.append(f'人力资源服务许可证：<span id="footer-licence">{esc(settings.platform_licence)}</span>')
    if settings.icp_number:
        licences.append(f'ICP 备案/许可证号：<span id="footer-icp">{esc(settings.icp_number)}</span>')
    if licences:
        lines.append(" · ".join(licences))
    return "\n".join(f"<p>{line}</p>" for line in lines)


def render_page(name: str, room: str = "", *, settings: Settings | None = None,
                slots: Mapping[str, str] | None = None, title: str | None = None) -> str:
    """The page ``name`` inside base.html; ``slots`` fill the page's own ``{{…}}`` (already escaped)."""
    body = fill(_template(name), {"room": html.escape(room), **(slots or {})})
    return fill(_template("base"), {
        "title": html.escape(title or _TITLES[name]), "page": name,
        "room": html.escape(room), "footer": footer_html(settings or Settings(), room), "body": body,
    })


def html_response(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", headers={"Cache-Control": "no-cache"})


def _page(request: web.Request, name: str) -> web.Response:
    return html_response(render_page(name, settings=request.app[keys.SETTINGS]))


async def index(request: web.Request) -> web.Response:
    return _page(request, "index")


async def office(request: web.Request) -> web.Response:
    return _page(request, "office")


async def review(request: web.Request) -> web.Response:
    return _page(request, "review")


async def review_report(request: web.Request) -> web.Response:
    """The monthly evaluation report (6.1, 6.2); review-report.js loads it for platform staff."""
    month = parse_month(request.match_info["month"])
    return html_response(render_page("review-report", settings=request.app[keys.SETTINGS], slots={"month": month}))


async def me(request: web.Request) -> web.Response:
    return _page(request, "me")


async def login(request: web.Request) -> web.Response:
    """Sign-in: job seekers by SMS code, organisation members and platform staff by password.

    The page reads ``?next=`` itself (login.js keeps only a local path); nothing of the query is
    rendered into the HTML.
    """
    return _page(request, "login")


async def _room_page(request: web.Request, name: str) -> web.Response:
    slug = request.match_info["room"]
    if await request.app[keys.ROOMS].get(slug) is None:
        raise NotFound("unknown_room", f"没有名为 {slug!r} 的直播间")
    return html_response(render_page(name, slug, settings=request.app[keys.SETTINGS]))


async def live(request: web.Request) -> web.Response:
    return await _room_page(request, "live")


async def studio(request: web.Request) -> web.Response:
    return await _room_page(request, "studio")


async def rules(request: web.Request) -> web.Response:
    """The public rules (standard 4.4.1 d), generated from the filter's categories and their legal sources."""
    gov = request.app[GOVERNANCE]
    content = rules_html(gov.industries, gov.config.working_days)
    return html_response(render_page("rules", settings=request.app[keys.SETTINGS], slots={"content": content}))


async def org_page(request: web.Request) -> web.Response:
    """An approved organisation's disclosures (人力资源市场暂行条例 §32); pending or rejected: 404."""
    settings = request.app[keys.SETTINGS]
    try:
        org = await request.app[GOVERNANCE].public_org(request.match_info["org"])
    except NotFound as missing:  # a person followed a link: a page, not a JSON error
        content = (f'<h1 id="org-missing">{html.escape(missing.message)}</h1>'
                   '<p class="muted">只有经平台审核通过的机构才会公示信息。<a href="/">返回首页</a></p>')
        return html_response(render_page("org", settings=settings, slots={"content": content}), status=404)
    clips = (f'<section class="panel" id="org-clips" data-org="{html.escape(str(org["id"]))}" hidden>'
             '<h2>岗位短视频</h2><ul id="org-clip-list"></ul></section>'
             '<script type="module" src="/static/org-clips.js"></script>')  # its clips (4.3.1 a)
    return html_response(render_page("org", settings=settings, title=str(org["name"]),
                                      slots={"content": org_html(org) + clips}))


async def complaint(request: web.Request) -> web.Response:
    """The public complaint form (4.4.1 e); complaints.js reads ``?target_type=&target_id=`` itself."""
    return _page(request, "complaint")


async def complaint_follow(request: web.Request) -> web.Response:
    """A complaint's progress by its follow-up link; the page asks the API with the token of its own URL
    (the link is the credential, as the API's; Referrer-Policy no-referrer keeps it off other sites)."""
    return _page(request, "complaint-follow")


async def my_orgs(request: web.Request) -> web.Response:
    """Organisation registration and its review state (5.1.3 a, b); the industry list is the deployment's
    (refused industries are not offered). The data needs a signed-in person (orgs.js)."""
    options = "".join(f'<option value="{html.escape(code)}">{html.escape(label)}</option>'
                      for code, (label, access) in request.app[GOVERNANCE].industries.items() if access != "refused")
    return html_response(render_page("my-orgs", settings=request.app[keys.SETTINGS],
                                      slots={"industry_options": options}))


async def replay(request: web.Request) -> web.Response:
    """A replay or clip (4.3.1 a); replay.js loads it through the API, which checks who may watch."""
    recording = request.match_info["id"]
    if not re.fullmatch(r"[0-9a-f]{32}", recording):
        raise NotFound("unknown_recording", "没有这个回放")
    return html_response(render_page("replay", settings=request.app[keys.SETTINGS], slots={"recording": recording}))


def install_pages(app: web.Application) -> None:
    app.router.add_get("/replay/{id}", replay)
    app.router.add_get("/", index)
    app.router.add_get("/live/{room}", live)
    app.router.add_get("/studio/{room}", studio)
    app.router.add_get("/office", office)
    app.router.add_get("/review", review)
    app.router.add_get("/review/reports/{month}", review_report)
    app.router.add_get("/me", me)
    app.router.add_get("/me/orgs", my_orgs)
    app.router.add_get("/login", login)
    app.router.add_get("/rules", rules)
    app.router.add_get("/orgs/{org}", org_page)
    app.router.add_get("/complaints/new", complaint)
    app.router.add_get("/complaints/follow/{token}", complaint_follow)
    app.router.add_static("/static/", STATIC_DIR, append_version=False)
