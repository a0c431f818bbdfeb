// Organisation registration (/me/orgs, standard 5.1.3 a, b): a signed-in person submits enterprise
// information (pending until a platform reviewer decides) and follows the review of what they submitted;
// an approved organisation links to its public page (人力资源市场暂行条例 §32).
import { api, el, signInPrompt, whoami } from "/static/common.js";
import { licencePanel } from "/static/licences.js";
import { ratingPanel } from "/static/org-ratings.js";

const STATE_NAMES = { pending: "待审核", approved: "已通过", rejected: "已驳回" };
const app = document.getElementById("my-orgs-app");
const list = document.getElementById("my-orgs-list");
const form = document.getElementById("org-form");

async function showMine() {
  try {
    const { orgs } = await api("/api/v1/me/orgs");
    list.replaceChildren(...(orgs.length ? [el("ul", { id: "my-orgs" }, orgs.map((org) =>
      el("li", { "data-org": org.id, "data-state": org.state }, org.name, " ",
        el("span", { class: "badge org-state" }, STATE_NAMES[org.state] || org.state),
        org.reason ? el("span", { class: "muted" }, ` 审核意见：${org.reason}`) : null,
        org.state === "approved" ? el("a", { class: "org-public-link", href: `/orgs/${encodeURIComponent(org.id)}` }, " 查看公示页") : null)))]
      : [el("p", { class: "muted", id: "my-orgs-empty" }, "还没有提交过机构")]));
  } catch (failure) {
    list.replaceChildren(el("p", { class: "error" }, `加载失败：${failure.message}`));
  }
}

function value(id) { return document.getElementById(id).value.trim(); }

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("org-form-error");
  error.textContent = "";
  const body = { name: value("org-form-name"), credit_code: value("org-form-credit-code").toUpperCase(),
    kind: value("org-form-kind"), industry: value("org-form-industry"), address: value("org-form-address"),
    contact_phone: value("org-form-phone") };
  if (value("org-form-website")) body.website = value("org-form-website");
  const button = document.getElementById("org-form-submit");
  button.disabled = true;
  try {
    await api("/api/v1/orgs", { method: "POST", body });
    form.reset();
    await showMine();
  } catch (failure) {
    error.textContent = `提交失败：${failure.message}`;
  } finally {
    button.disabled = false;
  }
});

async function start() {
  let who = null;
  try { who = await whoami(); } catch (failure) { list.replaceChildren(el("p", { class: "error" }, `加载失败：${failure.message}`)); return; }
  if (!who) {
    list.replaceChildren(el("div", { id: "my-orgs-login" }, signInPrompt("请先登录（求职者账号即可，用手机号登录）")));
    return;
  }
  form.hidden = false;
  if (who.role === "admin" && who.org) {  // its admin: licences (5.1.1) and evaluation (6.1)
    app.insertBefore(licencePanel(who.org), form);
    app.insertBefore(ratingPanel(who.org), form);
  }
  await showMine();
}

if (app) start();
