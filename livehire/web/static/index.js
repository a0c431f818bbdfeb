import { api, el } from "/static/common.js";

async function loadRooms() {
  const list = document.getElementById("room-list");
  try {
    const data = await api("/api/v1/rooms");
    list.replaceChildren();
    if (!data.rooms.length) list.append(el("li", { class: "muted" }, "暂无直播间"));
    for (const room of data.rooms) {
      list.append(el("li", { "data-room": room.slug },
        el("span", { class: room.live ? "badge live" : "badge" }, room.live ? "直播中" : "未开播"), " ",
        el("a", { href: `/live/${encodeURIComponent(room.slug)}` }, room.title),
        el("p", { class: "muted" }, room.description || ""),
        room.live ? el("p", { class: "muted" }, `${room.viewers} 人在看`) : null));
    }
  } catch (error) {
    list.replaceChildren(el("li", { class: "error" }, `加载失败：${error.message}`));
  }
}

loadRooms();
setInterval(loadRooms, 10000);
