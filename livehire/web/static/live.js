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

loadRoom();
