// Job cards on /live/{room} (#job-panel): the card the host pins, the room's jobs, the apply
// button, and the profile + separate-consent dialog (个人信息保护法 §23). Applies go over the
// chat websocket (#chat-panel.chat) as {"type":"apply"} frames, or over REST with the session
// cookie; answers come back as "chat-frame" events. Anonymous visitors are sent to /login first.
// Text is always set as text nodes.
import { api, complaintUrl, el, loginUrl, roomSlug, whoami } from "/static/common.js";

const KIND_TEXT = { own: "企业直招", agency: "人力资源机构代招", dispatch: "劳务派遣" };

function salary(job) {
  return `${job.salary_min}–${job.salary_max} 元/月`;
}

function mountJobs(panel) {
  const room = roomSlug();
  const pinnedSlot = el("div", { id: "pinned-job" });
  const notices = el("div", { id: "job-notices" });
  const list = el("div", { id: "job-list" });
  panel.append(notices, pinnedSlot, list);
  const statusOf = new Map(); // job id -> status element of each rendered card
  const pending = new Map(); // ref -> job id
  let refs = 0;

  function card(job, pinned) {
    const status = el("span", { class: "job-status", role: "status" });
    const button = el("button", { class: "apply-button", type: "button", "data-job": job.id, onclick: () => apply(job.id) }, "投递简历");
    const node = el("article", { class: `job-card${pinned ? " pinned" : ""}`, "data-job": job.id },
      el("h3", {}, pinned ? `📌 ${job.title}` : job.title),
      el("div", {}, el("span", { class: "job-salary" }, salary(job)), " · ", job.location, " · 招 ", String(job.headcount), " 人"),
      el("div", { class: "job-meta" }, `${job.employer} · ${KIND_TEXT[job.kind] || job.kind}`),
      job.requirements ? el("div", { class: "job-meta" }, `要求：${job.requirements}`) : null,
      job.benefits ? el("div", { class: "job-meta" }, `福利：${job.benefits}`) : null,
      el("div", { class: "job-actions" }, button, status,
        el("a", { class: "job-complain link", title: "向平台投诉这个岗位", href: complaintUrl("job", job.id) }, "投诉")));
    const statuses = statusOf.get(job.id) || [];
    statuses.push(status);
    statusOf.set(job.id, statuses);
    return node;
  }
  function say(jobId, text, kind = "info") {
    for (const status of statusOf.get(jobId) || []) { status.textContent = text; status.dataset.kind = kind; }
  }
  function showPinned(job) {
    pinnedSlot.replaceChildren();
    if (job) pinnedSlot.append(card(job, true));
  }

  async function apply(jobId) {
    const chat = document.getElementById("chat-panel")?.chat;
    let who = null;
    try { who = await whoami(); } catch (_) { /* offline: the request below says so */ }
    if (!who) {
      for (const status of statusOf.get(jobId) || []) {
        status.replaceChildren(el("a", { href: loginUrl(), class: "apply-login" }, "登录后投递"));
        status.dataset.kind = "warn";
      }
      return;
    }
    const ref = `apply-${Date.now()}-${++refs}`;
    say(jobId, "投递中…");
    pending.set(ref, jobId);
    if (chat && chat.send({ type: "apply", job_id: jobId, ref }) !== null) return;
    try { // no open websocket: the same contract over REST
      onResult(await api(`/api/v1/jobs/${encodeURIComponent(jobId)}/applications`, { method: "POST", body: { ref, room } }));
    } catch (error) { pending.delete(ref); say(jobId, `投递失败：${error.message}`, "error"); }
  }

  function onResult(frame) {
    const jobId = pending.get(frame.ref) || frame.job_id;
    pending.delete(frame.ref);
    if (frame.status === "delivered") say(jobId, "投递成功，招聘方已收到你的简历", "ok");
    else if (frame.status === "duplicate") say(jobId, "你已投递过这个岗位", "ok");
    else if (frame.status === "needs_profile" || frame.status === "needs_consent") {
      say(jobId, frame.status === "needs_profile" ? "请先填写求职资料" : "请先同意向招聘方提供简历");
      openProfile(jobId);
    }
  }

  async function openProfile(jobId) {
    let current = null;
    try { current = (await api("/api/v1/me/profile")).profile; } catch (_) { /* a new viewer */ }
    const name = el("input", { id: "profile-name", type: "text", maxlength: "100", required: true, value: current?.name || "" });
    const phone = el("input", { id: "profile-phone", type: "tel", maxlength: "32", required: true, value: current?.phone || "" });
    const resume = el("textarea", { id: "profile-resume", rows: "4", maxlength: "8000", required: true });
    resume.value = current?.resume || "";
    const consent = el("input", { id: "profile-consent", type: "checkbox" });
    consent.checked = !!current?.consent_to_share;
    const error = el("div", { class: "error", role: "alert" });
    const dialog = el("dialog", { id: "profile-dialog", class: "profile-dialog" },
      el("form", { method: "dialog" },
        el("h3", {}, "求职资料"),
        el("p", { class: "muted" }, "只需最少的信息：称呼、手机号和一段简短的经历。不需要身份证号。"),
        el("label", {}, "称呼", name), el("label", {}, "手机号", phone), el("label", {}, "简历（工作经历、技能）", resume),
        el("div", { class: "consent-box" }, el("label", {}, consent,
          " 我单独同意：将我的姓名、简历提供给所投递岗位的招聘单位，用于招聘联系。招聘方只能通过隐私号联系我，看不到我的真实手机号。（个人信息保护法第二十三条）")),
        error,
        el("div", { class: "job-actions" },
          el("button", { id: "profile-save", type: "submit", value: "save" }, "保存并投递"),
          el("button", { class: "secondary", type: "submit", value: "cancel" }, "取消"))));
    document.body.append(dialog);
    dialog.addEventListener("close", async () => {
      if (dialog.returnValue !== "save") { dialog.remove(); return; }
      try {
        await api("/api/v1/me/profile", { method: "PUT", body: {
          name: name.value.trim(), phone: phone.value.trim(), resume: resume.value.trim(), consent_to_share: consent.checked } });
        dialog.remove();
        if (consent.checked) apply(jobId); else say(jobId, "未同意提供简历，未投递");
      } catch (failure) { error.textContent = failure.message; dialog.showModal(); }
    });
    dialog.showModal();
  }

  document.addEventListener("chat-frame", (event) => {
    const frame = event.detail;
    if (frame.type === "apply_result") onResult(frame);
    else if (frame.type === "job_card") {
      if (frame.action === "pin") showPinned(frame.job);
      else if (pinnedSlot.querySelector(`[data-job="${CSS.escape(frame.job_id)}"]`)) showPinned(null);
    } else if (frame.type === "interview" || frame.type === "interview_reminder") {
      const interview = frame.interview;
      const what = frame.type === "interview" ? "面试邀请" : "面试提醒";
      notices.append(el("div", { class: "interview-notice" }, `「${interview.job_title || "岗位"}」${what}：`,
        new Date(interview.at).toLocaleString(), " ", el("a", { href: "/me" }, "去查看")));
    }
  });

  (async () => {
    try {
      const current = await api(`/api/v1/rooms/${encodeURIComponent(room)}/job-card`);
      showPinned(current.card?.job || null);
    } catch (_) { /* no card */ }
    try {
      const jobs = await api("/api/v1/jobs");
      if (jobs.length) list.append(el("h3", { class: "muted" }, "全部在招岗位"));
      for (const job of jobs.slice(0, 20)) list.append(card(job, false));
    } catch (error) { list.append(el("p", { class: "error" }, `岗位加载失败：${error.message}`)); }
  })();
}

const panel = document.getElementById("job-panel");
if (panel) mountJobs(panel);
