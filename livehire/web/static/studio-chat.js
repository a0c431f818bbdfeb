// The host's moderation panel (#moderation-panel on /studio/{room}): the review queue (held
// messages and reports: approve / reject), live messages with delete / mute / ban, slow mode
// and the pinned announcement. Queue actions use REST, the rest websocket commands
// (docs/chat-protocol.md). Every action is audited on the server.
import { api, el, roomSlug, sessionEnded, signInPrompt, whoami } from "/static/common.js";
import { ChatConnection } from "/static/chat.js";

const CATEGORY_TEXT = { fee: "收费", diversion: "站外导流", harassment: "骚扰辱骂", discrimination: "就业歧视", pii: "个人信息" };

async function mountModeration(panel) {
  const room = roomSlug();
  const status = el("div", { id: "moderation-status", class: "chat-status", role: "status" });
  let who = null;
  try { who = await whoami(); } catch (error) { panel.append(el("p", { class: "error" }, `加载失败：${error.message}`)); return; }
  if (!who) {
    panel.append(signInPrompt("请先使用主播或审核员账号登录后管理聊天"));
    return;
  }
  const held = el("ul", { id: "held-queue", class: "held-queue" });
  const heldCount = el("span", { id: "held-count" }, "0");
  const live = el("ul", { id: "moderation-messages", class: "chat-messages" });
  const slow = el("select", { id: "slow-mode" },
    ...[0, 5, 10, 30, 60].map((s) => el("option", { value: String(s) }, s ? `慢速 ${s} 秒` : "关闭慢速模式")));
  const pinText = el("input", { id: "pin-text", type: "text", maxlength: "500", placeholder: "置顶公告内容" });
  const pinForm = el("form", { id: "pin-form", class: "chat-form" }, pinText, el("button", { type: "submit" }, "置顶"),
    el("button", { type: "button", class: "secondary", id: "unpin", onclick: () => command({ type: "unpin" }) }, "取消置顶"));
  panel.append(
    el("h3", {}, "待审核 (", heldCount, ")"), held,
    el("h3", {}, "聊天消息"), live,
    el("div", { class: "moderation-tools" }, el("label", {}, "慢速模式 ", slow)), pinForm, status);

  const say = (text, kind = "info") => { status.textContent = text; status.dataset.kind = kind; };
  const command = (frame) => { if (connection.send(frame) === null) say("尚未连接", "warn"); };

  function heldItem(item) {
    const categories = (item.categories || []).map((c) => CATEGORY_TEXT[c] || c).join("、");
    const what = item.kind === "report"
      ? `举报（${item.reporter?.name ?? ""}：${item.reason || "未填写原因"}）`
      : `待审核${categories ? `（${categories}）` : ""}`;
    const resolve = async (approve) => {
      try {
        const result = await api(`/api/v1/rooms/${encodeURIComponent(room)}/held/${encodeURIComponent(item.id)}/${approve ? "approve" : "reject"}`, { method: "POST" });
        say({ published: "已通过并发布", dropped: "已拒绝", message_removed: "举报成立，消息已删除", dismissed: "已驳回举报", message_gone: "消息已不存在" }[result.outcome] || result.outcome);
      } catch (error) { say(error.message, "error"); }
    };
    return el("li", { class: "held-item", "data-id": item.id },
      el("div", { class: "held-what" }, what),
      el("div", {}, el("strong", {}, item.user?.name ?? "（消息已删除）"), "：", item.text ?? ""),
      el("button", { type: "button", class: "approve", onclick: () => resolve(true) }, item.kind === "report" ? "删除该消息" : "通过"),
      el("button", { type: "button", class: "secondary reject", onclick: () => resolve(false) }, item.kind === "report" ? "驳回举报" : "拒绝"));
  }
  function addHeld(item) {
    if (!held.querySelector(`[data-id="${CSS.escape(item.id)}"]`)) held.append(heldItem(item));
    heldCount.textContent = String(held.children.length);
  }
  function removeHeld(id) {
    held.querySelector(`[data-id="${CSS.escape(id)}"]`)?.remove();
    heldCount.textContent = String(held.children.length);
  }
  function addMessage(message) {
    if (live.querySelector(`[data-id="${CSS.escape(message.id)}"]`)) return;
    const user = message.user;
    const remove = async () => {
      try { await api(`/api/v1/rooms/${encodeURIComponent(room)}/messages/${encodeURIComponent(message.id)}`, { method: "DELETE" }); say("消息已删除"); }
      catch (error) { say(error.message, "error"); }
    };
    live.append(el("li", { class: "chat-msg", "data-id": message.id, "data-user": user.id },
      el("span", { class: `chat-user role-${user.role}` }, user.name), "：", el("span", { class: "chat-text" }, message.text), " ",
      el("button", { type: "button", class: "link delete", onclick: remove }, "删除"),
      el("button", { type: "button", class: "link mute", onclick: () => command({ type: "mute", user_id: user.id, duration: 600, reason: "主播禁言" }) }, "禁言10分钟"),
      el("button", { type: "button", class: "link ban", onclick: () => command({ type: "ban", user_id: user.id, reason: "主播封禁" }) }, "封禁")));
    while (live.children.length > 300) live.firstElementChild.remove();
    live.scrollTop = live.scrollHeight;
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "welcome":
        if (!frame.you.moderator) { say("当前账号没有本直播间的管理权限", "error"); break; }
        live.replaceChildren(); held.replaceChildren();
        frame.history.forEach(addMessage);
        (frame.held || []).forEach(addHeld);
        slow.value = String(frame.slow_mode || 0);
        pinText.value = frame.pinned?.text ?? "";
        break;
      case "chat": addMessage(frame); break;
      case "held": addHeld(frame.item); break;
      case "held_resolved": removeHeld(frame.id); break;
      case "deleted": live.querySelector(`[data-id="${CSS.escape(frame.id)}"]`)?.remove(); break;
      case "slow_mode": slow.value = String(frame.seconds); break;
      case "pinned": pinText.value = frame.announcement?.text ?? ""; break;
      case "ok": say({ mute: "已禁言", ban: "已封禁", slowmode: "慢速模式已更新", pin: "置顶已更新" }[frame.action] || "已完成"); break;
      case "moderation": say(`公告未发布：${frame.message}`, "error"); break;
      case "error": say(frame.message, "error"); break;
      default: break;
    }
  }
  slow.addEventListener("change", () => command({ type: "slow_mode", seconds: Number(slow.value) }));
  pinForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = pinText.value.trim();
    command(text ? { type: "pin", text } : { type: "unpin" });
  });
  const connection = new ChatConnection(room, onFrame, (state, code) => {
    panel.dataset.state = state;
    if (state === "closed" && code === 4503) { say("登录已失效，请重新登录", "error"); sessionEnded(); }
  });
  connection.connect();
}

const panel = document.getElementById("moderation-panel");
if (panel) mountModeration(panel);
