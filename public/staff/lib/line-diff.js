/**
 * Line differences of two texts and a line-based three-way merge, for the content editor's
 * history, its "someone published meanwhile" panel and "take the latest and re-apply my changes".
 * Pure functions (no DOM), so they read and test on their own.
 */

/** Above this many cells the middle part is not aligned line by line (shown as removed + added). */
const MAX_CELLS = 4_000_000;

/**
 * The rows of a line-by-line difference (longest common subsequence, after trimming the common
 * start and end): `{ kind: "same" | "del" | "add", text, a?, b? }` where `a` is the line's number
 * in `before` and `b` its number in `after` (1-based).
 */
export function diffLines(before, after) {
  const a = before.split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const rows = [];
  for (let k = 0; k < start; k++) rows.push({ kind: "same", text: a[k], a: k + 1, b: k + 1 });
  const n = endA - start;
  const m = endB - start;
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) rows.push({ kind: "del", text: a[i], a: i + 1 });
    for (let j = start; j < endB; j++) rows.push({ kind: "add", text: b[j], b: j + 1 });
  } else {
    // lcs[i * (m + 1) + j]: the longest common subsequence of a[start+i…] and b[start+j…].
    const lcs = new Uint32Array((n + 1) * (m + 1));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i * (m + 1) + j] = a[start + i] === b[start + j] ? lcs[(i + 1) * (m + 1) + j + 1] + 1 : Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[start + i] === b[start + j]) {
        rows.push({ kind: "same", text: a[start + i], a: start + i + 1, b: start + j + 1 });
        i++;
        j++;
      } else if (i < n && (j >= m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
        rows.push({ kind: "del", text: a[start + i], a: start + i + 1 });
        i++;
      } else {
        rows.push({ kind: "add", text: b[start + j], b: start + j + 1 });
        j++;
      }
    }
  }
  for (let k = 0; k < a.length - endA; k++) rows.push({ kind: "same", text: a[endA + k], a: endA + k + 1, b: endB + k + 1 });
  return rows;
}

/**
 * The changes from `base` to `text` as hunks over base's lines: `{ start, end, lines }` replaces
 * base lines [start, end) (0-based) with `lines`; an insertion has start === end.
 */
function hunks(base, text) {
  const out = [];
  let at = 0;
  let open = null;
  for (const row of diffLines(base, text)) {
    if (row.kind === "same") {
      if (open) out.push(open);
      open = null;
      at++;
      continue;
    }
    if (!open) open = { start: at, end: at, lines: [] };
    if (row.kind === "del") {
      at++;
      open.end = at;
    } else {
      open.lines.push(row.text);
    }
  }
  if (open) out.push(open);
  return out;
}

/** Base lines [start, end) with `changes` (all inside that range) applied. */
function applied(base, changes, start, end) {
  const out = [];
  let at = start;
  for (const h of changes) {
    out.push(...base.slice(at, h.start), ...h.lines);
    at = h.end;
  }
  out.push(...base.slice(at, end));
  return out;
}

const same = (x, y) => x.length === y.length && x.every((line, k) => line === y[k]);

/**
 * Carries the changes made from `base` to `mine` over to `theirs` (someone else's newer version
 * of the same base). Where both changed the same lines (or lines touching each other)
 * differently, their version is kept and the place is reported, so that the editor can re-apply
 * their own wording by hand: `{ text, conflicts: [{ line, mine: [..], theirs: [..] }] }`, `line`
 * being the 1-based line in `text` where the place starts.
 */
export function mergeLines(base, mine, theirs) {
  const baseLines = base.split("\n");
  const ours = hunks(base, mine).map((h) => ({ ...h, side: "mine" }));
  const other = hunks(base, theirs).map((h) => ({ ...h, side: "theirs" }));
  const all = [...ours, ...other].sort((x, y) => x.start - y.start || x.end - y.end);
  const out = [];
  const conflicts = [];
  let at = 0;
  let k = 0;
  while (k < all.length) {
    const group = [all[k]];
    let end = all[k].end;
    k++;
    while (k < all.length && all[k].start <= end) {
      group.push(all[k]);
      end = Math.max(end, all[k].end);
      k++;
    }
    const start = group[0].start;
    out.push(...baseLines.slice(at, start));
    const mineHere = group.filter((h) => h.side === "mine");
    const theirsHere = group.filter((h) => h.side === "theirs");
    const myLines = applied(baseLines, mineHere, start, end);
    const theirLines = applied(baseLines, theirsHere, start, end);
    if (mineHere.length === 0 || theirsHere.length === 0 || same(myLines, theirLines)) {
      out.push(...(theirsHere.length === 0 ? myLines : theirLines));
    } else {
      conflicts.push({ line: out.length + 1, mine: myLines, theirs: theirLines });
      out.push(...theirLines);
    }
    at = end;
  }
  out.push(...baseLines.slice(at));
  return { text: out.join("\n"), conflicts };
}
