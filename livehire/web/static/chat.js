// The viewer chat panel (#chat-panel on /live/{room}): read, send, see own blocked messages
// explained, report a message. Protocol: docs/chat-protocol.md. Text is always set as text
// nodes (never innerHTML).
import { complaintUrl, el, loginUrl, roomSlug, sessionEnded, whoami } from "/static/common.js";

const ACTION_TEXT = { mask: "已隐藏敏感信息后发送", review: "等待审核，仅你可见", block: "未发送，仅你可见" };
const CATEGORY_TEXT = { fee: "收费", diversion: "站外导流", harassment: "骚扰辱骂", discrimination: "就业歧视", pii: "个人信息" };

export class ChatConnection {
  /** One websocket with recovery: reconnects with since=<seq>&epoch=<epoch> unless the close code says
   * not to; the welcome then says whether every missed message came (recovered) or the list starts over.
   * The session cookie authenticates it (same origin); no token goes in the URL. */
  constructor(room, onFrame, onState) {
    this.room = room; this.onFrame = onFrame; this.onState = onState;
    this.seq = null; this.epoch = null; this.ws = null; this.retry = 0; this.refs = 0;
  }
  connect() {
    const params = new URLSearchParams();
    if (this.seq !== null) params.set("since", String(this.seq));
    if (this.seq !== null && this.epoch) params.set("epoch", this.epoch); // offsets mean something in their epoch only
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const query = params.toString();
    const ws = new WebSocket(`${scheme}://${location.host}/ws/rooms/${encodeURIComponent(this.room)}${query ? `?${query}` : ""}`);
    this.ws = ws;
    ws.addEventListener("open", () => { this.retry = 0; this.onState("open"); });
    ws.addEventListener("message", (event) => {
      const frame = JSON.parse(event.data);
      // welcome: the room's head in its (perhaps new) epoch; chat: the last offset seen
      if (frame.type === "welcome") { this.seq = frame.seq ?? 0; this.epoch = frame.epoch ?? null; }
      else if (frame.type === "chat") this.seq = Math.max(this.seq ?? 0, frame.seq ?? 0);
      this.onFrame(frame);
    });
    ws.addEventListener("close", (event) => {
      if (ws !== this.ws) return; // replaced by reopen()
      // 4000-4499: reconnect and recover; 4500+: do not (docs/chat-protocol.md "Close codes").
      const again = !(event.code >= 4500 && event.code < 5000) && event.code !== 1008;
      this.onState(again ? "reconnecting" : "closed", event.code);
      if (again) setTimeout(() => this.connect(), Math.min(10000, 500 * 2 ** this.retry++) + Math.random() * 300);
    });
  }
  send(frame) {
    const ref = frame.ref ?? `c${++this.refs}`;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ ...frame, ref }));
    else return null;
    return ref;
  }
  reopen() { const old = this.ws; this.ws = null; old?.close(); this.connect(); }
}

