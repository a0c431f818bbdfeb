"""The web pages: HTML shells plus plain ES modules, no build step.

Each shell has fixed container ids that the feature modules mount into
(``#video-panel``, ``#chat-panel``, ``#job-panel`` …), so the media, chat and
recruiting code each own their own script file.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

from aiohttp import web

from common.errors import NotFound
from livehire import keys

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
}


@lru_cache(maxsize=16)
def _template(name: str) -> str:
    return (PAGES_DIR / f"{name}.html").read_text(encoding="utf-8")


def render_page(name: str, room: str = "") -> str:
    body = _template(name).replace("{{room}}", html.escape(room))
    return (
        _template("base")
        .replace("{{title}}", html.escape(_TITLES[name]))
        .replace("{{page}}", name)
        .replace("{{room}}", html.escape(room))
        .replace("{{body}}", body)
    )


def _page(name: str) -> web.Response:
    return web.Response(text=render_page(name), content_type="text/html", headers={"Cache-Control": "no-cache"})


async def index(_request: web.Request) -> web.Response:
    return _page("index")


async def office(_request: web.Request) -> web.Response:
    return _page("office")


async def review(_request: web.Request) -> web.Response:
    return _page("review")


async def me(_request: web.Request) -> web.Response:
    return _page("me")


async def login(_request: web.Request) -> web.Response:
    """Sign-in: job seekers by SMS code, organisation members and platform staff by password.

    The page reads ``?next=`` itself (login.js keeps only a local path); nothing of the query is
    rendered into the HTML.
    """
    return _page("login")


async def _room_page(request: web.Request, name: str) -> web.Response:
    slug = request.match_info["room"]
    if await request.app[keys.ROOMS].get(slug) is None:
        raise NotFound("unknown_room", f"没有名为 {slug!r} 的直播间")
    return web.Response(
        text=render_page(name, slug), content_type="text/html", headers={"Cache-Control": "no-cache"}
    )


async def live(request: web.Request) -> web.Response:
    return await _room_page(request, "live")


async def studio(request: web.Request) -> web.Response:
    return await _room_page(request, "studio")


def install_pages(app: web.Application) -> None:
    app.router.add_get("/", index)
    app.router.add_get("/live/{room}", live)
    app.router.add_get("/studio/{room}", studio)
    app.router.add_get("/office", office)
    app.router.add_get("/review", review)
    app.router.add_get("/me", me)
    app.router.add_get("/login", login)
    app.router.add_static("/static/", STATIC_DIR, append_version=False)
