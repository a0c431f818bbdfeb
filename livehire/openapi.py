"""The OpenAPI document at /api/v1/openapi.json, merged from every part's paths."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from livehire import keys


def build_document(path_groups: list[dict[str, Any]]) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for group in path_groups:
        for path, operations in group.items():
            paths.setdefault(path, {}).update(operations)
    return {
        "openapi": "3.1.0",
        "info": {"title": "livehire API", "version": "1"},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
                        }
                    },
                }
            },
        },
        "paths": dict(sorted(paths.items())),
    }


async def openapi_json(request: web.Request) -> web.Response:
    return web.json_response(build_document(request.app[keys.OPENAPI_PATHS]))


def install_openapi(app: web.Application) -> None:
    app.router.add_get("/api/v1/openapi.json", openapi_json)
