// The candidate's own page (/me, #me-app): profile with the separate consent to share
// (个人信息保护法 §23), my applications, and interview invitations to accept, decline or
// reschedule (standard 4.3.1 c). Export and deletion of my data on request (standard 4.4.1 c;
// 个人信息保护法 §45 copy, §47 deletion).
import { api, el, signInPrompt, whoami } from "/static/common.js";

const STATUS_TEXT = { new: "已投递", viewed: "已查看", contacted: "已联系", interview: "面试中", offer: "录用意向", hired: "已入职", rejected: "未通过" };
const STATE_TEXT = { invited: "待回复", accepted: "已接受", declined: "已拒绝", reschedule_requested: "已申请改期" };
// Every count of the DELETE /api/v1/me answer (个人信息保护法 §47): the person sees what was deleted,
// de-identified, released and kept. A count the page has no label for is still shown, under its key.
const DELETED_TEXT = {
  profile: "求职资料（姓名、手机号、简历、同意记录）",
  unsent_reminders: "未发送的面试提醒",
  unpublished_events: "尚未发给招聘单位的投递通知",
  member_phones: "我作为招聘单位成员登记的手机号",
  events: "已发出的投递和面试事件",
  chat_messages: "我的聊天消息（含审核队列中我发出或与我有关的条目）",
  sessions: "已退出的登录（所有设备）",
  account: "我的账号（登录手机号；机构成员身份随之解除）",
};
const DEIDENTIFIED_TEXT = { applications: "投递", interviews: "面试" };

function erasedSummary(result) {
  const count = (key, label, value) => el("li", { "data-count": key }, `${label}：`, el("strong", {},
    typeof value === "boolean" ? (value ? "已删除" : "无") : String(value)));
  const entries = (object) => Object.entries(object || {});
  return [
    el("p", { id: "me-erase-done" }, "已注销，你的个人信息已按下列情况处理。"),
    el("h3", {}, "已删除"),
    el("ul", { id: "me-erase-deleted" }, ...entries(result.deleted).map(([key, value]) =>
      count(`deleted.${key}`, DELETED_TEXT[key] || key, value))),
    el("h3", {}, "已去除身份（招聘单位只保留不含个人信息的记录）"),
    el("ul", { id: "me-erase-deidentified" }, ...entries(result.deidentified).map(([key, value]) =>
      count(`deidentified.${key}`, DEIDENTIFIED_TEXT[key] || key, value))),
    el("h3", {}, "已释放"),
    el("ul", { id: "me-erase-released" },
      count("released_virtual_numbers", "隐私号（号码不再转接到你的手机）", result.released_virtual_numbers ?? 0)),
    el("h3", {}, "按规定保留"),
    el("ul", { id: "me-erase-kept" }, ...(result.kept || []).map((item) => el("li", {}, item))),
  ];
}

