// The replay page: the recording with range requests (<video>), the job cards pinned during the live
// shown at their times (chapters: a click seeks to the card's moment), and apply on the card through the
// same exactly-once path as in the live (POST /api/v1/jobs/{id}/applications, source "replay"); the live's chat
// at its times only when the room's owner chose to replay it (chat_replay).
import { api, el, loginUrl, whoami } from "/static/common.js";

const app = document.getElementById("replay-app");
const id = app.dataset.recording;
const video = document.getElementById("replay-video");
const cardBox = document.getElementById("replay-card");
const chapters = document.getElementById("replay-chapters");
const status = document.getElementById("replay-status");
const chatBox = document.getElementById("replay-chat");
const chatLines = document.getElementById("replay-chat-lines");
let recording = null;
let shown = null;
let refs = 0;

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

async function apply(card, say) {
  let who = null;
  try { who = await whoami(); } catch (_) { /* offline: the request below says so */ }
  if (!who) { say(el("a", { href: loginUrl(), class: "apply-login" }, "登录后投递"), "warn"); return; }
  const ref = `replay-${id}-${Date.now()}-${++refs}`;
  say("投递中…");
  try {
    const result = await api(`/api/v1/jobs/${encodeURIComponent(card.job_id)}/applications`,
      { method: "POST", body: { ref, room: recording.room, source: "replay" } });
    if (result.status === "delivered") say("投递成功，招聘方已收到你的简历", "ok");
    else if (result.status === "duplicate") say("你已投递过这个岗位", "ok");
    else say(el("a", { href: "/me" }, result.message || "请先完善求职资料"), "warn");
  } catch (error) { say(`投递失败：${error.message}`, "error"); }
}

function show(card) {
  if (card === shown) return;
  shown = card;
  cardBox.replaceChildren();
  if (!card) { cardBox.hidden = true; delete cardBox.dataset.jobId; return; }
  cardBox.hidden = false;
  cardBox.dataset.jobId = card.job_id;
  const state = el("span", { class: "job-status", role: "status" });
  const say = (what, kind = "info") => { state.replaceChildren(what); state.dataset.kind = kind; };
  cardBox.append(
    el("h3", { class: "replay-card-title" }, `📌 ${card.title}`),
    el("div", { class: "job-meta" }, `${card.employer} · ${card.location}`),
    el("div", { class: "job-actions" },
      el("button", { class: "apply-button", type: "button", onclick: () => apply(card, say) }, "投递简历"), state),
  );
}

// Hosts and members of the room's organisation: cut a clip (keyframe to keyframe, no re-encoding) and set
// who may watch (4.3.1 a: editing, publishing, permission settings).
function editor(cards) {
  document.getElementById("replay-editor").hidden = false;
  const result = document.getElementById("clip-result");
  const jobs = document.getElementById("clip-job");
  for (const card of cards) jobs.append(el("option", { value: card.job_id }, card.title));
  for (const [button, field] of [["clip-start-now", "clip-start"], ["clip-end-now", "clip-end"]]) {
    document.getElementById(button).addEventListener("click", () => {
      document.getElementById(field).value = video.currentTime.toFixed(1);
    });
  }
  document.getElementById("clip-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { start_s: Number(document.getElementById("clip-start").value),
      end_s: Number(document.getElementById("clip-end").value) };
    const title = document.getElementById("clip-title").value.trim();
    if (title) body.title = title;
    if (jobs.value) body.job_id = jobs.value;
    result.textContent = "剪辑中…";
    try {
      const clip = await api(`/api/v1/recordings/${encodeURIComponent(id)}/clips`, { method: "POST", body });
      result.replaceChildren("已发布：", el("a", { id: "clip-link", href: `/replay/${encodeURIComponent(clip.id)}`,
        "data-recording": clip.id }, `${clip.title || "短视频"}（${clip.duration_s.toFixed(1)} 秒）`));
    } catch (error) { result.textContent = `剪辑失败：${error.message}`; }
  });
  const visibility = document.getElementById("replay-visibility");
  visibility.value = recording.visibility;
  document.getElementById("replay-visibility-save").addEventListener("click", async () => {
    try {
      recording = await api(`/api/v1/recordings/${encodeURIComponent(id)}`,
        { method: "PATCH", body: { visibility: visibility.value } });
      status.textContent = "可见范围已保存";
    } catch (error) { status.textContent = `保存失败：${error.message}`; }
  });
  const choice = document.getElementById("replay-chat-choice");
  choice.checked = recording.chat_replay;
  choice.addEventListener("change", async () => {
    try {
      recording = await api(`/api/v1/recordings/${encodeURIComponent(id)}`,
        { method: "PATCH", body: { chat_replay: choice.checked } });
      status.textContent = choice.checked ? "已开放聊天回放，刷新后生效" : "已关闭聊天回放";
    } catch (error) { status.textContent = `保存失败：${error.message}`; choice.checked = !choice.checked; }
  });
}

// The chat lines said up to the player's time (a seek back shows fewer again).
async function chat() {
  const lines = await api(`/api/v1/recordings/${encodeURIComponent(id)}/chat`);
  chatBox.hidden = false;
  let count = -1;
  const render = () => {
    const said = lines.filter((line) => line.offset_s <= video.currentTime);
    if (said.length === count) return;
    count = said.length;
    chatLines.replaceChildren(...said.map((line) => el("li", { "data-offset": String(line.offset_s) },
      el("span", { class: "muted" }, `${clock(line.offset_s)} `), el("strong", {}, `${line.name}：`), line.text)));
    if (!said.length) chatLines.append(el("li", { class: "muted" }, "此刻之前没有聊天"));
  };
  render();
  video.addEventListener("timeupdate", render);
  video.addEventListener("seeked", render);
}

async function main() {
  try {
    recording = await api(`/api/v1/recordings/${encodeURIComponent(id)}`);
    document.getElementById("replay-title").textContent =
      recording.title || (recording.kind === "clip" ? "岗位短视频" : `直播回放 · ${recording.room}`);
    if (recording.recording) {  // still live: this plays what is recorded so far; the live edge is the live page
      status.replaceChildren("直播仍在进行，正在从头回看。",
        el("a", { id: "replay-live-edge", href: `/live/${encodeURIComponent(recording.room)}` }, "回到直播"));
    }
    const cards = await api(`/api/v1/recordings/${encodeURIComponent(id)}/cards`);
    for (const card of cards) {
      const link = el("a", { href: "#", "data-offset": String(card.offset_s) }, `${clock(card.offset_s)} ${card.title}`);
      link.addEventListener("click", (event) => { event.preventDefault(); video.currentTime = card.offset_s; video.play(); });
      chapters.append(el("li", { "data-job": card.job_id }, link));
    }
    if (!cards.length) chapters.append(el("li", { class: "muted" }, "本场没有置顶岗位"));
    if (recording.can_edit) editor(cards);
    if (recording.chat_replay) await chat();
    video.addEventListener("timeupdate", () => {
      const now = video.currentTime;
      show(cards.filter((c) => c.offset_s <= now).at(-1) || null);
    });
  } catch (error) {
    status.textContent = error.status === 401 ? "请先登录再观看这个回放" : `无法加载回放：${error.message}`;
  }
}

main();
