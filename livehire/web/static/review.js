// Platform review desk: rooms and their held chat messages (the chat review queue).
import { api, el, signInPrompt, whoami } from "/static/common.js";

const app = document.getElementById("review-app");

async function render() {
  let who = null;
  try { who = await whoami(); } catch (error) { app.append(el("p", { class: "error" }, `加载失败：${error.message}`)); return; }
  if (!who) {
    app.append(el("div", { class: "panel", id: "review-login" }, signInPrompt("请先使用审核员或管理员账号登录")));
    return;
  }
  if (!["reviewer", "admin"].includes(who.role)) {
    app.append(el("p", { class: "error", id: "review-forbidden" }, "当前账号不是平台审核员或管理员，无法使用审核台。"));
    return;
  }
  const { rooms } = await api("/api/v1/rooms");
  const table = el("table", { id: "review-rooms" }, el("tr", {}, el("th", {}, "直播间"), el("th", {}, "待审消息")));
  for (const room of rooms) {
    let held = "—";
    try {
      const data = await api(`/api/v1/rooms/${encodeURIComponent(room.slug)}/held`);
      held = String((data.held || data.messages || []).length);
    } catch (error) { held = error.message; }
    table.append(el("tr", {}, el("td", {}, el("a", { href: `/studio/${room.slug}` }, room.title)), el("td", {}, held)));
  }
  app.append(table);
}

render();
