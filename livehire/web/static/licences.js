// An organisation's licences on /me/orgs (standard 5.1.1, 4.2.3): its admin submits a licence with the
// evidence file (PDF, PNG or JPEG, at most 5 MB by default; sent as base64 JSON) and follows the review:
// state, the reviewer's reason, validity, re-verification, and the jobs suspended when a licence expired or
// was revoked. Shown to an organisation's admin only (the routes refuse everyone else).
import { api, el, newestOnly } from "/static/common.js";
import { day, lastDay, LICENCE_STATES } from "/static/review-licences.js";

const KINDS = { business_licence: "营业执照", hr_service_licence: "人力资源服务许可证", labour_dispatch_licence: "劳务派遣经营许可证" };

function base64Of(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] || "");
    reader.onerror = () => reject(new Error("无法读取文件"));
    reader.readAsDataURL(file);
  });
}

function row(licence) {
  return el("li", { "data-licence": licence.id, "data-state": licence.state },
    `${licence.kind_name} ${licence.number}（有效期至 ${lastDay(licence.valid_until)}） `,
    el("span", { class: "badge licence-state" }, LICENCE_STATES[licence.state] || licence.state),
    licence.reverify_due ? el("span", { class: "badge warn" }, "待平台定期复核") : null,
    licence.reason ? el("span", { class: "muted licence-reason" }, ` 审核意见：${licence.reason}`) : null,
    licence.state === "verified" && licence.reverify_at ? el("span", { class: "muted" }, ` 下次复核：${day(licence.reverify_at)}`) : null,
    (licence.suspended_jobs || []).length ? el("p", { class: "error licence-suspended" },
      `已下架岗位：${licence.suspended_jobs.map((job) => job.title).join("、")}`) : null);
}

export function licencePanel(org) {
  const list = el("ul", { id: "my-licences" });
  const error = el("p", { class: "error", role: "alert", id: "licence-form-error" });
  const kind = el("select", { id: "licence-kind", name: "kind" },
    ...Object.entries(KINDS).map(([value, name]) => el("option", { value }, name)));
  const number = el("input", { id: "licence-number", maxlength: "100", required: "" });
  const authority = el("input", { id: "licence-authority", maxlength: "200", required: "" });
  const from = el("input", { id: "licence-from", type: "date", required: "" });
  const until = el("input", { id: "licence-until", type: "date", required: "" });
  const file = el("input", { id: "licence-file", type: "file", accept: "application/pdf,image/png,image/jpeg", required: "" });
  const submit = el("button", { type: "submit", id: "licence-submit" }, "提交证照审核");
  const path = `/api/v1/orgs/${encodeURIComponent(org)}/licences`;
  const ticket = newestOnly();
  async function reload() {
    const current = ticket();
    try {
      const { licences } = await api(path);
      if (!current()) return;
      list.replaceChildren(...(licences.length ? licences.map(row) : [el("li", { class: "muted" }, "还没有提交证照")]));
    } catch (failure) { if (current()) list.replaceChildren(el("li", { class: "error" }, `加载失败：${failure.message}`)); }
  }
  const form = el("form", { class: "complaint-form", id: "licence-form" },
    el("label", {}, "证照类型", kind), el("label", {}, "证照编号", number), el("label", {}, "发证机关", authority),
    el("label", {}, "有效期起", from), el("label", {}, "有效期至", until),
    el("label", {}, "证照文件（PDF、PNG 或 JPEG，不超过 5 MB）", file), submit, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const chosen = file.files && file.files[0];
    if (!chosen) { error.textContent = "请选择证照文件"; return; }
    submit.disabled = true;
    try {
      await api(path, { method: "POST", body: { kind: kind.value, number: number.value.trim(), authority: authority.value.trim(),
        valid_from: from.value, valid_until: until.value,
        file: { name: chosen.name, content_type: chosen.type, data: await base64Of(chosen) } } });
      form.reset();
      await reload();
    } catch (failure) {
      error.textContent = `提交失败：${failure.message}`;
    } finally { submit.disabled = false; }
  });
  reload();
  return el("section", { class: "panel", id: "my-licences-panel" }, el("h2", {}, "本机构资质证照"),
    el("p", { class: "muted" }, "证照经平台审核通过且在有效期内，才能发布对应类型的岗位和开展直播招聘；过期或被吊销时相关岗位自动下架。"),
    list, el("h3", {}, "提交证照"), form);
}
