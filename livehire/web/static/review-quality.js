// Evaluation and improvement on the review desk (/review, standard 6.1, 6.2): quality figures per
// organisation and host for a month, with bar charts; rating comments the filter held; corrective actions
// with owner and follow-up date (record, done with outcome, verify, reopen). Platform staff only.
import { api, el, newestOnly } from "/static/common.js";

export const FIGURE_NAMES = {
  blocked_rate: "违规消息率", complaints_per_1000_viewers: "千人投诉数", first_response_median_s: "首次响应（中位）",
  satisfaction: "满意度",
};
const ACTION_STATES = { open: "整改中", done: "已完成待复核", verified: "已复核" };
const SVG = "http://www.w3.org/2000/svg";

export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  for (const child of children) if (child) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

export function thisMonth() {
  return new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" }).slice(0, 7);
}

export function shown(name, value) {
  if (value === null || value === undefined) return "—";
  if (name === "blocked_rate") return `${(value * 100).toFixed(1)}%`;
  if (name.endsWith("_s")) return value >= 3600 ? `${(value / 3600).toFixed(1)} 小时` : `${Math.round(value / 60)} 分钟`;
  return String(value);
}

/** A horizontal bar chart of one figure over rows (organisations or hosts); rows without it are left out. */
export function barChart(id, title, rows, name, label) {
  const data = rows.filter((row) => row[name] !== null && row[name] !== undefined);
  const max = Math.max(...data.map((row) => row[name]), name === "satisfaction" ? 5 : 0) || 1;
  const height = 22 * data.length + 24;
  const chart = svg("svg", { id, class: "bar-chart", role: "img", "aria-label": title, viewBox: `0 0 420 ${height}`,
    width: "420", height: String(height) }, svg("title", {}, title));
  data.forEach((row, index) => {
    const y = 20 + index * 22;
    const width = Math.max(2, Math.round((row[name] / max) * 240));
    chart.append(svg("text", { x: 0, y: y + 13, "font-size": 12 }, label(row).slice(0, 12)),
      svg("rect", { x: 130, y, width, height: 16, fill: row.attention && row.attention.includes(name) ? "#c0392b" : "#2e86c1",
        "data-row": label(row), "data-value": row[name] }),
      svg("text", { x: 136 + width, y: y + 13, "font-size": 12 }, shown(name, row[name])));
  });
  chart.prepend(svg("text", { x: 0, y: 12, "font-size": 13, "font-weight": "bold" }, title));
  return chart;
}

function figuresTable(id, rows, first, label) {
  const head = el("tr", {}, el("th", {}, first), el("th", {}, "场次"), el("th", {}, "观众"), el("th", {}, "违规消息率"),
    el("th", {}, "投诉"), el("th", {}, "千人投诉数"), el("th", {}, "投递"), el("th", {}, "首次响应（中位）"),
    el("th", {}, "未响应"), el("th", {}, "满意度（票数）"), el("th", {}, "需关注"));
  return el("table", { id, class: "quality-table" }, head, ...rows.map((row) => el("tr", { "data-key": label(row) },
    el("td", {}, label(row)), el("td", {}, row.sessions), el("td", {}, row.viewers),
    el("td", {}, shown("blocked_rate", row.blocked_rate)), el("td", {}, row.complaints),
    el("td", {}, shown("x", row.complaints_per_1000_viewers)), el("td", {}, row.applications),
    el("td", {}, shown("first_response_median_s", row.first_response_median_s)), el("td", {}, row.unanswered),
    el("td", {}, `${shown("x", row.satisfaction)}（${row.ratings}）`),
    el("td", { class: "quality-attention" }, row.attention.map((n) => FIGURE_NAMES[n]).join("、") || "—"))));
}

function heldCard(rating, reload, status) {
  const settle = async (decision) => {
    try {
      await api(`/api/v1/review/ratings/${rating.id}`, { method: "POST", body: { decision } });
      await reload();
    } catch (failure) { status(`操作失败：${failure.message}`, "error"); }
  };
  return el("article", { class: "review-card held-rating", "data-rating": rating.id },
    el("p", {}, `${rating.score} 分：${rating.comment}`),
    el("div", { class: "review-actions" },
      el("button", { type: "button", class: "held-show", onclick: () => settle("show") }, "显示"),
      el("button", { type: "button", class: "secondary held-remove", onclick: () => settle("remove") }, "删除评语")));
}

