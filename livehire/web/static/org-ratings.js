// An organisation's evaluation on /me/orgs (standard 6.1): how job seekers rated its sessions (count, mean,
// the comments shown) and its own monthly rating of the platform. Shown to the organisation's admin.
import { api, el } from "/static/common.js";

export function ratingPanel(org) {
  const sessions = el("div", { id: "org-session-ratings" });
  const status = el("p", { id: "platform-rating-status", class: "muted", role: "status" });
  const score = el("select", { id: "platform-rating-score" },
    ...[5, 4, 3, 2, 1].map((n) => el("option", { value: String(n) }, `${n} 分`)));
  const comment = el("input", { id: "platform-rating-comment", maxlength: "300", placeholder: "对平台服务的意见（可选）" });
  const form = el("form", { id: "platform-rating-form" }, "本月对平台的评价：", score, comment,
    el("button", { type: "submit", id: "platform-rating-submit" }, "提交"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api(`/api/v1/orgs/${encodeURIComponent(org)}/platform-rating`, { method: "POST",
        body: { score: Number(score.value), comment: comment.value.trim() || null } });
      status.className = "muted";
      status.textContent = "已提交，感谢反馈（每月一次，再次提交将覆盖本月评价）";
    } catch (failure) {
      status.className = "error";
      status.textContent = `提交失败：${failure.message}`;
    }
  });
  (async () => {
    try {
      const rated = await api(`/api/v1/orgs/${encodeURIComponent(org)}/ratings`);
      sessions.replaceChildren(
        rated.sessions.length ? el("ul", {}, ...rated.sessions.map((s) => el("li", { "data-session": s.session_id },
          `${s.title}：${s.mean} 分（${s.ratings} 人评价）`))) : el("p", { class: "muted" }, "直播场次还没有评价"),
        ...rated.comments.map((c) => el("p", { class: "org-rating-comment" }, `${c.score} 分：${c.comment}`)));
    } catch (failure) { sessions.replaceChildren(el("p", { class: "error" }, `加载失败：${failure.message}`)); }
  })();
  return el("section", { class: "panel", id: "org-ratings" }, el("h2", {}, "服务评价"), sessions, form);
}
