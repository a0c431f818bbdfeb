// The replay page: the recording with range requests (<video>), and the job cards pinned during the
// live shown at their times (chapters: a click seeks to the card's moment).
import { api, el } from "/static/common.js";

const app = document.getElementById("replay-app");
const id = app.dataset.recording;
const video = document.getElementById("replay-video");
const cardBox = document.getElementById("replay-card");
const chapters = document.getElementById("replay-chapters");
const status = document.getElementById("replay-status");

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function show(card) {
  cardBox.replaceChildren();
  if (!card) { cardBox.hidden = true; return; }
  cardBox.hidden = false;
  cardBox.dataset.jobId = card.job_id;
  cardBox.append(
    el("strong", { class: "replay-card-title" }, card.title),
    el("span", {}, ` · ${card.employer} · ${card.location}`),
  );
}

async function main() {
  try {
    const recording = await api(`/api/v1/recordings/${encodeURIComponent(id)}`);
    document.getElementById("replay-title").textContent =
      recording.title || (recording.kind === "clip" ? "岗位短视频" : `直播回放 · ${recording.room}`);
    const cards = await api(`/api/v1/recordings/${encodeURIComponent(id)}/cards`);
    for (const card of cards) {
      const link = el("a", { href: "#", "data-offset": String(card.offset_s) }, `${clock(card.offset_s)} ${card.title}`);
      link.addEventListener("click", (event) => { event.preventDefault(); video.currentTime = card.offset_s; video.play(); });
      chapters.append(el("li", {}, link));
    }
    if (!cards.length) chapters.append(el("li", { class: "muted" }, "本场没有置顶岗位"));
    video.addEventListener("timeupdate", () => {
      const now = video.currentTime;
      show(cards.filter((c) => c.offset_s <= now).at(-1));
    });
  } catch (error) {
    status.textContent = error.status === 401 ? "请先登录再观看这个回放" : `无法加载回放：${error.message}`;
  }
}

main();
