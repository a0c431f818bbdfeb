// Fills the room header of /live and /studio pages from the rooms API.
import { api, complaintUrl, el, roomSlug } from "/static/common.js";

async function loadRoom() {
  const title = document.getElementById("room-title");
  if (location.pathname.startsWith("/live/")) {  // viewers complain to the platform about the room (4.4.1 e)
    title.after(el("a", { id: "room-complain", class: "room-complain link", href: complaintUrl("room", roomSlug()) },
      "投诉本直播间"));
  }
  try {
    const room = await api(`/api/v1/rooms/${encodeURIComponent(roomSlug())}`);
    title.textContent = room.title;
    document.title = `${room.title} · 直播带岗`;
    document.body.dataset.live = room.live ? "true" : "false";
  } catch (error) {
    title.textContent = error.status === 404 ? "直播间不存在" : `加载失败：${error.message}`;
  }
}

async function loadReplays() {  // the room's replays and clips the viewer may watch (4.3.1 a)
  const panel = document.getElementById("replay-panel");
  if (!panel) return;
  try {
    const items = await api(`/api/v1/rooms/${encodeURIComponent(roomSlug())}/recordings`);
    const list = document.getElementById("replay-list");
    const running = items.find((r) => r.recording && r.kind === "replay");
    if (running) {  // a late viewer can watch this live from its start (what is recorded so far)
      list.append(el("li", { id: "replay-from-start", "data-recording": running.id },
        el("a", { href: `/replay/${encodeURIComponent(running.id)}` }, "正在直播：从头观看")));
    }
    for (const item of items.filter((r) => !r.recording && r.duration_s > 0)) {
      const when = new Date(item.started_at).toLocaleString();
      const label = item.kind === "clip" ? `短视频：${item.title || "片段"}` : `直播回放 ${when}`;
      list.append(el("li", { "data-recording": item.id },
        el("a", { href: `/replay/${encodeURIComponent(item.id)}` }, label), ` · ${Math.round(item.duration_s)} 秒`));
    }
    panel.hidden = !list.children.length;
  } catch (_) { /* no replays shown: the live itself is unaffected */ }
}

loadRoom();
loadReplays();
