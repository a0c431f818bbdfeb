// The monthly evaluation report (/review/reports/YYYY-MM, standard 6.1, 6.2): platform figures against the
// month before, complaint handling, the organisations' rating of the platform, corrective actions, the
// organisations that need attention, charts per organisation. Platform staff only (the API refuses others).
import { api, el, signInPrompt, whoami } from "/static/common.js";
import { barChart, FIGURE_NAMES, shown } from "/static/review-quality.js";

const app = document.getElementById("report-app");
const month = app.dataset.month;

function panel(id, title, ...children) {
  return el("section", { class: "panel", id }, el("h2", {}, title), ...children);
}

function arrow(name, delta) {
  if (delta === null || delta === undefined || delta === 0) return "持平";
  const better = name === "satisfaction" ? delta > 0 : delta < 0;
  return `${delta > 0 ? "上升" : "下降"} ${shown(name, Math.abs(delta))}（${better ? "改善" : "变差"}）`;
}

async function render() {
  const who = await whoami();
  if (!who) { app.append(el("div", { class: "panel" }, signInPrompt("请先使用审核员或管理员账号登录"))); return; }
  let report;
  try { report = await api(`/api/v1/review/reports/${encodeURIComponent(month)}`); } catch (failure) {
    app.append(el("p", { class: "error", id: "report-error" }, `加载失败：${failure.message}`));
    return;
  }
  const now = report.platform;
  const rows = Object.keys(FIGURE_NAMES).map((name) => el("tr", { "data-figure": name },
    el("th", { scope: "row" }, FIGURE_NAMES[name]), el("td", {}, shown(name, now[name])),
    el("td", {}, shown(name, report.previous[name])), el("td", {}, arrow(name, report.trend[name]))));
  const handling = report.complaint_handling;
  const actions = report.corrective_actions;
  const orgLabel = (row) => row.name || row.org;
  app.append(
    panel("report-figures", "服务质量（全平台）",
      el("p", {}, `${now.sessions} 场直播，${now.viewers} 位观众，${now.messages} 条消息，${now.applications} 份投递，${now.ratings} 条评价。`),
      el("table", { id: "report-trend" }, el("tr", {}, el("th", {}, "指标"), el("th", {}, month), el("th", {}, report.previous_month),
        el("th", {}, "变化")), ...rows)),
    panel("report-complaints", "投诉处理",
      el("p", { id: "report-complaint-counts" }, `受理 ${handling.filed} 件；按期答复 ${handling.answered_in_time} 件，逾期答复 ${handling.answered_late} 件；`
        + `尚未答复 ${handling.open} 件，其中已逾期 ${handling.open_overdue} 件。`)),
    panel("report-platform-rating", "机构对平台的评价",
      el("p", {}, report.platform_rating.ratings ? `${report.platform_rating.ratings} 家机构评价，平均 ${report.platform_rating.mean} 分` : "本月暂无机构评价")),
    panel("report-actions", "整改措施",
      el("p", { id: "report-action-counts" }, `本月新增 ${actions.opened} 项，完成 ${actions.done} 项，复核 ${actions.verified} 项；`
        + `目前整改中 ${actions.open} 项，其中逾期 ${actions.overdue} 项。`)),
    panel("report-attention", "需关注的机构",
      report.attention.length ? el("ul", { id: "report-attention-list" }, ...report.attention.map((row) =>
        el("li", { "data-org": row.org }, `${row.name}：${row.figures.map((n) => FIGURE_NAMES[n]).join("、")}`)))
        : el("p", { class: "muted", id: "report-attention-none" }, "本月没有指标越线的机构")),
    panel("report-charts", "按机构",
      el("div", { class: "chart-row" },
        barChart("report-chart-complaints", "千人投诉数", report.orgs, "complaints_per_1000_viewers", orgLabel),
        barChart("report-chart-blocked", "违规消息率", report.orgs, "blocked_rate", orgLabel),
        barChart("report-chart-satisfaction", "满意度", report.orgs, "satisfaction", orgLabel))));
}

render();
