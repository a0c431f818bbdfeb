// /login: job seekers sign in with phone + SMS code (the account is created on first sign-in);
// organisation members and platform staff with org + account + password. The server answers with
// the HttpOnly session cookie; this page keeps no token. ?next=<local path> says where to go after.
import { api, el, whoami } from "/static/common.js";

const COUNTDOWN_SECONDS = 60;

/** Only a path on this site: starts with "/", not "//" (another host) and no backslash. */
export function safeNext(raw) {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return "/";
  return raw;
}

const next = safeNext(new URLSearchParams(location.search).get("next"));

function go() { location.assign(next); }

function tabs() {
  const pairs = [["tab-phone", "login-phone"], ["tab-member", "login-member"]];
  const select = (tabId) => {
    for (const [tab, section] of pairs) {
      const on = tab === tabId;
      document.getElementById(tab).setAttribute("aria-selected", on ? "true" : "false");
      document.getElementById(section).hidden = !on;
    }
  };
  for (const [tab] of pairs) document.getElementById(tab).addEventListener("click", () => select(tab));
  if (location.hash === "#member") select("tab-member");
}

function phoneLogin() {
  const form = document.getElementById("phone-form");
  const phone = document.getElementById("login-phone-number");
  const code = document.getElementById("login-sms-code");
  const send = document.getElementById("send-code");
  const error = document.getElementById("phone-error");
  const info = document.getElementById("phone-info");
  let timer = null;

  function countdown(seconds) {
    clearInterval(timer);
    let left = seconds;
    send.disabled = true;
    send.textContent = `${left} 秒后重发`;
    timer = setInterval(() => {
      left -= 1;
      if (left <= 0) { clearInterval(timer); send.disabled = false; send.textContent = "获取验证码"; return; }
      send.textContent = `${left} 秒后重发`;
    }, 1000);
  }

  send.addEventListener("click", async () => {
    error.textContent = ""; info.textContent = "";
    const number = phone.value.trim();
    if (!/^1\d{10}$/.test(number)) { error.textContent = "请输入 11 位手机号"; phone.focus(); return; }
    send.disabled = true;
    try {
      await api("/api/v1/auth/sms-code", { method: "POST", body: { phone: number } });
      info.textContent = "验证码已发送，5 分钟内有效";
      countdown(COUNTDOWN_SECONDS);
      code.focus();
    } catch (failure) {
      error.textContent = failure.message;
      if (failure.status === 429) countdown(COUNTDOWN_SECONDS);
      else send.disabled = false;
    }
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const number = phone.value.trim();
    const sms = code.value.trim();
    if (!/^1\d{10}$/.test(number)) { error.textContent = "请输入 11 位手机号"; return; }
    if (!/^\d{4,8}$/.test(sms)) { error.textContent = "请输入短信验证码"; return; }
    const name = document.getElementById("login-name").value.trim();
    try {
      await api("/api/v1/auth/sms-login", { method: "POST", body: name ? { phone: number, code: sms, name } : { phone: number, code: sms } });
      go();
    } catch (failure) { error.textContent = failure.message; }
  });
}

function memberLogin() {
  const form = document.getElementById("member-form");
  const error = document.getElementById("member-error");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const org = document.getElementById("login-org").value.trim();
    const user = document.getElementById("login-user").value.trim();
    const password = document.getElementById("login-password").value;
    if (!user || !password) { error.textContent = "请输入账号和密码"; return; }
    try {
      await api("/api/v1/auth/login", { method: "POST", body: { org, user, password } });
      go();
    } catch (failure) { error.textContent = failure.message; }
  });
}

/** Someone already signed in: say so, and let members and staff set or change their password (platform
 * staff added by `livehire staff add` sign in once by link, then set their first password here). */
async function signedInNotice() {
  const who = await whoami().catch(() => null);
  if (!who) return;
  const app = document.getElementById("login-app");
  app.prepend(el("p", { class: "panel", id: "already-signed-in" },
    `你已登录为 ${who.name || who.id}。`, el("a", { href: next }, "继续"), "，或在下方切换账号。"));
  if (who.role === "viewer") return;
  const old = el("input", { id: "password-old", type: "password", autocomplete: "current-password", placeholder: "原密码（首次设置留空）" });
  const fresh = el("input", { id: "password-new", type: "password", autocomplete: "new-password", placeholder: "新密码", required: true });
  const status = el("div", { id: "password-status", role: "status" });
  const form = el("form", { id: "password-form", class: "panel login-form" }, el("h2", {}, "设置或修改密码"),
    el("label", {}, "原密码", old), el("label", {}, "新密码", fresh),
    el("button", { type: "submit", id: "password-save" }, "保存密码"), status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const result = await api("/api/v1/auth/password", { method: "POST", body: { old_password: old.value, new_password: fresh.value } });
      status.className = "muted";
      status.textContent = result.ended_sessions ? `密码已保存，其他 ${result.ended_sessions} 处登录已退出` : "密码已保存";
      old.value = ""; fresh.value = "";
    } catch (failure) { status.className = "error"; status.textContent = failure.message; }
  });
  document.getElementById("already-signed-in").after(form);
}

tabs();
phoneLogin();
memberLogin();
signedInNotice();
