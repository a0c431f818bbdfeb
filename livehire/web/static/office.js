// The recruiter back office (/office, #office-app): live inbox of the organisation, filters, the
// application pane (resume read is audited), pipeline, assignment, notes, virtual-number call
// (5.1.5; A is the member's own phone, set in "我的手机号") and interview invitation (4.3.1 c).
// The person signs in on /login (session cookie); the live inbox is an EventSource on
// /api/v1/orgs/{org}/applications/stream, which the same-origin cookie authenticates.
import { api, el, ROLE_NAMES, signInPrompt, whoami } from "/static/common.js";

const STATUS_TEXT = { new: "新投递", viewed: "已查看", contacted: "已联系", interview: "面试", offer: "录用意向", hired: "已入职", rejected: "不合适" };
const NEXT = { new: ["contacted", "rejected"], viewed: ["contacted", "interview", "rejected"], contacted: ["interview", "offer", "rejected"],
  interview: ["offer", "rejected"], offer: ["hired", "rejected"], hired: [], rejected: [] };

async function start(root) {
  let who = null;
  try { who = await whoami(); } catch (failure) { root.append(el("p", { class: "error" }, `加载失败：${failure.message}`)); return; }
  if (!who) { root.append(el("div", { class: "panel" }, signInPrompt("请先使用机构成员账号登录"))); return; }
  if (!who.org || !["recruiter", "admin"].includes(who.role)) {
    root.append(el("p", { class: "error", id: "office-forbidden" },
      `当前账号（${ROLE_NAMES[who.role] || who.role}）不是机构的招聘专员或管理员，无法使用招聘后台。`));
    return;
  }
  mountOffice(root, who);
}

const READ_PURPOSES = { screening: "筛选简历", interview: "安排面试", contact: "联系候选人", offer: "录用沟通", audit: "合规检查" };

