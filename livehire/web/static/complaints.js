// The public complaint pages (standard 4.4.1 e): /complaints/new files a complaint (no sign-in needed) and
// shows the follow-up link once; /complaints/follow/{token} shows its status, deadline and the reply.
// The follow-up link is the credential (like the API's): it is read from this page's own URL and sent to
// the API only; Referrer-Policy no-referrer keeps it from other sites.
import { api, el } from "/static/common.js";

export const STATUS_NAMES = { received: "已受理，待处理", in_progress: "处理中", answered: "已答复", closed: "已结案" };
const TARGET_TYPES = ["room", "job", "org", "message", "call", "replay", "interview", "other"];

/** "2026-12-11T23:59:59+08:00" → "2026-12-11 23:59（北京时间）" */
export function chinaTime(iso) {
  return iso ? `${iso.slice(0, 16).replace("T", " ")}（北京时间）` : "";
}

function localPath(url) {
  try { const parsed = new URL(url, location.href); return parsed.pathname; } catch (_) { return url; }
}

// The submit button comes disabled and is enabled here: before this script runs, a submit would send the
// complaint's text (phone numbers, names) as a query string in the page's URL.
function setUpForm() {
  const form = document.getElementById("complaint-form");
  const type = document.getElementById("complaint-target-type");
  const target = document.getElementById("complaint-target-id");
  const query = new URLSearchParams(location.search);
  if (TARGET_TYPES.includes(query.get("target_type"))) type.value = query.get("target_type");
  if (query.get("target_id")) target.value = query.get("target_id").slice(0, 128);
  const error = document.getElementById("complaint-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const body = { target_type: type.value, text: document.getElementById("complaint-text").value.trim() };
    if (target.value.trim()) body.target_id = target.value.trim();
    const contact = document.getElementById("complaint-contact").value.trim();
    if (contact) body.contact = contact;
    const button = document.getElementById("complaint-submit");
    button.disabled = true;
    try {
      const filed = await api("/api/v1/complaints", { method: "POST", body });
      const link = localPath(filed.follow_up_page || filed.follow_up_url);
      const absolute = new URL(link, location.href).href;
      form.hidden = true;
      const done = document.getElementById("complaint-filed");
      done.replaceChildren(
        el("h2", {}, "投诉已提交"),
        el("p", {}, "投诉编号：", el("span", { id: "complaint-id" }, filed.id), "；状态：",
          el("span", { id: "complaint-status" }, STATUS_NAMES[filed.status] || filed.status)),
        el("p", {}, "平台将在 ", el("span", { id: "complaint-deadline" }, chinaTime(filed.deadline)), " 前答复。"),
        el("p", {}, "请保存下面的查询链接（只显示这一次），凭它查看处理进度和答复："),
        el("p", {}, el("a", { id: "complaint-follow-link", href: link }, absolute)),
      );
      done.hidden = false;
    } catch (failure) {
      error.textContent = failure.status === 429 ? "提交过于频繁，请稍后再试" : `提交失败：${failure.message}`;
    } finally {
      button.disabled = false;
    }
  });
  document.getElementById("complaint-submit").disabled = false;
}

async function showProgress() {
  const box = document.getElementById("complaint-progress");
  const token = decodeURIComponent(location.pathname.split("/").pop() || "");
  try {
    const progress = await api(`/api/v1/complaints/follow/${encodeURIComponent(token)}`);
    const facts = [
      el("p", {}, "状态：", el("strong", { id: "follow-status", "data-status": progress.status },
        STATUS_NAMES[progress.status] || progress.status)),
      el("p", {}, "答复期限：", el("span", { id: "follow-deadline" }, chinaTime(progress.deadline)),
        progress.overdue ? el("span", { class: "badge overdue", id: "follow-overdue" }, "已逾期") : null),
    ];
    if (progress.reply) {
      facts.push(el("h2", {}, "平台答复"), el("p", { id: "follow-reply", class: "complaint-reply" }, progress.reply),
        el("p", { class: "muted" }, "答复时间：", chinaTime(progress.answered_at)));
    } else {
      facts.push(el("p", { class: "muted", id: "follow-no-reply" }, "平台尚未答复，请在期限后再来查看。"));
    }
    box.replaceChildren(...facts);
  } catch (failure) {
    box.replaceChildren(el("p", { class: "error", id: "follow-error" },
      failure.status === 404 ? "没有找到这条投诉，请检查查询链接是否完整。" : `加载失败：${failure.message}`));
  }
}

if (document.body.dataset.page === "complaint") setUpForm();
if (document.body.dataset.page === "complaint-follow") showProgress();
