/**
 * Newer repository versions kept from going live because an editor published the file since
 * (status.reviews of GET /api/staff/content): shown on "Instrukcijas" with "Pieņemt repozitorija
 * versiju" and "Paturēt redaktora versiju" (POST /api/staff/content/reviews).
 */
import { announce, el, str } from "../lib/dom.js";
import { api } from "../lib/session.js";

/** The editor's address of a content path. */
export function editorHash(path) {
  let m = /^knowledge\/(lv|ru|en)\/([a-z0-9-]+)\.md$/.exec(path);
  if (m) return `#redaktors/guide/${m[1]}/${m[2]}`;
  m = /^flows\/([a-z0-9-]+)\.yaml$/.exec(path);
  if (m) return `#redaktors/flow/${m[1]}`;
  m = /^knowledge\/(centres|holidays)\.yaml$/.exec(path);
  return m ? `#redaktors/data/${m[1]}` : "";
}

/** The list of files to review, or null when there are none. `done` is called after a decision. */
export function reviewList(reviews, done) {
  const items = Array.isArray(reviews) ? reviews.filter((r) => r && typeof r.path === "string") : [];
  if (items.length === 0) return null;
  const box = el("div", "reviews");
  box.appendChild(el("p", "status-title", `Repozitorijā ir jaunāka versija ${items.length} ${items.length === 1 ? "failam" : "failiem"}, ko redaktors bija mainījis – pārskatiet:`));
  const list = el("ul", "problems");
  for (const r of items) {
    const li = el("li", "");
    const link = el("a", "", str(r.path));
    link.href = editorHash(r.path);
    li.appendChild(link);
    for (const [decision, label] of [["accept", "Pieņemt repozitorija versiju"], ["keep", "Paturēt redaktora versiju"]]) {
      const button = el("button", "btn btn-small btn-secondary", label);
      button.type = "button";
      button.addEventListener("click", async () => {
        try {
          await api("POST", "api/staff/content/reviews", { path: r.path, decision });
          announce(decision === "accept" ? "Repozitorija versija publicēta." : "Redaktora versija paturēta.");
          done();
        } catch {
          announce("Neizdevās. Mēģiniet vēlreiz.");
        }
      });
      li.appendChild(button);
    }
    list.appendChild(li);
  }
  box.appendChild(list);
  return box;
}