function mountOffice(root, who) {
  const org = who.org;
  const jobFilter = el("select", { id: "filter-job" }, el("option", { value: "" }, "全部岗位"));
  const statusFilter = el("select", { id: "filter-status" }, el("option", { value: "" }, "全部状态"),
    ...Object.entries(STATUS_TEXT).map(([value, text]) => el("option", { value }, text)));
  const roomFilter = el("input", { id: "filter-room", placeholder: "直播间", size: "10" });
  const purpose = el("select", { id: "read-purpose", title: "查阅简历的目的（记录在案）" },
    ...Object.entries(READ_PURPOSES).map(([value, text]) => el("option", { value }, `查阅目的：${text}`)));
  const dot = el("span", { class: "live-dot", id: "live-dot", title: "实时连接" });
  const tbody = el("tbody", { id: "inbox" });
  const pane = el("div", { id: "application-pane", class: "panel office-pane" }, el("p", { class: "muted" }, "点选一份投递查看简历"));
  root.append(
    el("div", { class: "office-filters" }, el("strong", {}, `机构 ${org}`), dot, jobFilter, statusFilter, roomFilter,
      el("button", { class: "secondary", type: "button", onclick: () => load() }, "筛选"), purpose),
    el("div", { class: "office-grid" },
      el("div", { class: "panel" }, el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "时间"), el("th", {}, "候选人"),
        el("th", {}, "岗位"), el("th", {}, "直播间"), el("th", {}, "状态"), el("th", {}, "负责人"))), tbody)),
      pane));
  let members = [];
  let selected = null;

  function row(app, fresh) {
    const tr = el("tr", { "data-id": app.id, class: fresh ? "fresh" : "", onclick: () => open(app.id) },
      el("td", {}, new Date(app.created_at).toLocaleTimeString()), el("td", { class: "candidate" }, app.name || app.user_id),
      el("td", {}, app.job_title || app.job_id), el("td", { class: "app-room" }, `${app.room || ""}${app.source === "replay" ? "（回放）" : ""}`), el("td", { class: "status" }, STATUS_TEXT[app.status] || app.status),
      el("td", {}, app.assigned_to || ""));
    return tr;
  }
  function matches(app) {
    return (!jobFilter.value || app.job_id === jobFilter.value) && (!statusFilter.value || app.status === statusFilter.value)
      && (!roomFilter.value || app.room === roomFilter.value.trim());
  }
  async function load() {
    const query = new URLSearchParams();
    if (jobFilter.value) query.set("job_id", jobFilter.value);
    if (statusFilter.value) query.set("status", statusFilter.value);
    if (roomFilter.value.trim()) query.set("room", roomFilter.value.trim());
    const apps = await api(`/api/v1/orgs/${encodeURIComponent(org)}/applications?${query}`);
    tbody.replaceChildren(...apps.map((app) => row(app, false)));
  }

  async function open(id) {
    selected = id;
    for (const tr of tbody.children) tr.classList.toggle("selected", tr.dataset.id === id);
    // why the resume is opened is recorded with the read (4.4.1 b, 个人信息保护法 §6)
    const app = await api(`/api/v1/applications/${encodeURIComponent(id)}?purpose=${encodeURIComponent(purpose.value)}`);
    const tr = tbody.querySelector(`[data-id="${CSS.escape(id)}"]`);
    if (tr) { tr.classList.remove("fresh"); tr.querySelector(".status").textContent = STATUS_TEXT[app.status]; }
    const note = el("input", { id: "note-text", placeholder: "备注", size: "24" });
    const assignee = el("select", { id: "assign-member" }, ...members.map((m) => el("option", { value: m.user }, `${m.name}（${m.role}）`)));
    const callResult = el("span", { id: "call-result", class: "muted" });
    const when = el("input", { id: "interview-at", type: "datetime-local" });
    const place = el("input", { id: "interview-place", placeholder: "面试地点" });
    const link = el("input", { id: "interview-link", placeholder: "或线上链接" });
    const contact = el("input", { id: "interview-contact", placeholder: "联系人" });
    const info = el("div", { class: "error", role: "alert" });
    const act = (fn) => async () => { try { await fn(); await open(id); } catch (failure) { info.textContent = failure.message; } };
    pane.replaceChildren(
      el("section", {}, el("h2", {}, `${app.name || app.user_id} · ${app.job_title}`),
        el("div", { class: "muted" }, `电话（已隐藏）：${app.phone_masked} · 状态：${STATUS_TEXT[app.status]}`),
        el("pre", { id: "resume-text" }, app.resume || "")),
      el("section", {}, el("div", { class: "office-row" }, "推进：",
        ...NEXT[app.status].map((status) => el("button", { class: "secondary", type: "button", "data-status": status,
          onclick: act(() => api(`/api/v1/applications/${id}/status`, { method: "POST", body: { status } })) }, STATUS_TEXT[status])))),
      el("section", {}, el("div", { class: "office-row" }, assignee,
        el("button", { class: "secondary", type: "button", onclick: act(() => api(`/api/v1/applications/${id}/assign`, { method: "POST", body: { member: assignee.value } })) }, "分配"),
        note, el("button", { class: "secondary", type: "button", onclick: act(() => api(`/api/v1/applications/${id}/notes`, { method: "POST", body: { text: note.value } })) }, "加备注"))),
      el("section", {}, el("div", { class: "office-row" },
        el("button", { id: "call-button", type: "button", onclick: async () => {
          try {
            const call = await api(`/api/v1/applications/${id}/calls`, { method: "POST" });
            callResult.replaceChildren(`请拨打隐私号 ${call.x}（${call.answered_at ? "已接通" : "未接通"}，${call.release_cause}）`
              + (call.hint ? ` · ${call.hint}` : ""), " ", el("button", { class: "secondary call-flag", type: "button", onclick: async () => {
              const reason = (prompt("请说明需要平台复核的原因（至少 5 个字）", "") || "").trim();  // 5.1.3 d: either party flags
              if (!reason) return;
              try {
                const filed = await api(`/api/v1/calls/${encodeURIComponent(call.call_id)}/flag`, { method: "POST", body: { reason } });
                info.textContent = `已提交平台复核，编号 ${filed.id}`;
              } catch (failure) { info.textContent = failure.message; }
            } }, "申请平台复核"));
          } catch (failure) { info.textContent = failure.message; }
        } }, "隐私号呼叫"), callResult)),
      el("section", {}, el("h3", {}, "面试邀约"), el("div", { class: "office-row" }, when, place, link, contact,
        el("button", { id: "invite-button", type: "button", onclick: act(() => api(`/api/v1/applications/${id}/interviews`, { method: "POST",
          body: { at: new Date(when.value).getTime(), place: place.value, link: link.value, contact: contact.value } })) }, "发送邀约")),
        el("ul", { id: "interview-list" }, ...(app.interviews || []).map((i) =>
          el("li", { "data-state": i.state }, `${new Date(i.at).toLocaleString()} ${i.place || i.link} · ${i.contact} · ${i.state}`)))),
      el("section", {}, el("h3", {}, "记录"), el("ul", {}, ...app.log.map((entry) =>
        el("li", {}, `${new Date(entry.created_at).toLocaleString()} ${entry.actor} ${entry.kind} ${entry.detail}`)))),
      info);
  }

  let source = null;
  let connectedBefore = false;
  function live() {
    dot.dataset.on = "false";
    source = new EventSource(`/api/v1/orgs/${encodeURIComponent(org)}/applications/stream`);
    source.addEventListener("ready", () => {
      if (connectedBefore) load().catch(() => {}); // catch up on what arrived while reconnecting
      connectedBefore = true;
      dot.dataset.on = "true";
    });
    source.addEventListener("application", (message) => {
      const event = JSON.parse(message.data);
      const app = { ...event, id: event.application_id };
      if (matches(app) && !tbody.querySelector(`[data-id="${CSS.escape(app.id)}"]`)) tbody.prepend(row(app, true));
    });
    source.addEventListener("interview", (message) => {
      const event = JSON.parse(message.data);
      if (selected === event.interview.application_id) open(selected);
    });
    source.addEventListener("error", () => {
      dot.dataset.on = "false";
      // EventSource reconnects by itself after a network error; an HTTP error (the session ended) closes it
      if (source.readyState === EventSource.CLOSED) {
        root.prepend(el("p", { class: "error", id: "office-session-ended" }, "实时连接已断开（登录可能已失效），请刷新或重新登录"));
      }
    });
  }
  window.addEventListener("pagehide", () => source?.close());

  const manage = el("div", { id: "office-manage", class: "office-grid" });
  root.append(manage);
  const phone = phonePanel(org);
  manage.append(jobsPanel(org), phone.panel);
  if (who.role === "admin") manage.append(adminPanel(org));

  (async () => {
    try {
      const jobs = await api(`/api/v1/orgs/${encodeURIComponent(org)}/jobs`);
      for (const job of jobs) jobFilter.append(el("option", { value: job.id }, job.title));
      members = await api(`/api/v1/orgs/${encodeURIComponent(org)}/members`);
      phone.show(members.find((m) => m.user === who.id));
      await load();
    } catch (failure) { root.append(el("p", { class: "error" }, `加载失败：${failure.message}`)); }
    live();
  })();
}

