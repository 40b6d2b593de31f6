/**
 * A readable line difference for the content editor: removed and added lines with their line
 * numbers, marked by colour and also by "−" / "+" and words for screen readers ("Izņemta 6.
 * rinda"), two lines of unchanged context around each change and "… N nemainītas rindas" between.
 */
import { el } from "../lib/dom.js";
import { diffLines } from "../lib/line-diff.js";

const CONTEXT = 2;

/** One line of the difference. */
function lineItem(row) {
  const li = el("li", `diff-${row.kind}`);
  const number = row.kind === "add" ? row.b : row.a;
  const spoken = row.kind === "add" ? `Pievienota ${number}. rinda: ` : row.kind === "del" ? `Izņemta ${number}. rinda: ` : `${number}. rinda, nemainīta: `;
  li.appendChild(el("span", "visually-hidden", spoken));
  const numbers = el("span", "diff-no", `${row.a ?? ""}`);
  numbers.setAttribute("aria-hidden", "true");
  const after = el("span", "diff-no", `${row.b ?? ""}`);
  after.setAttribute("aria-hidden", "true");
  const mark = el("span", "diff-mark", row.kind === "add" ? "+" : row.kind === "del" ? "−" : " ");
  mark.setAttribute("aria-hidden", "true");
  li.append(numbers, after, mark, el("span", "diff-text", row.text || " "));
  return li;
}

/**
 * The difference from `before` to `after` as a box: a legend naming both sides and the count of
 * changed lines, then the lines. `names` are `{ before, after }` (e.g. "versija 3", "redaktorā").
 */
export function renderDiff(before, after, names) {
  const rows = diffLines(before, after);
  const box = el("div", "diff-box");
  const added = rows.filter((r) => r.kind === "add").length;
  const removed = rows.filter((r) => r.kind === "del").length;
  if (added + removed === 0) {
    box.appendChild(el("p", "diff-legend", `Teksti ir vienādi (${names.before} un ${names.after}).`));
    return box;
  }
  const legend = el("p", "diff-legend");
  legend.append(
    el("span", "diff-key diff-del", `− ${names.before}`), " ",
    el("span", "diff-key diff-add", `+ ${names.after}`),
    ` · pievienotas rindas: ${added}, izņemtas: ${removed}`,
  );
  box.appendChild(legend);
  const list = el("ol", "diff-lines");
  list.setAttribute("aria-label", `Atšķirība: ${names.before} → ${names.after}`);
  let skipped = 0;
  const flush = () => {
    if (skipped === 0) return;
    list.appendChild(el("li", "diff-skip", `… ${skipped} nemainītas rindas`));
    skipped = 0;
  };
  rows.forEach((row, k) => {
    const near = rows.slice(Math.max(0, k - CONTEXT), k + CONTEXT + 1).some((x) => x.kind !== "same");
    if (row.kind === "same" && !near) {
      skipped++;
      return;
    }
    flush();
    list.appendChild(lineItem(row));
  });
  flush();
  box.appendChild(list);
  return box;
}
