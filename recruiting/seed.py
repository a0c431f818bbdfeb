"""Demo jobs for ``livehire serve``: the lead's demo seed calls :func:`seed_demo_jobs`.

The demo organisation is an HR agency, so it gets a verified business
licence and HR service licence (standard 5.1.1) and an own job plus two
agency (代招) jobs, each naming its client company and a mandate number. Idempotent: a second call changes nothing.
"""

from __future__ import annotations

from common.clock import now_ms
from recruiting.repositories.jobs import JobRepository
from store.engine import Store

DEMO_JOBS = (
    ("demo-job-sorter", "仓库分拣员", "顺达物流（北京）有限公司", "agency", "北京市大兴区", 6000, 8000, 30,
     "身体健康，能适应两班倒", "五险一金、包工作餐、夜班补贴"),
    ("demo-job-service", "在线客服专员", "示范人力资源服务有限公司", "own", "北京市朝阳区", 5500, 7500, 10,
     "普通话标准，会基本电脑操作", "五险一金、带薪年假、周末双休"),
    ("demo-job-assembler", "电子装配工", "华北精密电子有限公司", "agency", "天津市西青区", 6500, 9000, 50,
     "视力良好，能接受站立工作", "包住宿、五险一金、满勤奖"),
)
VALIDITY_MS = 90 * 24 * 3600 * 1000


async def seed_demo_jobs(store: Store, org_id: str) -> None:
    """Creates the demo licences and jobs of ``org_id`` unless they already exist."""
    repo = JobRepository(store)
    held = {q["kind"] for q in await repo.qualifications(org_id)}
    for kind, number in (("business_licence", "91110105MA01DEMO1X"), ("hr_service_licence", "京人服证字〔2024〕第0001号")):
        if kind not in held:
            await repo.add_qualification(org_id, kind, number, state="verified")
    existing = {job["id"] for job in await repo.of_org(org_id)}
    now = now_ms()
    for job_id, title, employer, kind, location, low, high, headcount, requirements, benefits in DEMO_JOBS:
        if job_id in existing:
            continue
        await repo.create(
            org_id,
            {
                "id": job_id, "title": title, "employer": employer, "kind": kind, "location": location,
                "salary_min": low, "salary_max": high, "headcount": headcount, "requirements": requirements,
                "benefits": benefits, "valid_from": now - 60_000, "valid_until": now + VALIDITY_MS,
                **({"client_company": employer, "mandate_ref": f"WT-DEMO-{job_id}"} if kind == "agency" else {}),
            },
            created_by="seed",
        )