/** The member's own phone (A of the AXB binding, 5.1.5): stored encrypted, shown masked only. */
function phonePanel(org) {
  const input = el("input", { id: "my-phone", type: "tel", inputmode: "numeric", placeholder: "11 位手机号", size: "14" });
  const info = el("span", { id: "my-phone-info", class: "muted", role: "status" });
  const show = (me) => {
    info.className = "muted";
    info.textContent = me && me.phone_set ? `已设置：${me.phone_masked}` : "未设置：外呼时以账号代替（仅模拟号码服务可用）";
  };
  const save = el("button", { id: "my-phone-save", type: "button", onclick: async () => {
    try {
      show(await api(`/api/v1/orgs/${encodeURIComponent(org)}/members/me/phone`, { method: "PUT", body: { phone: input.value.trim() } }));
      input.value = "";
    } catch (failure) { info.className = "error"; info.textContent = failure.message; }
  } }, "保存");
  const panel = el("section", { class: "panel", id: "my-phone-panel" }, el("h2", {}, "我的手机号（用于隐私号外呼）"),
    el("div", { class: "office-row" }, input, save, info));
  return { panel, show };
}

/** A file's bytes as base64 (the mandate document travels in the job's JSON, as licence evidence does). */
function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(new Error("无法读取文件"));
    reader.readAsDataURL(file);
  });
}

const KIND_TEXT = { own: "自有岗位（营业执照）", agency: "代招岗位（人力资源服务许可证）", dispatch: "派遣岗位（劳务派遣许可证）" };

