// Shared helpers for every page: who is signed in, the room of the page, JSON API calls.
// Pages never hold a long-lived credential: the HttpOnly session cookie (set by /login) goes with
// every same-origin request by itself. Only WHIP/WHEP, which take a bearer token (RFC 9725), get a
// short access token from accessToken(), kept in a variable and never stored or put in a URL.

export function roomSlug() {
  return document.body.dataset.room || "";
}

export class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

export async function api(path, options = {}, retried = false) {
  const headers = new Headers(options.headers || {});
  let body = options.body;
  if (body !== undefined && typeof body !== "string" && !(body instanceof FormData) && !(body instanceof Blob)) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(body);
  }
  const response = await fetch(path, { credentials: "same-origin", ...options, headers, body });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (_) { data = text; }
  if (!response.ok) {
    const error = (data && data.error) || {};
    // the session ended elsewhere (signed out on another device, removed from the org): the server has
    // dropped the dead cookie with this answer, so ask once more as an anonymous visitor
    if (response.status === 401 && error.code === "invalid_session" && !retried && path !== "/api/v1/auth/whoami") {
      return api(path, options, true);
    }
    throw new ApiError(response.status, error.code || "http_error", error.message || response.statusText);
  }
  return data;
}

/**
 * Tickets for a list that reloads: only the newest load may draw. A filter changed while an older request
 * is in flight, or an action's reload racing the filter's, would otherwise be overwritten by whichever
 * answer lands last. Make one per list; each load takes `const current = ticket()` and draws only while
 * `current()` is true.
 */
export function newestOnly() {
  let issued = 0;
  return () => {
    const mine = ++issued;
    return () => mine === issued;
  };
}

let whoamiPromise = null;

/** The signed-in person ({id, role, org, room, name, session}) or null; asked once per page. */
export function whoami() {
  if (!whoamiPromise) {
    whoamiPromise = api("/api/v1/auth/whoami").catch((error) => {
      if (error.status === 401) return null;
      whoamiPromise = null; // a network failure: ask again next time
      throw error;
    });
  }
  return whoamiPromise;
}

let cachedAccess = null; // { token, until }: in this variable only, never stored or put in a URL

/** A short access token of this page's session, for WHIP/WHEP (bearer-only); null when signed out. */
export async function accessToken() {
  if (cachedAccess && cachedAccess.until > Date.now()) return cachedAccess.token;
  if (!(await whoami().catch(() => null))) return null;
  try {
    const data = await api("/api/v1/auth/token", { method: "POST" });
    cachedAccess = { token: data.token, until: Date.now() + Math.max(0, (data.expires_in || 0) - 60) * 1000 };
    return data.token;
  } catch (error) {
    if (error.status === 401) return null;
    throw error;
  }
}

/** /login?next=<this page>: where sign-in sends the person back to. */
// The public complaint form about one target (4.4.1 e; no sign-in needed): /complaints/new pre-fills from the query.
export function complaintUrl(targetType, targetId) {
  return `/complaints/new?${new URLSearchParams({ target_type: targetType, target_id: targetId })}`;
}

export function loginUrl(next = location.pathname + location.search + location.hash) {
  return `/login?next=${encodeURIComponent(next)}`;
}

export async function logout() {
  try { await api("/api/v1/auth/logout", { method: "POST" }); } catch (_) { /* already ended */ }
  whoamiPromise = null;
  cachedAccess = null;
}

/** The server ended this page's session (e.g. a chat socket closed with 4503): ask who we are again. */
export function sessionEnded() {
  whoamiPromise = null;
  cachedAccess = null;
  renderLoginBar();
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

/** A "请先登录" notice with a link to /login that comes back here. */
export function signInPrompt(text = "请先登录") {
  return el("p", { class: "sign-in-prompt", id: "sign-in-prompt" }, `${text}：`,
    el("a", { href: loginUrl(), id: "sign-in-link" }, "登录"));
}

export const ROLE_NAMES = { viewer: "求职者", host: "主播", recruiter: "招聘专员", reviewer: "审核员", admin: "管理员" };

export async function renderLoginBar() {
  const bar = document.getElementById("login-bar");
  if (!bar) return;
  let me = null;
  try { me = await whoami(); } catch (_) { /* offline: show the sign-in link */ }
  bar.replaceChildren();
  if (me) {
    const label = `${me.name || me.id}（${ROLE_NAMES[me.role] || me.role}）`;
    bar.append(el("span", { id: "whoami", "data-user": me.id }, label), " ",
      el("button", { class: "secondary", type: "button", id: "logout-button", onclick: async () => {
        await logout();
        location.reload();
      } }, "退出"));
  } else if (document.body.dataset.page !== "login") {
    bar.append(el("span", { id: "whoami" }, "未登录"), " ", el("a", { href: loginUrl(), id: "login-link" }, "登录"));
  }
}

renderLoginBar();
