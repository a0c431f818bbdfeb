// Platform review desk (/review): held chat messages per room, the organisation queue (5.1.3 a, b:
// approve or reject with a reason), the licence queue (5.1.1: review-licences.js), the job queue (5.1.3 c:
// review-jobs.js), flagged call records (5.1.3 d: review-calls.js), quality figures and corrective actions
// (6.1, 6.2: review-quality.js) and the complaint queue
// (4.4.1 e: assign, answer, close; overdue flagged). Platform reviewers and admins only; an organisation's
// admin sees its rooms' held messages and never a complaint (the organisation a complaint is about does not
// handle it).
import { api, el, newestOnly, signInPrompt, whoami } from "/static/common.js";
import { chinaTime, STATUS_NAMES } from "/static/complaints.js";
import { callSection } from "/static/review-calls.js";
import { jobSection } from "/static/review-jobs.js";
import { licenceSection } from "/static/review-licences.js";
import { actionSection, qualitySection } from "/static/review-quality.js";

const app = document.getElementById("review-app");
const TARGET_NAMES = { room: "直播间", job: "岗位", org: "机构", message: "聊天消息", call: "通话", replay: "回放", interview: "面试邀请", other: "其他" };
const ACCESS_NAMES = { allowed: "准入", review: "须加强审核", refused: "不予准入" };
const KIND_NAMES = { employer: "用人单位", hr_agency: "人力资源服务机构", dispatch: "劳务派遣单位" };
const FIELD_NAMES = { name: "名称", credit_code: "统一社会信用代码", address: "经营地址", website: "网址",
  contact_phone: "联系电话", industry: "所属行业", industry_access: "行业准入" };

function section(id, title, ...children) {
  return el("section", { class: "panel review-section", id }, el("h2", {}, title), ...children);
}

function notice(box, text, kind = "ok") {
  box.replaceChildren(text ? el("p", { class: kind === "error" ? "error" : "muted", role: "status" }, text) : "");
}

async function chatSection() {
  const { rooms } = await api("/api/v1/rooms");
  const table = el("table", { id: "review-rooms" }, el("tr", {}, el("th", {}, "直播间"), el("th", {}, "待审消息")));
  for (const room of rooms) {
    let held = "—";
    try {
      const data = await api(`/api/v1/rooms/${encodeURIComponent(room.slug)}/held`);
      held = String((data.held || data.messages || []).length);
    } catch (error) { held = error.message; }
    table.append(el("tr", {}, el("td", {}, el("a", { href: `/studio/${room.slug}` }, room.title)), el("td", {}, held)));
  }
  return section("review-chat", "聊天待审消息", table);
}

// ---- organisations (5.1.3 a, b) ---------------------------------------------------------------

function orgCard(org, reload, status) {
  const reason = el("input", { class: "org-reason", placeholder: "审核意见（驳回时必填）", maxlength: "500" });
  const decide = async (decision) => {
    try {
      await api(`/api/v1/review/orgs/${encodeURIComponent(org.id)}`, { method: "POST",
        body: { decision, reason: reason.value.trim() || null } });
      notice(status, `已${decision === "approve" ? "通过" : "驳回"}：${org.name}`);
      await reload();
    } catch (failure) { notice(status, `操作失败：${failure.message}`, "error"); }
  };
  const facts = [
    ["类型", KIND_NAMES[org.kind] || org.kind], ["统一社会信用代码", org.credit_code], ["经营地址", org.address],
    ["网址", org.website], ["所属行业", `${org.industry || ""}（${ACCESS_NAMES[org.industry_access] || "未知"}）`],
    ["提交时间", org.created_at ? new Date(org.created_at).toLocaleString("zh-CN") : ""],
  ];
  const change = org.change ? el("p", { class: "org-change" }, "申请变更：",
    Object.entries(org.change).map(([field, value]) => `${FIELD_NAMES[field] || field} → ${value}`).join("；")) : null;
  return el("article", { class: "review-card review-org", "data-org": org.id },
    el("h3", {}, org.name, " ", el("span", { class: "badge" }, org.change ? "信息变更" : "新注册"),
      org.industry_access === "review" ? el("span", { class: "badge warn" }, "风险行业") : null),
    el("dl", { class: "review-facts" }, facts.flatMap(([label, value]) => [el("dt", {}, label), el("dd", {}, value || "—")])),
    change,
    org.flags && org.flags.length ? el("p", { class: "error org-flags" }, `自动审查提示：${org.flags.join("、")}`) : null,
    el("div", { class: "review-actions" }, reason,
      el("button", { type: "button", class: "org-approve", onclick: () => decide("approve") }, "通过"),
      el("button", { type: "button", class: "secondary org-reject", onclick: () => decide("reject") }, "驳回")));
}

