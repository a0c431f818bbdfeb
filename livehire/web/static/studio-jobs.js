// The host's job console on /studio/{room} (#jobs-console): pin and unpin job cards (every
// viewer gets a job_card frame), start and end the live session, and the session
// statistics after the live (standard 5.2 data analysis).
import { api, el, roomSlug, signInPrompt, whoami } from "/static/common.js";

async function mountConsole(panel) {
  const room = roomSlug();
  const status = el("div", { class: "muted", role: "status", id: "jobs-console-status" });
  const jobsBox = el("div", { id: "console-jobs" });
  const sessionBox = el("div", { id: "console-session" });
  const statsBox = el("div", { id: "console-stats" });
  panel.append(status, sessionBox, jobsBox, statsBox);
  let who = null;
  try { who = await whoami(); } catch (failure) { status.textContent = `加载失败：${failure.message}`; return; }
  if (!who) { status.replaceChildren(signInPrompt("请先使用本机构主播账号登录")); return; }
  if (!["host", "admin"].includes(who.role) || !who.org) {
    status.textContent = "当前账号不是机构的主播或管理员，无法使用岗位讲解";
    return;
  }
  const org = who.org;
  const say = (text) => { status.textContent = text; };

  async function jobs() {
    const list = await api(`/api/v1/orgs/${encodeURIComponent(org)}/jobs`);
    const current = (await api(`/api/v1/rooms/${encodeURIComponent(room)}/job-card`)).card;
    // only published jobs within their validity can be pinned (5.1.3 c)
    const live = (job) => job.status === "published" && job.valid_from <= Date.now() && Date.now() < job.valid_until;
    jobsBox.replaceChildren(el("h3", {}, "岗位讲解"), el("ul", {}, ...list.filter(live).map((job) => {
      const pinned = current?.job?.id === job.id;
      return el("li", { "data-job": job.id }, `${job.title}（${job.salary_min}–${job.salary_max}）`, " ",
        el("button", { class: pinned ? "secondary unpin" : "pin", type: "button", onclick: async () => {
          try {
            if (pinned) await api(`/api/v1/rooms/${encodeURIComponent(room)}/pins/${encodeURIComponent(job.id)}`, { method: "DELETE" });
            else await api(`/api/v1/rooms/${encodeURIComponent(room)}/pins`, { method: "POST", body: { job_id: job.id } });
            say(pinned ? `已取消置顶：${job.title}` : `已置顶：${job.title}`);
            await jobs();
          } catch (failure) { say(failure.message); }
        } }, pinned ? "取消置顶" : "置顶"));
    })));
  }

  function showStats(stats) {
    const rows = stats.jobs.map((job) => el("tr", {}, el("td", {}, job.title), el("td", {}, String(job.impressions)),
      el("td", {}, String(job.applications)), el("td", {}, job.conversion === null ? "—" : `${(job.conversion * 100).toFixed(1)}%`)));
    statsBox.replaceChildren(el("h3", {}, `数据：${stats.session.title}`),
      el("p", { id: "stats-summary" }, `峰值在线 ${stats.peak_viewers} · 累计观看 ${stats.total_viewers} · 聊天 ${stats.chat_messages} · 拦截 ${stats.blocked_messages} · 岗位曝光 ${stats.job_card_impressions} · 投递 ${stats.applications}`),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "岗位"), el("th", {}, "曝光"), el("th", {}, "投递"), el("th", {}, "转化"))),
        el("tbody", {}, ...rows)));
  }

  async function sessions() {
    const list = await api(`/api/v1/rooms/${encodeURIComponent(room)}/sessions`);
    const mine = list.filter((s) => s.org === org);
    const live = mine.find((s) => s.state === "live");
    const planned = mine.find((s) => s.state === "planned");
    const ended = mine.filter((s) => s.state === "ended").pop();
    const setState = (session, state) => async () => {
      try { await api(`/api/v1/sessions/${session.id}/state`, { method: "POST", body: { state } }); await sessions(); } catch (failure) { say(failure.message); }
    };
    const title = el("input", { id: "session-title", placeholder: "本场直播主题" });
    sessionBox.replaceChildren(el("h3", {}, "直播场次"),
      live ? el("p", {}, `进行中：${live.title} `, el("button", { id: "end-session", type: "button", onclick: setState(live, "ended") }, "结束直播"))
        : planned ? el("p", {}, `待开始：${planned.title} `, el("button", { id: "start-session", type: "button", onclick: setState(planned, "live") }, "开始直播"))
          : el("p", {}, title, " ", el("button", { id: "plan-session", type: "button", onclick: async () => {
            try {
              await api(`/api/v1/orgs/${encodeURIComponent(org)}/sessions`, { method: "POST",
                body: { room, title: title.value.trim() || "直播带岗", starts_at: Date.now() } });
              await sessions();
            } catch (failure) { say(failure.message); }
          } }, "新建场次")));
    if (ended && !live) showStats(await api(`/api/v1/sessions/${ended.id}/stats`));
  }

  Promise.all([jobs(), sessions()]).catch((failure) => say(`加载失败：${failure.message}`));
}

const panel = document.getElementById("jobs-console");
if (panel) mountConsole(panel);
