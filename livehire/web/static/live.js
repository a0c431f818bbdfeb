// Fills the room header of /live and /studio pages from the rooms API.
import { api, roomSlug } from "/static/common.js";

async function loadRoom() {
  const title = document.getElementById("room-title");
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
