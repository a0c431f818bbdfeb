// Shared helpers for every page: the caller's token, the room of the page, JSON API calls.
const TOKEN_KEY = "livehire.token";

export function getToken() {
  const fromQuery = new URLSearchParams(location.search).get("token");
  if (fromQuery) {
    try { localStorage.setItem(TOKEN_KEY, fromQuery); } catch (_) { /* private mode */ }
    return fromQuery;
  }
  try { return localStorage.getItem(TOKEN_KEY); } catch (_) { return null; }
}

export function setToken(token) {
  try { token ? localStorage.setItem(TOKEN_KEY, token) : localStorage.removeItem(TOKEN_KEY); } catch (_) { /* ignore */ }
}

export function tokenClaims(token = getToken()) {
  if (!token) return null;
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(decodeURIComponent(escape(atob(payload))));
  } catch (_) { return null; }
}

export function roomSlug() {
  return document.body.dataset.room || "";
}

export class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

export async function api(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const token = getToken();
  if (token && !headers.has("Authorization")) headers.set("Authorization", `Bearer ${token}`);
  let body = options.body;
  if (body !== undefined && typeof body !== "string" && !(body instanceof FormData) && !(body instanceof Blob)) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(body);
  }
  const response = await fetch(path, { ...options, headers, body });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = text; }
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(response.status, error.code || "http_error", error.message || response.statusText);
  }
  return data;
}

/** A viewer token for chatting and applying: the stored one, or a guest token for a name. */
export async function ensureViewerToken(name) {
  const existing = getToken();
  if (existing) return existing;
  const data = await api("/api/v1/auth/guest", { method: "POST", body: { name } });
  setToken(data.token);
  renderLoginBar();
  return data.token;
}

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "class") node.className = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    // the CSP forbids style attributes; inline styles go through the CSSOM (allowed) or, better, a class
    else if (key === "style") Object.assign(node.style, value);
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function renderLoginBar() {
  const bar = document.getElementById("login-bar");
  if (!bar) return;
  const claims = tokenClaims();
  bar.replaceChildren();
  if (claims) {
    const label = `${claims.name || claims.sub}（${ROLE_NAMES[claims.role] || claims.role}）`;
    bar.append(el("span", { id: "whoami" }, label), " ",
      el("button", { class: "secondary", type: "button", onclick: () => { setToken(null); location.reload(); } }, "退出"));
  } else {
    bar.append(el("span", { id: "whoami" }, "未登录（游客只能观看）"));
  }
}

export const ROLE_NAMES = { viewer: "求职者", host: "主播", recruiter: "招聘专员", reviewer: "审核员", admin: "管理员" };

renderLoginBar();
