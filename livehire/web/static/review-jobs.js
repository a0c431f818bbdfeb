// Job queue of the review desk (/review, standard 5.1.3 c; 人力资源市场暂行条例 §26): jobs the filter or the
// industry list doubted, with the reasons (matched terms masked); approve (published as a new version) or
// reject with a reason the poster reads. Platform reviewers and admins only (the routes refuse everyone else).
import { api, el, newestOnly } from "/static/common.js";

const KIND_NAMES = { own: "自有岗位", agency: "代招岗位", dispatch: "劳务派遣岗位" };
const STATE_NAMES = { pending_review: "待审核", published: "已发布", rejected: "已驳回", draft: "草稿", closed: "已关闭" };

function day(ms) {
  return ms ? new Date(ms).toLocaleDateString("zh-CN", { timeZone: "Asia/Shanghai" }) : "—";
}

function jobCard(job, reload, notice) {
  const reason = el("input", { class: "job-reason", placeholder: "审核意见（驳回时必填，发布者可见）", maxlength: "500" });
  const decide = async (decision, done) => {
    try {
      await api(`/api/v1/review/jobs/${encodeURIComponent(job.id)}`, { method: "POST",
        body: { decision, reason: reason.value.trim() || null } });
      notice(`${done}：${job.org_name} ${job.title}`);
      await reload();
    } catch (failure) { notice(`操作失败：${failure.message}`, "error"); }
  };
  const flags = el("ul", { class: "job-flags" }, ...job.review_flags.map((flag) =>
    el("li", { "data-category": flag.category }, `${flag.label}${flag.terms.length ? `：${flag.terms.join("、")}` : ""}`)));
  return el("article", { class: "review-card review-job", "data-job": job.id, "data-state": job.status },
    el("h3", {}, `${job.org_name} · ${job.title}`, " ",
      el("span", { class: "badge job-state" }, STATE_NAMES[job.status] || job.status),
      job.review_flags.length ? el("span", { class: "badge warn" }, "需人工审核") : null),
    el("dl", { class: "review-facts" },
      el("dt", {}, "类型"), el("dd", {}, KIND_NAMES[job.kind] || job.kind),
      el("dt", {}, "用人单位"), el("dd", {}, job.employer),
      job.kind === "agency" ? el("dt", {}, "委托书") : null,
      job.kind === "agency" ? el("dd", {}, `编号 ${job.mandate_ref || "—"} `,
        `（有效期至 ${job.mandate_valid_until ? day(job.mandate_valid_until) : "未填写"}） `, job.mandate_file
        ? el("a", { class: "job-mandate-file", target: "_blank", rel: "noopener", href: `/api/v1/jobs/${encodeURIComponent(job.id)}/mandate` },
          `查看委托书（${job.mandate_file.content_type}，${Math.ceil(job.mandate_file.size / 1024)} KB）`)
        : el("span", { class: "muted" }, "无委托书文件")) : null,
      el("dt", {}, "工作地点"), el("dd", {}, job.location),
      el("dt", {}, "月薪"), el("dd", {}, `${job.salary_min}–${job.salary_max} 元 · 招 ${job.headcount} 人`),
      el("dt", {}, "任职要求"), el("dd", { class: "job-requirements" }, job.requirements || "—"),
      el("dt", {}, "福利待遇"), el("dd", {}, job.benefits || "—"),
      el("dt", {}, "有效期"), el("dd", {}, `${day(job.valid_from)} 至 ${day(job.valid_until)}`),
      el("dt", {}, "行业"), el("dd", {}, job.industry || "（机构所属行业）")),
    el("p", {}, "审核原因："), flags,
    job.review_reason ? el("p", { class: "muted" }, `审核意见：${job.review_reason}`) : null,
    job.status === "pending_review" ? el("div", { class: "review-actions" }, reason,
      el("button", { type: "button", class: "job-approve", onclick: () => decide("approve", "已通过并发布") }, "通过"),
      el("button", { type: "button", class: "secondary job-reject", onclick: () => decide("reject", "已驳回") }, "驳回")) : null);
}

export function jobSection(section, notice) {
  const filter = el("select", { id: "job-filter" },
    el("option", { value: "pending_review" }, "待审核"), el("option", { value: "rejected" }, "已驳回"),
    el("option", { value: "published" }, "已发布"), el("option", { value: "all" }, "全部"));
  const list = el("div", { id: "review-job-list" });
  const status = el("div", { id: "review-job-status" });
  const ticket = newestOnly();
  async function reload() {
    const current = ticket();
    try {
      const { jobs } = await api(`/api/v1/review/jobs?state=${filter.value}`);
      if (!current()) return;
      list.replaceChildren(...(jobs.length ? jobs.map((job) => jobCard(job, reload, (text, kind) => notice(status, text, kind)))
        : [el("p", { class: "muted", id: "review-job-empty" }, "没有符合条件的岗位")]));
    } catch (failure) { if (current()) notice(list, `加载失败：${failure.message}`, "error"); }
  }
  filter.addEventListener("change", reload);
  reload();
  return section("review-jobs", "岗位信息审核", el("div", { class: "office-filters" }, filter), status, list);
}
