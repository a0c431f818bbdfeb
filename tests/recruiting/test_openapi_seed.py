"""The OpenAPI paths match the routes exactly; the demo seed is idempotent and lawful (5.1.1)."""

from __future__ import annotations

from aiohttp import web

from identity.principal import ANONYMOUS
from recruiting.seed import seed_demo_jobs
from recruiting.service import RecruitingService
from recruiting.web.http import install_recruiting
from recruiting.web.openapi import paths
from store.engine import Store
from store.orgs import OrgRepository


def test_openapi_documents_every_route_and_nothing_else(service: RecruitingService) -> None:
    app = web.Application()
    install_recruiting(app, service, authenticate=lambda _request: ANONYMOUS)
    served = {
        (route.resource.canonical, route.method.lower())
        for route in app.router.routes()
        if route.resource is not None and route.method != "HEAD"
    }
    documented = {(path, method) for path, operations in paths().items() for method in operations}
    assert served == documented
    for operations in paths().values():
        for operation in operations.values():
            assert operation["summary"] and operation["responses"]


async def test_demo_jobs_seed_once(service: RecruitingService, store: Store) -> None:
    await OrgRepository(store).create_org("demo-org", "示范人力资源服务有限公司")
    await seed_demo_jobs(store, "demo-org")
    await seed_demo_jobs(store, "demo-org")
    jobs = await service.jobs.published()
    assert sorted(job["kind"] for job in jobs) == ["agency", "agency", "own"]
    assert len(await service.jobs.qualifications("demo-org")) == 2