function mountChat(panel) {
  const room = roomSlug();
  const pinned = el("div", { id: "chat-pinned", class: "chat-pinned", hidden: true });
  const viewers = el("span", { id: "chat-viewers", class: "chat-viewers" }, "");
  const list = el("ul", { id: "chat-messages", class: "chat-messages", "aria-live": "polite" });
  const status = el("div", { id: "chat-status", class: "chat-status", role: "status" });
  const input = el("input", { id: "chat-input", type: "text", maxlength: "500", placeholder: "和主播聊聊岗位…", autocomplete: "off" });
  const send = el("button", { id: "chat-send", type: "submit" }, "发送");
  const form = el("form", { id: "chat-form", class: "chat-form" }, input, send);
  const join = el("p", { id: "chat-join", class: "chat-join" }, el("a", { href: loginUrl(), id: "chat-login" }, "登录后发言"));
  panel.append(el("div", { class: "chat-head" }, viewers), pinned, list, status, join);
  const pending = new Map(); // ref -> text of own messages not yet acknowledged
  const sent = new Map(); // ref -> text of the last acknowledged ones: a not_delivered error gives it back
  let lost = null; // a not_delivered notice, shown again once the socket is back
  let me = null;

  const say = (text, kind = "info") => { status.textContent = text; status.dataset.kind = kind; };
  const scroll = () => { list.scrollTop = list.scrollHeight; };

  function messageItem(message) {
    const item = el("li", { class: "chat-msg", "data-id": message.id, "data-user": message.user.id },
      el("span", { class: `chat-user role-${message.user.role}` }, message.user.name), "：",
      el("span", { class: "chat-text" }, message.text));
    if (me && !me.anonymous && message.user.id !== me.id) {
      item.append(el("button", { class: "chat-report link", type: "button", title: "举报这条消息",
        onclick: () => report(message) }, "举报"));
    }
    // a complaint to the platform (4.4.1 e), no sign-in needed: the room's host is not the judge
    item.append(" ", el("a", { class: "chat-complain link", title: "向平台投诉这条消息", href: complaintUrl("message",
      `${room}/${message.id}`) }, "投诉"));
    return item;
  }
  function add(message) {
    if (list.querySelector(`[data-id="${CSS.escape(message.id)}"]`)) return;
    list.append(messageItem(message));
    while (list.children.length > 300) list.firstElementChild.remove();
    scroll();
  }
  function report(message) {
    const reason = prompt("举报原因（例如：收费、导流、骚扰、歧视）", "") ;
    if (reason === null) return;
    connection.send({ type: "report", message_id: message.id, reason: reason.slice(0, 200) });
  }
  function ownNotice(frame) {
    const text = pending.get(frame.ref) ?? frame.text ?? "";
    pending.delete(frame.ref);
    const categories = (frame.categories || []).map((c) => CATEGORY_TEXT[c] || c).join("、");
    const item = el("li", { class: `chat-msg own-${frame.action} ${frame.action === "block" ? "blocked" : ""}`, "data-ref": frame.ref || "" },
      el("span", { class: "chat-user" }, "我"), "：", el("span", { class: "chat-text" }, text),
      el("div", { class: "chat-notice" }, `${ACTION_TEXT[frame.action] || frame.action}${categories ? `（${categories}）` : ""}：${frame.message}`));
    if (frame.action === "mask") say(frame.message, "warn"); else { list.append(item); scroll(); }
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "welcome":
        me = frame.you;
        if (frame.recovered !== true) list.replaceChildren();
        frame.history.forEach(add);
        showPinned(frame.pinned);
        viewers.textContent = `${frame.viewers} 人在看`;
        if (frame.slow_mode) say(`慢速模式：每 ${frame.slow_mode} 秒可发言一次`);
        break;
      case "chat": add(frame); break;
      case "ack":
        sent.set(frame.ref, pending.get(frame.ref)); pending.delete(frame.ref);
        if (sent.size > 50) sent.delete(sent.keys().next().value);
        break;
      case "moderation": ownNotice(frame); break;
      case "deleted": list.querySelector(`[data-id="${CSS.escape(frame.id)}"]`)?.remove(); break;
      case "pinned": showPinned(frame.announcement); break;
      case "presence": viewers.textContent = `${frame.viewers} 人在看`; break;
      case "slow_mode": say(frame.seconds ? `慢速模式：每 ${frame.seconds} 秒可发言一次` : "慢速模式已关闭"); break;
      case "muted": say(frame.until ? `你已被禁言至 ${new Date(frame.until).toLocaleTimeString()}` : "你已解除禁言", "warn"); break;
      case "banned": say(frame.banned ? "你已被禁止在本直播间发言" : "你已可以重新发言", "warn"); break;
      case "ok": if (frame.action === "report") say("举报已提交，平台会尽快处理"); break;
      case "error":
        if (frame.code === "not_delivered") { // accepted, then lost with the server's history: offer it again
          lost = frame.message;
          if (sent.get(frame.ref) && !input.value) input.value = sent.get(frame.ref);
        }
        say(frame.message, "error");
        break;
      default: panel.dispatchEvent(new CustomEvent("chat-frame", { detail: frame, bubbles: true }));
    }
  }
  function showPinned(announcement) {
    pinned.hidden = !announcement;
    pinned.textContent = announcement ? `📌 ${announcement.text}` : "";
  }

  const connection = new ChatConnection(room, onFrame, (state, code) => {
    panel.dataset.state = state;
    if (state === "reconnecting") say("连接中断，正在重连…", "warn");
    else if (state === "closed" && code === 4503) {
      say("登录已失效，请重新登录", "error");
      form.replaceWith(join);
      sessionEnded();
    } else if (state === "closed") say(`聊天已关闭（${code}）`, "error");
    else if (state === "open") { say(lost ?? "", lost ? "error" : "info"); lost = null; }
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    const ref = connection.send({ type: "chat", text });
    if (ref === null) { say("尚未连接，请稍候", "warn"); return; }
    pending.set(ref, text);
    input.value = "";
  });
  panel.chat = connection;
  connection.connect();
  whoami().then((who) => {
    if (!who) return;
    panel.dataset.user = who.id;
    if (panel.dataset.state !== "closed") join.replaceWith(form);
  }).catch(() => {});
}

const panel = document.getElementById("chat-panel");
if (panel) mountChat(panel);
