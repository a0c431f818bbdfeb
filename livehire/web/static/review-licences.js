// Licence queue of the review desk (/review, standard 5.1.1, 4.2.3): pending licences and approved ones
// due for re-verification, with the evidence file; approve, reject or revoke with a reason. Platform
// reviewers and admins only (the routes refuse everyone else).
import { api, el, newestOnly } from "/static/common.js";

export const LICENCE_STATES = { pending: "待审核", verified: "已通过", rejected: "已驳回", expired: "已过期", revoked: "已吊销", lapsed: "逾期未复核（已暂停）" };

export function day(ms) {
  return ms ? new Date(ms).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" }) : "—";
}

/** The last valid day (valid_until is exclusive: the next day's start, China time). */
export function lastDay(ms) {
  return ms ? day(ms - 1) : "未记录";
}

function licenceCard(licence, reload, notice) {
  const reason = el("input", { class: "licence-reason", placeholder: "审核意见（驳回、吊销时必填）", maxlength: "500" });
  const decide = async (decision, done) => {
    try {
      await api(`/api/v1/review/licences/${encodeURIComponent(licence.id)}`, { method: "POST",
        body: { decision, reason: reason.value.trim() || null } });
      notice(`${done}：${licence.org_name} ${licence.kind_name}`);
      await reload();
    } catch (failure) { notice(`操作失败：${failure.message}`, "error"); }
  };
  const file = licence.file ? el("a", { class: "licence-file", target: "_blank", rel: "noopener",
    href: `/api/v1/orgs/${encodeURIComponent(licence.org)}/licences/${encodeURIComponent(licence.id)}/file` },
  `查看证照文件（${licence.file.content_type}，${Math.ceil(licence.file.size / 1024)} KB）`) : el("span", { class: "muted" }, "无证照文件（审核前录入）");
  const actions = [reason];
  if (licence.state === "pending") {
    actions.push(el("button", { type: "button", class: "licence-approve", onclick: () => decide("approve", "已通过") }, "通过"),
      el("button", { type: "button", class: "secondary licence-reject", onclick: () => decide("reject", "已驳回") }, "驳回"));
  } else if (licence.state === "verified" || licence.state === "lapsed") {
    actions.push(el("button", { type: "button", class: "licence-approve", onclick: () => decide("approve", "已复核通过") }, "复核通过"),
      el("button", { type: "button", class: "secondary licence-revoke", onclick: () => decide("revoke", "已吊销") }, "吊销"));
  }
  return el("article", { class: "review-card review-licence", "data-licence": licence.id, "data-state": licence.state },
    el("h3", {}, `${licence.org_name} · ${licence.kind_name}`, " ",
      el("span", { class: "badge licence-state" }, LICENCE_STATES[licence.state] || licence.state),
      licence.reverify_due ? el("span", { class: "badge warn" }, "待定期复核") : null),
    el("dl", { class: "review-facts" },
      el("dt", {}, "证照编号"), el("dd", {}, licence.number),
      el("dt", {}, "发证机关"), el("dd", {}, licence.authority || "—"),
      el("dt", {}, "有效期"), el("dd", { class: "licence-validity" }, `${day(licence.valid_from)} 至 ${lastDay(licence.valid_until)}`),
      el("dt", {}, "提交时间"), el("dd", {}, day(licence.created_at)),
      el("dt", {}, "证照文件"), el("dd", {}, file)),
    licence.reason ? el("p", { class: "muted" }, `上次审核意见：${licence.reason}`) : null,
    actions.length > 1 ? el("div", { class: "review-actions" }, ...actions) : null);
}

export function licenceSection(section, notice) {
  const filter = el("select", { id: "licence-filter" },
    el("option", { value: "pending" }, "待审核"), el("option", { value: "due" }, "待定期复核"),
    el("option", { value: "verified" }, "已通过"), el("option", { value: "lapsed" }, "逾期未复核"),
    el("option", { value: "all" }, "全部"));
  const list = el("div", { id: "review-licence-list" });
  const status = el("div", { id: "review-licence-status" });
  const ticket = newestOnly();
  async function reload() {
    const current = ticket();
    try {
      const { licences } = await api(`/api/v1/review/licences?state=${filter.value}`);
      if (!current()) return;
      list.replaceChildren(...(licences.length ? licences.map((l) => licenceCard(l, reload, (text, kind) => notice(status, text, kind)))
        : [el("p", { class: "muted", id: "review-licence-empty" }, "没有符合条件的证照")]));
    } catch (failure) { if (current()) notice(list, `加载失败：${failure.message}`, "error"); }
  }
  filter.addEventListener("change", reload);
  reload();
  return section("review-licences", "资质证照审核", el("div", { class: "office-filters" }, filter), status, list);
}