function orgSection() {
  const list = el("div", { id: "review-org-list" });
  const status = el("div", { id: "review-org-status" });
  const ticket = newestOnly();
  async function reload() {
    const current = ticket();
    try {
      const { orgs } = await api("/api/v1/review/orgs?state=pending");
      if (!current()) return;
      list.replaceChildren(...(orgs.length ? orgs.map((org) => orgCard(org, reload, status))
        : [el("p", { class: "muted", id: "review-org-empty" }, "没有待审核的机构")]));
    } catch (failure) { if (current()) notice(list, `加载失败：${failure.message}`, "error"); }
  }
  reload();
  return section("review-orgs", "机构入驻与信息变更审核", status, list);
}

// ---- complaints (4.4.1 e) ------------------------------------------------------------------------

function targetLink(complaint) {
  const id = complaint.target_id;
  const name = `${TARGET_NAMES[complaint.target_type] || complaint.target_type} ${id}`;
  if (complaint.target_type === "room") return el("a", { href: `/live/${encodeURIComponent(id)}` }, name);
  if (complaint.target_type === "org") return el("a", { href: `/orgs/${encodeURIComponent(id)}` }, name);
  if (complaint.target_type === "replay") return el("a", { href: `/replay/${encodeURIComponent(id)}` }, name);
  return name;
}

function complaintCard(complaint, who, reload, status) {
  const act = async (body, done) => {
    try {
      await api(`/api/v1/review/complaints/${encodeURIComponent(complaint.id)}`, { method: "POST", body });
      notice(status, done);
      await reload();
    } catch (failure) { notice(status, `操作失败：${failure.message}`, "error"); }
  };
  const open = ["received", "in_progress"].includes(complaint.status);
  const reply = el("textarea", { class: "complaint-reply-input", rows: "3", maxlength: "2000", placeholder: "给投诉人的答复" });
  const actions = [];
  if (open && complaint.assignee !== who.id) {
    actions.push(el("button", { type: "button", class: "secondary complaint-assign",
      onclick: () => act({ action: "assign" }, `已分配给我：${complaint.id}`) }, "分配给我"));
  }
  if (open) {
    actions.push(reply, el("button", { type: "button", class: "complaint-answer", onclick: () => {
      if (!reply.value.trim()) { notice(status, "请填写答复内容", "error"); return; }
      act({ action: "answer", reply: reply.value.trim() }, `已答复：${complaint.id}`);
    } }, "答复"));
  }
  if (complaint.target_type === "replay" && complaint.status !== "closed") {  // a replay or clip (4.3.1 a)
    const reason = el("input", { class: "takedown-reason", maxlength: "500", placeholder: "下架理由" });
    actions.push(reason, el("button", { type: "button", class: "takedown-button", onclick: async () => {
      if (!reason.value.trim()) { notice(status, "请填写下架理由", "error"); return; }
      try {
        await api(`/api/v1/review/recordings/${encodeURIComponent(complaint.target_id)}/takedown`,
          { method: "POST", body: { reason: reason.value.trim() } });
        notice(status, `已下架：${complaint.target_id}`);
      } catch (failure) { notice(status, `下架失败：${failure.message}`, "error"); }
    } }, "下架该视频"));
  }
  if (complaint.status !== "closed") {
    actions.push(el("button", { type: "button", class: "secondary complaint-close",
      onclick: () => act({ action: "close" }, `已结案：${complaint.id}`) }, "结案"));
  }
  return el("article", { class: "review-card review-complaint", "data-complaint": complaint.id, "data-status": complaint.status },
    el("h3", {}, targetLink(complaint), " ", el("span", { class: "badge complaint-status" }, STATUS_NAMES[complaint.status] || complaint.status),
      complaint.overdue ? el("span", { class: "badge overdue complaint-overdue" }, "已逾期") : null),
    el("p", { class: "complaint-text" }, complaint.text),
    el("dl", { class: "review-facts" },
      el("dt", {}, "编号"), el("dd", {}, complaint.id),
      el("dt", {}, "涉及机构"), el("dd", {}, complaint.target_org || "—"),
      el("dt", {}, "联系方式"), el("dd", {}, complaint.contact || "未留"),
      el("dt", {}, "受理时间"), el("dd", {}, chinaTime(complaint.created_at)),
      el("dt", {}, "答复期限"), el("dd", { class: "complaint-deadline" }, chinaTime(complaint.deadline)),
      el("dt", {}, "处理人"), el("dd", { class: "complaint-assignee" }, complaint.assignee || "未分配")),
    complaint.reply ? el("p", { class: "complaint-reply" }, "答复：", complaint.reply) : null,
    actions.length ? el("div", { class: "review-actions" }, ...actions) : null);
}

