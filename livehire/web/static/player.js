// Viewer video for /live/{room}: plays the room via WHEP into <section id="video-panel">.
// Muted autoplay (browsers allow it without a gesture), an unmute button, live/offline state.
// While nobody publishes the server answers 409 + Retry-After and we retry; once connected we
// stay connected across a host reconnect (the server resumes us at the next keyframe).
// WHEP takes a bearer token only (RFC 9725): a signed-in viewer sends a short access token of
// their session (accessToken()); anonymous viewers of a public room send none.
import { accessToken, api, roomSlug } from "/static/common.js";

const panel = document.getElementById("video-panel");
const state = { pc: null, location: null, video: null, retryTimer: null, stopped: false, quality: "auto" };

function ui() {
  panel.replaceChildren();
  const wrap = document.createElement("div");
  wrap.className = "player";
  const video = document.createElement("video");
  video.id = "live-video";
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  video.setAttribute("playsinline", "");
  video.style.width = "100%";
  video.style.background = "#000";
  const status = document.createElement("div");
  status.id = "live-status";
  status.className = "live-status";
  status.setAttribute("role", "status");
  const unmute = document.createElement("button");
  unmute.type = "button";
  unmute.id = "unmute-button";
  unmute.textContent = "🔇 点击开启声音";
  unmute.addEventListener("click", () => {
    video.muted = !video.muted;
    unmute.textContent = video.muted ? "🔇 点击开启声音" : "🔊 静音";
    if (!video.muted) video.play().catch(() => {});
  });
  // Quality menu: "auto" lets the server pick the simulcast layer by bandwidth; a layer or audio only pins it.
  const quality = document.createElement("select");
  quality.id = "quality-select";
  quality.setAttribute("aria-label", "画质");
  quality.hidden = true;
  quality.addEventListener("change", () => chooseQuality(quality.value));
  wrap.append(video, status, unmute, quality);
  panel.append(wrap);
  state.video = video;
  return { video, status, quality };
}

const { video, status, quality } = ui();
const LAYER_LABELS = ["高清", "标清", "流畅", "极速"];

function showLayers(layers) {
  const wanted = ["auto", ...layers, "audio"];
  const current = [...quality.options].map((option) => option.value);
  quality.hidden = layers.length < 2;
  if (wanted.join() === current.join()) return;
  quality.replaceChildren(...wanted.map((value, index) => {
    const option = document.createElement("option");
    option.value = value;
    option.textContent = value === "auto" ? "自动" : value === "audio" ? "仅声音" : LAYER_LABELS[index - 1] || value;
    return option;
  }));
  quality.value = wanted.includes(state.quality) ? state.quality : "auto";
}

async function chooseQuality(value) {
  state.quality = value;
  if (!state.location) return;
  await fetch(`${state.location}/layer`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ layer: value }),
  }).catch(() => {});
}

function setStatus(text, live) {
  status.textContent = text;
  panel.dataset.live = live ? "true" : "false";
}

function iceServersFromLink(header) {
  // RFC 9725 §4.6: Link: <stun:host:port>; rel="ice-server"
  if (!header) return [];
  const servers = [];
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = part.match(/<([^>]+)>\s*;(.*)/);
    if (!match || !/rel="?ice-server"?/.test(match[2])) continue;
    const server = { urls: match[1] };
    const user = match[2].match(/username="([^"]*)"/);
    const cred = match[2].match(/credential="([^"]*)"/);
    if (user) server.username = user[1];
    if (cred) server.credential = cred[1];
    servers.push(server);
  }
  return servers;
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

function scheduleRetry(seconds) {
  clearTimeout(state.retryTimer);
  state.retryTimer = setTimeout(connect, Math.max(1, seconds) * 1000);
}

async function teardown() {
  const { pc, location: url } = state;
  state.pc = null;
  state.location = null;
  if (url) fetch(url, { method: "DELETE", keepalive: true }).catch(() => {});
  if (pc) pc.close();
}

// A <video> with a live srcObject delays the window's load event until frames arrive, which would
// leave the page "loading" for as long as nobody publishes; so media starts after load.
const pageLoaded = document.readyState === "complete"
  ? Promise.resolve()
  : new Promise((resolve) => addEventListener("load", resolve, { once: true }));

async function connect() {
  if (state.stopped) return;
  await pageLoaded;
  await teardown();
  setStatus("连接中…", false);
  const pc = new RTCPeerConnection({ iceServers: [] });
  state.pc = pc;
  pc.addTransceiver("video", { direction: "recvonly" });
  pc.addTransceiver("audio", { direction: "recvonly" });
  const stream = new MediaStream();
  video.srcObject = stream;
  pc.addEventListener("track", (event) => {
    stream.addTrack(event.track);
    video.play().catch(() => {});
  });
  pc.addEventListener("connectionstatechange", () => {
    if (state.pc !== pc) return;
    if (pc.connectionState === "connected") setStatus("● 直播中", true);
    if (pc.connectionState === "failed" || pc.connectionState === "closed") {
      setStatus("连接中断，正在重连…", false);
      scheduleRetry(2);
    }
  });
  try {
    await pc.setLocalDescription(await pc.createOffer());
    await gatheringDone(pc);
    const headers = { "Content-Type": "application/sdp" };
    const token = await accessToken().catch(() => null);
    if (token) headers.Authorization = `Bearer ${token}`;
    const query = state.quality === "auto" ? "" : `?layer=${encodeURIComponent(state.quality)}`;
    const response = await fetch(`/whep/${encodeURIComponent(roomSlug())}${query}`, {
      method: "POST", headers, body: pc.localDescription.sdp,
    });
    if (response.status === 409) {
      setStatus("主播尚未开播，开播后自动播放", false);
      pc.close();
      state.pc = null;
      scheduleRetry(Number(response.headers.get("Retry-After")) || 5);
      return;
    }
    if (response.status !== 201) {
      let message = response.statusText;
      try { message = (await response.json()).error.message; } catch (_) { /* not JSON */ }
      setStatus(response.status === 401 ? "该直播间需要登录观看" : `无法播放：${message}`, false);
      pc.close();
      state.pc = null;
      scheduleRetry(10);
      return;
    }
    state.location = response.headers.get("Location");
    const servers = iceServersFromLink(response.headers.get("Link"));
    if (servers.length) pc.setConfiguration({ iceServers: servers });
    await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
  } catch (error) {
    setStatus(`播放出错：${error.message}，稍后重试`, false);
    scheduleRetry(5);
  }
}

// The server keeps us connected when the host drops; show that the host is away meanwhile.
async function pollRoom() {
  try {
    const room = await api(`/api/v1/rooms/${encodeURIComponent(roomSlug())}`);
    showLayers(room.layers || []);
    const connected = state.pc && state.pc.connectionState === "connected";
    if (connected && !room.live) setStatus("主播暂时离开，恢复后自动继续播放", false);
    else if (connected && room.live) setStatus(`● 直播中 · ${room.viewers ?? 0} 人在看`, true);
  } catch (_) { /* the rooms API is informative only */ }
}
pollRoom();
setInterval(pollRoom, 5000);

window.addEventListener("pagehide", () => { state.stopped = true; teardown(); });
window.livehirePlayer = state;
connect();
