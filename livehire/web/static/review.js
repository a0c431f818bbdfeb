// Platform review desk: rooms and their held chat messages (the chat review queue).
import { api, el, getToken, tokenClaims } from "/static/common.js";

const app = document.getElementById("review-app");

async function render() {
  const claims = tokenClaims();
  if (!getToken() || !claims || !["reviewer", "admin"].includes(claims.role)) {
    app.append(el("p", { class: "error", id: "review-login" }, "请使用审核员或管理员令牌登录（在地址后加 ?token=…）。"));
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