export function qualitySection(section, notice) {
  const month = el("input", { type: "month", id: "quality-month", value: thisMonth() });
  const body = el("div", { id: "quality-body" });
  const held = el("div", { id: "quality-held" });
  const status = el("div", { id: "quality-status" });
  const report = el("a", { id: "quality-report-link", href: `/review/reports/${month.value}` }, "月度评估报告");
  const ticket = newestOnly();
  async function reload() {
    const current = ticket();
    report.setAttribute("href", `/review/reports/${month.value}`);
    try {
      const figures = await api(`/api/v1/review/quality?month=${month.value}`);
      if (!current()) return;
      const orgLabel = (row) => row.name || row.org;
      body.replaceChildren(
        el("p", { id: "quality-platform" }, `全平台：${figures.platform.sessions} 场直播，${figures.platform.viewers} 位观众，`
          + `违规消息率 ${shown("blocked_rate", figures.platform.blocked_rate)}，投诉 ${figures.platform.complaints} 件，`
          + `满意度 ${shown("x", figures.platform.satisfaction)}`),
        el("div", { class: "chart-row" },
          barChart("chart-complaints", "千人投诉数（按机构）", figures.orgs, "complaints_per_1000_viewers", orgLabel),
          barChart("chart-blocked", "违规消息率（按机构）", figures.orgs, "blocked_rate", orgLabel),
          barChart("chart-satisfaction", "满意度（按机构）", figures.orgs, "satisfaction", orgLabel)),
        el("h3", {}, "按机构"), figuresTable("quality-orgs", figures.orgs, "机构", orgLabel),
        el("h3", {}, "按主播"), figuresTable("quality-hosts", figures.hosts, "主播", (row) => row.host));
      const { ratings } = await api("/api/v1/review/ratings");
      if (!current()) return;
      held.replaceChildren(el("h3", {}, `待审核的评语（${ratings.length}）`),
        ...ratings.map((r) => heldCard(r, reload, (text, kind) => notice(status, text, kind))));
    } catch (failure) { if (current()) notice(status, `加载失败：${failure.message}`, "error"); }
  }
  month.addEventListener("change", reload);
  reload();
  return section("review-quality", "服务质量评价", el("div", { class: "office-filters" }, month, " ", report),
    status, body, held);
}

function actionCard(action, reload, status) {
  const outcome = el("input", { class: "action-outcome", placeholder: "整改结果（完成时必填）", maxlength: "1000" });
  const step = async (name) => {
    try {
      await api(`/api/v1/review/actions/${encodeURIComponent(action.id)}`, { method: "POST",
        body: { step: name, outcome: outcome.value.trim() || null } });
      await reload();
    } catch (failure) { status(`操作失败：${failure.message}`, "error"); }
  };
  const buttons = {
    open: [outcome, el("button", { type: "button", class: "action-done", onclick: () => step("done") }, "完成整改")],
    done: [el("button", { type: "button", class: "action-verify", onclick: () => step("verify") }, "复核通过"),
      el("button", { type: "button", class: "secondary action-reopen", onclick: () => step("reopen") }, "重新整改")],
    verified: [el("button", { type: "button", class: "secondary action-reopen", onclick: () => step("reopen") }, "重新整改")],
  }[action.status] || [];
  return el("article", { class: "review-card corrective-action", "data-action": action.id, "data-status": action.status },
    el("h3", {}, action.problem, " ", el("span", { class: "badge" }, ACTION_STATES[action.status] || action.status),
      action.overdue ? el("span", { class: "badge warn action-overdue" }, "已逾期") : null),
    el("dl", { class: "review-facts" },
      el("dt", {}, "措施"), el("dd", {}, action.action), el("dt", {}, "责任人"), el("dd", {}, action.owner),
      el("dt", {}, "跟进日期"), el("dd", {}, action.follow_up.slice(0, 10)),
      el("dt", {}, "对象"), el("dd", {}, [action.org_id, action.host].filter(Boolean).join(" / ") || "平台"),
      el("dt", {}, "来源"), el("dd", {}, action.source)),
    action.outcome ? el("p", { class: "action-outcome-text" }, "整改结果：", action.outcome) : null,
    el("div", { class: "review-actions" }, ...buttons));
}

export function actionSection(section, notice) {
  const field = (name, placeholder, extra = {}) => el("input", { name, placeholder, ...extra });
  const form = el("form", { id: "action-form", class: "stack" },
    field("problem", "发现的问题", { required: true, maxlength: "1000" }),
    field("action", "整改措施", { required: true, maxlength: "1000" }),
    field("owner", "责任人", { required: true, maxlength: "64" }),
    field("follow_up", "跟进日期", { type: "date", required: true }),
    field("org_id", "机构编号（可选）", { maxlength: "64" }), field("host", "主播账号（可选）", { maxlength: "64" }),
    field("source", "来源：inspection / evaluation:YYYY-MM / complaint:编号", { maxlength: "64" }),
    el("button", { type: "submit", id: "action-submit" }, "记录整改措施"));
  const filter = el("select", { id: "action-filter" }, el("option", { value: "status=open" }, "整改中"),
    el("option", { value: "overdue=true" }, "已逾期"), el("option", { value: "status=done" }, "待复核"), el("option", { value: "" }, "全部"));
  const list = el("div", { id: "review-action-list" });
  const status = el("div", { id: "review-action-status" });
  const say = (text, kind) => notice(status, text, kind);
  const ticket = newestOnly();
  async function reload() {
    const current = ticket();
    try {
      const { actions } = await api(`/api/v1/review/actions?${filter.value}`);
      if (!current()) return;
      list.replaceChildren(...(actions.length ? actions.map((a) => actionCard(a, reload, say))
        : [el("p", { class: "muted", id: "review-action-empty" }, "没有符合条件的整改措施")]));
    } catch (failure) { if (current()) say(`加载失败：${failure.message}`, "error"); }
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = Object.fromEntries([...new FormData(form)].filter(([, value]) => String(value).trim()));
    try {
      await api("/api/v1/review/actions", { method: "POST", body });
      form.reset();
      say("已记录整改措施");
      await reload();
    } catch (failure) { say(`记录失败：${failure.message}`, "error"); }
  });
  filter.addEventListener("change", reload);
  reload();
  return section("review-actions", "整改措施", form, el("div", { class: "office-filters" }, filter), status, list);
}
