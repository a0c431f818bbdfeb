"""What the sender reads when a message is held or refused: one Chinese reason per category.

Kept apart from the engine (built once per Moderator, never per message); the review desk and
the resume screening quote the same reasons (``recruiting/usecases/screening.py``).
"""

from __future__ import annotations

from moderation.decision import CATEGORIES, Action

REASONS = {
    "fee": "招聘中不得以任何名义向求职者收取押金、服装费、体检费、培训费等费用（就业促进法第四十一条、人力资源市场暂行条例第二十七条）",
    "diversion": "请勿引导到站外联系或交易，报名和沟通请使用直播间功能",
    "harassment": "请文明发言，禁止辱骂、骚扰和威胁",
    "discrimination": "招聘不得有性别、年龄、民族、地域户籍、婚育、乙肝等歧视（就业促进法第二十六至三十一条、人力资源市场暂行条例第二十四条）",
    "pii": "请勿在公屏发布手机号、身份证号、住址、邮箱等个人信息",
    "scam": "禁止发布赌博、传销、刷单、培训贷、色情陪侍等违法招聘信息和虚假高薪、包就业承诺（人力资源市场暂行条例第二十四条、第二十七条，禁止传销条例第七条）",
}


def messages() -> dict[tuple[Action, tuple[str, ...]], str]:
    """Every (action, categories) → the Chinese explanation for the sender, built once."""
    out: dict[tuple[Action, tuple[str, ...]], str] = {}
    for bits in range(1, 1 << len(CATEGORIES)):
        categories = tuple(c for i, c in enumerate(CATEGORIES) if bits >> i & 1)
        reasons = "；".join(REASONS[c] for c in categories)
        out["block", categories] = f"消息未发送：{reasons}。"
        out["review", categories] = f"消息已提交人工审核，通过后才会显示。原因：{reasons}。"
        out["mask", categories] = "为保护个人信息，消息中的手机号、身份证号、住址或邮箱已打码显示。"
    return out