/** Post a job (standard 5.1.1: the kind needs the matching verified licence) and list the org's jobs. */
function jobsPanel(org) {
  const fields = {
    title: el("input", { id: "job-title", placeholder: "岗位名称" }),
    employer: el("input", { id: "job-employer", placeholder: "用人单位" }),
    location: el("input", { id: "job-location", placeholder: "工作地点" }),
    salary_min: el("input", { id: "job-salary-min", type: "number", placeholder: "月薪下限（元）", min: "1" }),
    salary_max: el("input", { id: "job-salary-max", type: "number", placeholder: "月薪上限（元）", min: "1" }),
    headcount: el("input", { id: "job-headcount", type: "number", placeholder: "招聘人数", min: "1" }),
    requirements: el("input", { id: "job-requirements", placeholder: "任职要求" }),
    benefits: el("input", { id: "job-benefits", placeholder: "福利待遇" }),
  };
  // an agency (代招) job names the company it recruits for and the number of that company's mandate (5.1.3 c)
  const agency = {
    client_company: el("input", { id: "job-client", placeholder: "代招：委托招聘单位" }),
    mandate_ref: el("input", { id: "job-mandate", placeholder: "代招：委托书编号" }),
  };
  const mandateUntil = el("input", { id: "job-mandate-until", type: "date", title: "代招：委托书有效期至" });
  const mandateFile = el("input", { id: "job-mandate-file", type: "file", accept: "application/pdf,image/png,image/jpeg",
    title: "代招：委托书文件（PDF、PNG 或 JPEG）" });
  const kind = el("select", { id: "job-kind" }, ...Object.entries(KIND_TEXT).map(([value, text]) => el("option", { value }, text)));
  const days = el("input", { id: "job-days", type: "number", value: "30", min: "1", title: "有效天数" });
  const list = el("ul", { id: "org-jobs" });
  const info = el("div", { id: "job-info", role: "status" });
  async function refresh() {
    const jobs = await api(`/api/v1/orgs/${encodeURIComponent(org)}/jobs`);
    list.replaceChildren(...jobs.map((job) => el("li", { "data-job": job.id, "data-status": job.status },
      `${job.title} · ${job.salary_min}–${job.salary_max} · `,
      el("span", { class: "badge job-state" }, job.status_label || job.status), " ",
      job.status === "published" ? el("button", { class: "secondary", type: "button", onclick: async () => {
        await api(`/api/v1/jobs/${encodeURIComponent(job.id)}`, { method: "DELETE" }); refresh();
      } }, "下线") : null,
      job.review_message ? el("div", { class: "muted job-review-message" }, job.review_message) : null,
      job.status === "rejected" && job.review_reason ? el("div", { class: "error job-review-reason" }, `审核未通过：${job.review_reason}`) : null,
      job.status === "closed" && job.status_reason ? el("div", { class: "muted" }, job.status_reason) : null)));
  }
  const form = el("form", { id: "job-form" }, ...Object.values(fields), kind, ...Object.values(agency), " 委托书 ", mandateFile, " 委托期至 ", mandateUntil, " 有效天数 ", days, " ", el("button", { type: "submit" }, "发布岗位"), info);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { kind: kind.value, valid_until: Date.now() + Number(days.value || 30) * 86400000 };
    for (const [key, input] of Object.entries(fields)) body[key] = input.type === "number" ? Number(input.value) : input.value.trim();
    try {
      if (kind.value === "agency") {
        for (const [key, input] of Object.entries(agency)) body[key] = input.value.trim();
        // the end of the mandate's last day, China time
        if (mandateUntil.value) body.mandate_valid_until = Date.parse(`${mandateUntil.value}T23:59:59.999+08:00`);
        const file = mandateFile.files[0];
        if (file) body.mandate_file = { name: file.name, content_type: file.type || null, data: await base64Of(file) };
      }
      const job = await api(`/api/v1/orgs/${encodeURIComponent(org)}/jobs`, { method: "POST", body });
      info.className = "";
      info.textContent = job.status === "pending_review" ? `已提交平台审核：${job.title}。${job.review_message}` : `已发布：${job.title}`;
      form.reset(); refresh();
    } catch (failure) { info.className = "error"; info.textContent = failure.message; }
  });
  refresh().catch(() => {});
  return el("section", { class: "panel" }, el("h2", {}, "岗位管理"), form, list);
}

/** Org admin: invite members (5.1.2), licences on file (5.1.1), who read which resume (4.4.1 b). */
function adminPanel(org) {
  const role = el("select", { id: "invite-role" }, el("option", { value: "recruiter" }, "招聘专员"), el("option", { value: "host" }, "主播"), el("option", { value: "admin" }, "管理员"));
  const code = el("span", { id: "invite-code" });
  const licences = el("ul", { id: "org-licences" });
  const reads = el("ul", { id: "resume-reads" });
  (async () => {
    for (const q of await api(`/api/v1/orgs/${encodeURIComponent(org)}/qualifications`)) licences.append(el("li", {}, `${q.kind} ${q.number} · ${q.state}`));
    for (const r of (await api(`/api/v1/orgs/${encodeURIComponent(org)}/resume-reads`)).slice(0, 20)) {
      reads.append(el("li", {}, `${new Date(r.read_at).toLocaleString()} ${r.reader} 查看了投递 ${r.application_id.slice(0, 8)}`
        + (r.purpose ? `（${READ_PURPOSES[r.purpose] || r.purpose}）` : "")));
    }
  })().catch(() => {});
  return el("section", { class: "panel" }, el("h2", {}, "机构管理"),
    el("div", { class: "office-row" }, "邀请成员：", role, el("button", { id: "invite-button-member", type: "button", onclick: async () => {
      try { const invitation = await api(`/api/v1/orgs/${encodeURIComponent(org)}/invitations`, { method: "POST", body: { role: role.value } });
        code.textContent = `邀请码 ${invitation.code}（7 天内有效）`; } catch (failure) { code.textContent = failure.message; }
    } }, "生成邀请码"), code),
    el("h3", {}, "资质"), licences, el("h3", {}, "简历查看记录"), reads);
}

const root = document.getElementById("office-app");
if (root) start(root);
