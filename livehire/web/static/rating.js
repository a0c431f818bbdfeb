// Rating of a live session on /live (standard 6.1 满意度): the room's current or latest session (ended less
// than 7 days ago), 1-5 and an optional comment that passes the chat filter. The server accepts a rating
// only from someone who watched the session or applied in it; rating again replaces the rating.
import { api, el, roomSlug, signInPrompt, whoami } from "/static/common.js";

const panel = document.getElementById("rating-panel");
const WEEK_MS = 7 * 24 * 3600 * 1000;

function latestSession(sessions) {
  const rated = sessions.filter((s) => s.state === "live" || (s.state === "ended" && s.ended_at && Date.now() - s.ended_at < WEEK_MS));
  return rated.sort((a, b) => (b.started_at || 0) - (a.started_at || 0))[0] || null;
}

async function render() {
  let session = null;
  try { session = latestSession(await api(`/api/v1/rooms/${encodeURIComponent(roomSlug())}/sessions`)); } catch { return; }
  if (!session) return;
  panel.hidden = false;
  panel.append(el("h2", {}, `评价本场直播：${session.title}`));
  const who = await whoami().catch(() => null);
  if (!who) { panel.append(signInPrompt("登录后可以评价本场直播")); return; }
  const scores = el("div", { class: "rating-scores", role: "radiogroup", "aria-label": "评分" },
    ...[1, 2, 3, 4, 5].map((n) => el("label", {}, el("input", { type: "radio", name: "score", value: String(n), class: "rating-score" }), `${n} 分`)));
  const comment = el("input", { id: "rating-comment", maxlength: "300", placeholder: "说说你的看法（可选）" });
  const status = el("p", { id: "rating-status", class: "muted", role: "status" });
  const form = el("form", { id: "rating-form" }, scores, comment, el("button", { type: "submit", id: "rating-submit" }, "提交评价"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const picked = form.querySelector("input[name=score]:checked");
    if (!picked) { status.textContent = "请先选择评分"; return; }
    try {
      const saved = await api(`/api/v1/sessions/${encodeURIComponent(session.id)}/rating`, { method: "POST",
        body: { score: Number(picked.value), comment: comment.value.trim() || null } });
      status.className = "muted";
      status.textContent = saved.comment_state === "held" ? "感谢评价！评语需审核后显示。" : "感谢你的评价！";
    } catch (failure) {
      status.className = "error";
      status.textContent = `评价未提交：${failure.message}`;
    }
  });
  panel.append(form);
}

render();
