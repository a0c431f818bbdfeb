// An organisation's job clips on its public page (/orgs/{org}): the ones the visitor may watch (4.3.1 a).
import { api, el } from "/static/common.js";

const section = document.getElementById("org-clips");

async function loadClips() {
  try {
    const clips = await api(`/api/v1/orgs/${encodeURIComponent(section.dataset.org)}/clips`);
    const list = document.getElementById("org-clip-list");
    for (const clip of clips) {
      list.append(el("li", { "data-recording": clip.id },
        el("a", { href: `/replay/${encodeURIComponent(clip.id)}` }, clip.title || "岗位短视频"),
        ` · ${Math.round(clip.duration_s)} 秒`));
    }
    section.hidden = !clips.length;
  } catch (_) { /* the page's disclosures stand without the clips */ }
}

if (section) loadClips();
