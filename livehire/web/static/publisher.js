// Host publishing for /studio/{room}: the browser's camera and microphone via WHIP (RFC 9725),
// for hosts without OBS, plus the OBS settings (Service WHIP, Server = WHIP URL, Bearer Token = stream key).
// The bearer is the stream key typed in, or else a short access token of the signed-in host's session
// (accessToken(), kept in state only for this stream's DELETE).
import { accessToken, api, roomSlug } from "/static/common.js";

const panel = document.getElementById("publish-panel");
const whipUrl = `${location.origin}/whip/${encodeURIComponent(roomSlug())}`;
const state = { pc: null, location: null, stream: null, video: null, bearer: null };

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

const preview = el("video", { id: "publish-preview", muted: true, autoplay: true, playsInline: true });
preview.style.width = "100%";
preview.style.background = "#000";
const keyInput = el("input", {
  id: "stream-key", type: "password", placeholder: "推流密钥（留空则使用当前登录的主播账号）", autocomplete: "off",
});
const startButton = el("button", { id: "publish-start", type: "button", textContent: "开始推流" });
const stopButton = el("button", { id: "publish-stop", type: "button", textContent: "停止推流", disabled: true });
const statusLine = el("div", { id: "publish-status", className: "publish-status", role: "status", textContent: "未推流" });
const obs = el("details", { id: "obs-settings", open: true },
  el("summary", { textContent: "使用 OBS 推流（30 及以上版本）" }),
  el("dl", {},
    el("dt", { textContent: "服务 (Service)" }), el("dd", { textContent: "WHIP" }),
    el("dt", { textContent: "服务器 (Server)" }), el("dd", {}, el("code", { id: "obs-server", textContent: whipUrl })),
    el("dt", { textContent: "Bearer 令牌 (Bearer Token)" }),
    el("dd", { textContent: "本直播间的推流密钥（创建直播间时显示，可由管理员重置）" }),
  ),
  el("p", { textContent: "建议：关键帧间隔 2 秒，码率 1500–2500 Kbps；视频 H264 或 VP8，音频 Opus。" +
    "x264 配置文件（Profile）请选 baseline（所有浏览器都能观看）或 main；High 在部分浏览器（如 Firefox）无法播放。" }),
);
panel.append(preview, el("div", { className: "publish-controls" }, keyInput, startButton, stopButton), statusLine, obs);
state.video = preview;

function setStatus(text, live) {
  statusLine.textContent = text;
  panel.dataset.live = live ? "true" : "false";
}

function gatheringDone(pc, limitMs = 2000) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, limitMs);
    pc.addEventListener("icegatheringstatechange", () => {
      if (pc.iceGatheringState === "complete") { clearTimeout(timer); resolve(); }
    });
  });
}

async function stop() {
  const { pc, location: url, stream } = state;
  state.pc = null;
  state.location = null;
  if (url) {
    const headers = {};
    if (state.bearer) headers.Authorization = `Bearer ${state.bearer}`;
    await fetch(url, { method: "DELETE", headers, keepalive: true }).catch(() => {});
  }
  state.bearer = null;
  if (pc) pc.close();
  if (stream) stream.getTracks().forEach((track) => track.stop());
  state.stream = null;
  startButton.disabled = false;
  stopButton.disabled = true;
  setStatus("已停止推流", false);
}

// Simulcast (RFC 8853): three layers, so each viewer gets what its link carries (720p / 360p / 180p).
// The server accepts every layer offered; a browser that cannot send them falls back to one.
const LAYERS = [
  { rid: "h", maxBitrate: 1500000 },
  { rid: "m", scaleResolutionDownBy: 2, maxBitrate: 500000 },
  { rid: "l", scaleResolutionDownBy: 4, maxBitrate: 150000 },
];

function addSender(pc, track, stream) {
  if (track.kind === "video") {
    try {
      return pc.addTransceiver(track, { direction: "sendonly", streams: [stream], sendEncodings: LAYERS });
    } catch (_) { /* no simulcast in this browser: one layer */ }
  }
  return pc.addTransceiver(track, { direction: "sendonly", streams: [stream] });
}

async function start() {
  startButton.disabled = true;
  setStatus("正在打开摄像头和麦克风…", false);
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } }, audio: true,
    });
    state.stream = stream;
    preview.srcObject = stream;
    const pc = new RTCPeerConnection({ iceServers: [] });
    state.pc = pc;
    for (const track of stream.getTracks()) addSender(pc, track, stream);
    pc.addEventListener("connectionstatechange", () => {
      if (state.pc !== pc) return;
      if (pc.connectionState === "connected") setStatus("● 推流中", true);
      if (pc.connectionState === "failed") setStatus("连接失败，请重新开始推流", false);
    });
    await pc.setLocalDescription(await pc.createOffer());
    await gatheringDone(pc);
    const headers = { "Content-Type": "application/sdp" };
    const bearer = keyInput.value.trim() || await accessToken();
    if (!bearer) throw new Error("请填写推流密钥，或先以本直播间主播账号登录");
    state.bearer = bearer;
    headers.Authorization = `Bearer ${bearer}`;
    setStatus("正在连接服务器…", false);
    const response = await fetch(whipUrl, { method: "POST", headers, body: pc.localDescription.sdp });
    if (response.status !== 201) {
      let message = response.statusText;
      try { message = (await response.json()).error.message; } catch (_) { /* not JSON */ }
      const hints = { 401: "推流密钥或令牌无效", 409: "已有推流正在进行", 503: "服务器繁忙，请稍后再试" };
      throw new Error(`${hints[response.status] || "推流被拒绝"}（${message}）`);
    }
    state.location = response.headers.get("Location");
    await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
    stopButton.disabled = false;
  } catch (error) {
    await stop();
    setStatus(`推流失败：${error.message}`, false);
  }
}

const roomLine = el("div", { id: "publish-room-state", className: "publish-room-state" });
statusLine.after(roomLine);
async function pollRoom() {
  try {
    const room = await api(`/api/v1/rooms/${encodeURIComponent(roomSlug())}`);
    const kbps = Math.round((room.bitrate_bps || 0) / 1000);
    roomLine.textContent = room.live ? `直播中 · 观众 ${room.viewers ?? 0} 人 · 上行 ${kbps} Kbps` : "直播间未开播";
  } catch (_) { roomLine.textContent = ""; }
}
pollRoom();
setInterval(pollRoom, 5000);

startButton.addEventListener("click", start);
stopButton.addEventListener("click", stop);
window.addEventListener("pagehide", () => { if (state.location) stop(); });
window.livehirePublisher = state;
