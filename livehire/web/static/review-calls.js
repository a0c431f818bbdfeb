// Flagged call records on the review desk (/review, standard 5.1.3 d): a party of a virtual-number call asked
// the platform to look at it; the reviewer sees the call's record (times, outcome; never a number) and the
// reason, and settles it — upheld or dismissed — with a reason the flagger reads by their follow-up link.
import { api, el, newestOnly } from "/static/common.js";
import { chinaTime, STATUS_NAMES } from "/static/complaints.js";

const CAUSES = { normal_clearing: "正常挂断", binding_expired: "号码绑定已过期" };

function callCard(flag, reload, notice) {
  const reason = el("textarea", { class: "call-reason", rows: "2", maxlength: "2000", placeholder: "复核理由（必填，申请人可见）" });
  const settle = async (decision, done) => {
    if (!reason.value.trim()) { notice("请填写复核理由", "error"); return; }
    try {
      await api(`/api/v1/review/calls/${encodeURIComponent(flag.id)}`, { method: "POST",
        body: { decision, reason: reason.value.trim() } });
      notice(`${done}：${flag.target_id}`);
      await reload();
    } catch (failure) { notice(`操作失败：${failure.message}`, "error"); }
  };
  const call = flag.call || {};
  const open = ["received", "in_progress"].includes(flag.status);
  return el("article", { class: "review-card review-call", "data-complaint": flag.id, "data-call": flag.target_id },
    el("h3", {}, `通话 ${flag.target_id}`, " ", el("span", { class: "badge" }, STATUS_NAMES[flag.status] || flag.status),
      flag.overdue ? el("span", { class: "badge overdue" }, "已逾期") : null),
    el("p", { class: "call-flag-text" }, flag.text),
    el("dl", { class: "review-facts" },
      el("dt", {}, "机构"), el("dd", {}, call.org || flag.target_org || "—"),
      el("dt", {}, "岗位"), el("dd", {}, call.job_title || "—"),
      el("dt", {}, "呼叫时间"), el("dd", {}, call.started_at ? chinaTime(call.started_at) : "—"),
      el("dt", {}, "结果"), el("dd", {}, CAUSES[call.release_cause] || call.release_cause || "—"),
      el("dt", {}, "答复期限"), el("dd", {}, chinaTime(flag.deadline))),
    flag.reply ? el("p", { class: "call-settled" }, flag.reply) : null,
    open ? el("div", { class: "review-actions" }, reason,
      el("button", { type: "button", class: "call-uphold", onclick: () => settle("uphold", "已认定属实") }, "属实"),
      el("button", { type: "button", class: "secondary call-dismiss", onclick: () => settle("dismiss", "已认定无违规") }, "无违规")) : null);
}

export function callSection(section, notice) {
  const filter = el("select", { id: "call-filter" },
    el("option", { value: "received" }, "待处理"), el("option", { value: "answered" }, "已复核"), el("option", { value: "" }, "全部"));
  const list = el("div", { id: "review-call-list" });
  const status = el("div", { id: "review-call-status" });
  const ticket = newestOnly();
  async function reload() {
    const current = ticket();
    try {
      const { calls } = await api(`/api/v1/review/calls?status=${filter.value}`);
      if (!current()) return;
      list.replaceChildren(...(calls.length ? calls.map((flag) => callCard(flag, reload, (text, kind) => notice(status, text, kind)))
        : [el("p", { class: "muted", id: "review-call-empty" }, "没有申请复核的通话记录")]));
    } catch (failure) { if (current()) notice(list, `加载失败：${failure.message}`, "error"); }
  }
  filter.addEventListener("change", reload);
  reload();
  return section("review-calls", "通话记录复核", el("div", { class: "office-filters" }, filter), status, list);
}