async function mountMe(root) {
  let who = null;
  try { who = await whoami(); } catch (failure) { root.append(el("p", { class: "error" }, `加载失败：${failure.message}`)); return; }
  if (!who) { root.append(el("div", { class: "panel" }, signInPrompt("请先登录后查看我的求职"))); return; }
  const nameInput = el("input", { id: "me-display-name", maxlength: "20", value: who.name || "" });
  const nameStatus = el("span", { role: "status", class: "muted", id: "me-display-name-status" });
  const nameForm = el("form", { id: "me-name-form", class: "panel" }, el("h2", {}, "我的称呼（聊天中显示）"),
    nameInput, " ", el("button", { type: "submit" }, "保存"), " ", nameStatus);
  nameForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const result = await api("/api/v1/me/name", { method: "PUT", body: { name: nameInput.value.trim() } });
      nameStatus.className = "muted";
      nameStatus.textContent = `已保存：${result.name}`;
    } catch (failure) { nameStatus.className = "error"; nameStatus.textContent = failure.message; }
  });
  const profileBox = el("section", { id: "me-profile", class: "panel" });
  const interviewsBox = el("section", { id: "me-interviews", class: "panel" });
  const applicationsBox = el("section", { id: "me-applications", class: "panel" });
  const privacyBox = el("section", { id: "me-privacy", class: "panel" });
  const callsBox = el("section", { id: "me-calls", class: "panel" });
  root.append(interviewsBox, applicationsBox, callsBox, profileBox, nameForm, privacyBox);

  function privacy() {
    const status = el("span", { role: "status", class: "muted" });
    const exportButton = el("button", { id: "me-export", type: "button" }, "导出我的数据");
    exportButton.addEventListener("click", async () => {
      try {
        const data = await api("/api/v1/me/data");
        const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
        const link = el("a", { href: URL.createObjectURL(blob), download: "livehire-my-data.json" });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10000);
        status.textContent = "已导出";
      } catch (failure) { status.textContent = failure.message; }
    });
    const eraseButton = el("button", { id: "me-erase", type: "button", class: "danger" }, "注销并删除我的数据");
    eraseButton.addEventListener("click", async () => {
      const sure = confirm("将删除你的姓名、手机号、简历和同意记录，并断开你与所有投递、面试的关联。招聘单位只保留不含个人信息的投递记录。此操作不可撤销，确定继续吗？");
      if (!sure) return;
      try {
        const result = await api("/api/v1/me", { method: "DELETE", body: { confirm: true } });
        privacyBox.replaceChildren(el("h2", {}, "我的数据"), ...erasedSummary(result));
        await Promise.all([interviews(), applications(), profile()]);
      } catch (failure) { status.textContent = failure.message; }
    });
    privacyBox.replaceChildren(el("h2", {}, "我的数据"),
      el("p", { class: "muted" }, "你可以随时导出或删除平台保存的你的个人信息（个人信息保护法第四十五、四十七条）。"),
      exportButton, " ", eraseButton, " ", status);
  }

  async function profile() {
    const current = (await api("/api/v1/me/profile")).profile || {};
    const name = el("input", { id: "me-profile-name", value: current.name || "", maxlength: "100" });
    const phone = el("input", { id: "me-profile-phone", type: "tel", value: current.phone || "", maxlength: "32" });
    const resume = el("textarea", { id: "me-profile-resume", rows: "4", cols: "40", maxlength: "8000" });
    resume.value = current.resume || "";
    const consent = el("input", { id: "me-profile-consent", type: "checkbox" });
    consent.checked = !!current.consent_to_share;
    const status = el("span", { role: "status", class: "muted" });
    const form = el("form", {}, el("h2", {}, "求职资料"),
      el("p", {}, el("label", {}, "称呼 ", name)), el("p", {}, el("label", {}, "手机号 ", phone)),
      el("p", {}, el("label", {}, "简历", el("br"), resume)),
      el("p", {}, el("label", {}, consent, " 单独同意把姓名和简历提供给我投递的招聘单位（可随时撤回）")),
      el("button", { type: "submit" }, "保存"), " ", status);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api("/api/v1/me/profile", { method: "PUT", body: { name: name.value.trim(), phone: phone.value.trim(), resume: resume.value.trim(), consent_to_share: consent.checked } });
        status.textContent = "已保存";
      } catch (failure) { status.textContent = failure.message; }
    });
    profileBox.replaceChildren(form);
  }

  async function applications() {
    const apps = await api("/api/v1/me/applications");
    applicationsBox.replaceChildren(el("h2", {}, "我的投递"), apps.length
      ? el("ul", {}, ...apps.map((app) => el("li", { "data-id": app.id }, `${app.job_title} · ${STATUS_TEXT[app.status] || app.status} · ${new Date(app.created_at).toLocaleString()}`)))
      : el("p", { class: "muted" }, "还没有投递记录"));
  }

  async function interviews() {
    const list = await api("/api/v1/me/interviews");
    const status = el("p", { id: "me-interview-status", role: "status", class: "muted" });
    const answer = (interview, kind) => async () => {
      const note = kind === "reschedule" ? (prompt("希望改到什么时间？", "") || "") : "";
      try {
        await api(`/api/v1/interviews/${interview.id}/answer`, { method: "POST", body: { answer: kind, note } });
        await interviews();
      } catch (failure) { status.className = "error"; status.textContent = failure.message; }  // e.g. a refused note (5.1.3 d)
    };
    interviewsBox.replaceChildren(el("h2", {}, "面试邀请"), status, list.length
      ? el("ul", {}, ...list.map((interview) => el("li", { class: "interview", "data-id": interview.id, "data-state": interview.state },
        `${interview.job_title || ""} · ${new Date(interview.at).toLocaleString()} · ${interview.place || ""} ${interview.link || ""} · 联系人 ${interview.contact} · `,
        el("strong", { class: "interview-state" }, STATE_TEXT[interview.state] || interview.state), " ",
        interview.state === "invited" ? [
          el("button", { class: "accept-interview", type: "button", onclick: answer(interview, "accept") }, "接受"), " ",
          el("button", { class: "secondary", type: "button", onclick: answer(interview, "decline") }, "拒绝"), " ",
          el("button", { class: "secondary", type: "button", onclick: answer(interview, "reschedule") }, "申请改期")] : null)))
      : el("p", { class: "muted" }, "暂无面试邀请"));
  }

  // calls made to me through a virtual number: either party may ask the platform to review one (5.1.3 d)
  async function calls() {
    const { calls: list } = await api("/api/v1/me/calls");
    const status = el("p", { id: "me-call-status", role: "status", class: "muted" });
    const flag = (call) => async () => {
      const reason = (prompt("请说明通话中遇到的问题（例如：收费、骚扰、歧视），至少 5 个字", "") || "").trim();
      if (!reason) return;
      try {
        const filed = await api(`/api/v1/calls/${encodeURIComponent(call.call_id)}/flag`, { method: "POST", body: { reason } });
        status.className = "muted";
        status.replaceChildren(`已提交平台复核（编号 ${filed.id}），`,
          el("a", { id: "me-call-follow", href: new URL(filed.follow_up_page).pathname }, "查看处理进度"), "（请保存此链接）");
      } catch (failure) { status.className = "error"; status.textContent = failure.message; }
    };
    callsBox.replaceChildren(el("h2", {}, "通话记录（隐私号）"), status, list.length
      ? el("ul", {}, ...list.map((call) => el("li", { class: "call", "data-call": call.call_id },
        `${call.job_title || "岗位"} · ${call.started_at} · ${call.answered_at ? "已接通" : "未接通"} `,
        el("button", { class: "secondary call-flag", type: "button", onclick: flag(call) }, "申请平台复核"))))
      : el("p", { class: "muted" }, "暂无通话记录"));
  }

  privacy();
  Promise.all([interviews(), applications(), calls(), profile()]).catch((failure) =>
    root.append(el("p", { class: "error" }, `加载失败：${failure.message}`)));
}

const root = document.getElementById("me-app");
if (root) mountMe(root);
