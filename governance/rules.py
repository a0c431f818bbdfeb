"""The publication rules the platform publishes (standard 4.4.1 d, 5.1.1, 5.1.3; 人力资源市场暂行条例 §24, §26,
§32), as data for the rules page and the public organisation page.

The prohibited behaviours come from the filter's own table (:data:`moderation.rules.CATEGORY_RULES`); the
job-information rules, the licences and what each allows, and what an organisation's page must say are
here. The licence table mirrors recruiting's (``recruiting.domain.LICENCE_FOR_KIND``, which enforces it on
every job post); a test keeps the two equal until licences move into governance (issue 13).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from moderation.rules import STANDARD, Source


@dataclass(frozen=True, slots=True)
class Rule:
    text: str  # Chinese
    sources: tuple[Source, ...]


_NOTICE: Final = Source("五部门关于平台招聘信息发布的联合通知", reported=True,
                        law_en="five-ministry notice on platform job posts")

JOB_RULES: Final[tuple[Rule, ...]] = (
    Rule("岗位信息须真实、合法，写明用人单位、岗位名称、招聘人数、岗位要求、工作地点和基本薪资（薪资区间）。",
         (Source("人力资源市场暂行条例", ("24",)),)),
    Rule("岗位须注明有效期，过期后不再展示。", (_NOTICE,)),
    Rule("不得含有民族、种族、性别、宗教、户籍或地域、年龄、婚育、健康（如乙肝病原携带）等歧视性内容。",
         (Source("就业促进法", ("3", "26–31")), Source("人力资源市场暂行条例", ("11", "24")),
          Source("妇女权益保障法", ("43",)))),
    Rule("不得以任何名义向求职者收取费用，不得扣押求职者的身份证件。",
         (Source("就业促进法", ("41",)), Source("人力资源市场暂行条例", ("27",)))),
    Rule("不得在岗位信息或直播中公开联系方式、引导求职者到平台以外联系，不得作“高薪”“保录取”等夸大宣传。",
         (Source(STANDARD, ("5.1.3 d",)), _NOTICE)),
    Rule("发布本单位岗位须有经审核的营业执照，发布代招岗位须有人力资源服务许可证，发布劳务派遣岗位须有劳务派遣经营许可证。",
         (Source(STANDARD, ("5.1.1",)),)),
    Rule("代招岗位须写明委托的用人单位，并留存委托书等材料备查。", (Source("人力资源市场暂行条例", ("26",)),)),
    Rule("开展直播带岗活动的机构须持有人力资源服务许可证。", (Source(STANDARD, ("4.2.3",)),)),
    Rule("岗位信息与直播间发言均经过自动审查，违规内容不予发布，可疑内容交人工审核。",
         (Source(STANDARD, ("5.1.3 c", "5.1.3 d")),)),
)

ORG_RULES: Final[tuple[Rule, ...]] = (
    Rule("机构入驻须提交名称、统一社会信用代码、经营地址、网址（如有）、联系电话和所属行业，经平台审核通过后方可招聘；"
         "企业信息变更须重新审核。", (Source(STANDARD, ("5.1.3 a",)),)),
    Rule("风险行业须经准入审查，部分行业不予入驻（见下表）。", (Source(STANDARD, ("5.1.3 b",)),)),
    Rule("已审核通过的机构在其公开页面展示营业执照、许可证、服务项目、收费情况、监督机关和投诉电话。",
         (Source("人力资源市场暂行条例", ("32",)),)),
)

#: Licence kind → (its name, the job kind it allows, that kind's name) (standard 5.1.1).
LICENCES: Final[dict[str, tuple[str, str, str]]] = {
    "business_licence": ("营业执照", "own", "本单位招聘岗位"),
    "hr_service_licence": ("人力资源服务许可证", "agency", "代理招聘（代招）岗位"),
    "labour_dispatch_licence": ("劳务派遣经营许可证", "dispatch", "劳务派遣岗位"),
}
KIND_NAMES: Final[dict[str, str]] = {"employer": "用人单位", "hr_agency": "人力资源服务机构", "dispatch": "劳务派遣单位"}
#: What an organisation's page says about fees (§32 收费项目): the platform allows no fee to job seekers.
FEES_TO_SEEKERS: Final = "通过本平台向求职者提供的招聘服务一律免费，不收取押金、服装费、体检费、培训费、介绍费等任何费用。"
#: The supervising authority when the deployment names none (§32 监督机关).
DEFAULT_AUTHORITY: Final = "机构所在地县级以上人民政府人力资源社会保障行政部门"


def services(kind: str, licences: Iterable[str]) -> list[str]:
    """The services an organisation offers on the platform (§32 服务项目), from what it holds."""
    offered = ["通过直播间发布岗位信息、与求职者互动答疑、接收简历并邀约面试"]
    for licence in licences:
        if licence in LICENCES:
            offered.append(f"发布{LICENCES[licence][2]}")
    if kind == "hr_agency":
        offered.append("职业介绍与就业指导")
    return list(dict.fromkeys(offered))


def cited(sources: Iterable[Source]) -> str:
    return "；".join(source.chinese() for source in sources)