function complaintSection(who) {
  const filter = el("select", { id: "complaint-filter" },
    el("option", { value: "open" }, "待处理（未答复）"), el("option", { value: "overdue" }, "已逾期"),
    el("option", { value: "answered" }, "已答复"), el("option", { value: "all" }, "全部"));
  const list = el("div", { id: "review-complaint-list" });
  const status = el("div", { id: "review-complaint-status" });
  const ticket = newestOnly();
  async function reload() {
    const current = ticket();
    const query = { open: "overdue=", overdue: "overdue=true", answered: "status=answered", all: "" }[filter.value];
    try {
      let { complaints } = await api(`/api/v1/review/complaints?${query}`);
      if (!current()) return;
      if (filter.value === "open") complaints = complaints.filter((c) => ["received", "in_progress"].includes(c.status));
      list.replaceChildren(...(complaints.length ? complaints.map((c) => complaintCard(c, who, reload, status))
        : [el("p", { class: "muted", id: "review-complaint-empty" }, "没有符合条件的投诉")]));
    } catch (failure) { if (current()) notice(list, `加载失败：${failure.message}`, "error"); }
  }
  filter.addEventListener("change", reload);
  reload();
  return section("review-complaints", "投诉举报处理", el("div", { class: "office-filters" }, filter), status, list);
}

async function render() {
  let who = null;
  try { who = await whoami(); } catch (error) { app.append(el("p", { class: "error" }, `加载失败：${error.message}`)); return; }
  if (!who) {
    app.append(el("div", { class: "panel", id: "review-login" }, signInPrompt("请先使用审核员或管理员账号登录")));
    return;
  }
  if (!["reviewer", "admin"].includes(who.role)) {
    app.append(el("p", { class: "error", id: "review-forbidden" }, "当前账号不是平台审核员或管理员，无法使用审核台。"));
    return;
  }
  const platform = !who.org && !who.room;
  if (platform) app.append(complaintSection(who), callSection(section, notice), orgSection(), licenceSection(section, notice),
    jobSection(section, notice), qualitySection(section, notice), actionSection(section, notice));
  else app.append(el("p", { class: "muted", id: "review-org-only" }, "机构账号只能审核本机构直播间的消息；投诉与机构审核由平台审核员处理。"));
  app.append(await chatSection());
}

render();
