/* global window, console */
/**
 * Charts for "Rādītāji" with Chart.js (loaded by a plain <script> from the installed package, no
 * CDN): each chart is a card with its title, a note, the picture (an image with every value in its
 * text for screen readers) and the same numbers as a table.
 */
import { el, str } from "./dom.js";
import { isNum, numberFormat } from "./format.js";

/** Colour-blind-safe colours (Okabe & Ito). */
export const PALETTE = { blue: "#0072B2", vermillion: "#D55E00", green: "#009E73", orange: "#E69F00", purple: "#CC79A7", sky: "#56B4E9", yellow: "#F0E442", black: "#000000" };
const CHART_TEXT = "#1b1f1d";
const CHART_GRID = "#d5ddd8";

const drawn = [];

/** True when Chart.js loaded. */
export const canDrawCharts = () => typeof window.Chart === "function";

/** Removes every chart drawn. */
export function destroyCharts() {
  for (const chart of drawn.splice(0)) {
    try { chart.destroy(); } catch { /* already gone */ }
  }
}

/** A table with a header row; the first cell of each row is its header. */
export function dataTable(head, rows, caption) {
  const table = el("table", "data-table chart-data");
  if (caption) table.appendChild(el("caption", "visually-hidden", caption));
  const thead = el("thead");
  const hr = el("tr");
  head.forEach((h, i) => {
    const th = el("th", i > 0 ? "num" : "", h);
    th.scope = "col";
    hr.appendChild(th);
  });
  thead.appendChild(hr);
  table.appendChild(thead);
  const tbody = el("tbody");
  for (const row of rows) {
    const tr = el("tr");
    row.forEach((cell, i) => {
      const node = el(i === 0 ? "th" : "td", i > 0 ? "num" : "", cell);
      if (i === 0) node.scope = "row";
      tr.appendChild(node);
    });
    tbody.appendChild(tr);
  }
  table.appendChild(tbody);
  return table;
}

/** A chart's card: title, note, the chart (an image to screen readers) and its numbers as a table. */
export function chartCard(parent, spec, canDraw) {
  const figure = el("figure", `card chart-card chart-${spec.kind}${spec.wide ? " chart-wide" : ""}`);
  figure.setAttribute("data-chart", spec.id);
  const caption = el("figcaption", "chart-caption");
  const titleId = `chart-title-${spec.id}`;
  const heading = el("h3", "section-title", spec.title);
  heading.id = titleId;
  caption.appendChild(heading);
  if (spec.note) caption.appendChild(el("p", "chart-note", spec.note));
  figure.appendChild(caption);

  // Said instead of the picture: every value.
  const spoken = spec.rows.map((row) => `${row[0]}: ${row.slice(1).join(", ")}`).join("; ");
  const empty = !spec.series.some((s) => s.data.some((v) => isNum(v) && v !== 0));
  if (empty) {
    // Nothing to draw: say so instead of an empty chart.
    figure.appendChild(el("p", "chart-empty", "Šajā laika posmā – neviena."));
    parent.appendChild(figure);
  } else if (canDraw) {
    const box = el("div", "chart-box");
    if (spec.kind === "hbar") {
      const lines = spec.labels.reduce((n, label) => {
        const wrapped = wrapLabel(label, 26);
        return n + (Array.isArray(wrapped) ? wrapped.length : 1);
      }, 0);
      const perLabel = 22 + 16 * spec.series.length;
      box.style.height = `${Math.max(150, spec.labels.length * perLabel + lines * 10 + (spec.series.length > 1 ? 80 : 40))}px`;
    }
    const canvas = el("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `${spec.title}. ${spec.head.slice(1).join(", ")} – ${spoken}.`);
    box.appendChild(canvas);
    figure.appendChild(box);
    parent.appendChild(figure);
    try {
      drawn.push(new window.Chart(canvas, chartConfig(spec)));
    } catch (error) {
      console.warn("DigiPalīgs: chart not drawn", error);
      box.remove();
    }
  } else {
    parent.appendChild(figure);
  }
  const details = el("details", "chart-table");
  if (!canDraw) details.open = true;
  details.appendChild(el("summary", "", "Skaitļi tabulā"));
  const wrap = el("div", "table-wrap");
  wrap.appendChild(dataTable(spec.head, spec.rows, spec.title));
  details.appendChild(wrap);
  figure.appendChild(details);
}

/** Writes each bar's value next to it (on the chart itself, so it is readable without hovering). */
const valueLabels = {
  id: "dpValues",
  /** Options: `inside` writes the values inside the bars' feet (clear of a line drawn over them), `skipZero`. */
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === "y";
    const inside = Boolean(options && options.inside);
    const skipZero = Boolean(options && options.skipZero);
    ctx.save();
    ctx.font = "700 15px system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif";
    ctx.fillStyle = CHART_TEXT;
    chart.data.datasets.forEach((dataset, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.hidden || meta.type === "line") return;
      meta.data.forEach((bar, j) => {
        const value = dataset.data[j];
        if (!isNum(value) || (skipZero && value === 0)) return;
        const text = numberFormat.format(value);
        const height = typeof bar.base === "number" ? Math.abs(bar.base - bar.y) : 0;
        if (!horizontal && inside && height >= 24) {
          ctx.fillStyle = "#ffffff";
          ctx.textAlign = "center";
          ctx.textBaseline = "bottom";
          ctx.fillText(text, bar.x, bar.base - 4);
          ctx.fillStyle = CHART_TEXT;
        } else if (horizontal) {
          ctx.textAlign = "left";
          ctx.textBaseline = "middle";
          ctx.fillText(text, bar.x + 6, bar.y);
        } else {
          ctx.textAlign = "center";
          ctx.textBaseline = "bottom";
          ctx.fillText(text, bar.x, bar.y - 4);
        }
      });
    });
    ctx.restore();
  },
};

/** A long axis label as lines of about `width` characters (Chart.js draws an array as lines). */
function wrapLabel(label, width) {
  const text = str(label);
  if (text.length <= width) return text;
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && (line + " " + word).length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function chartConfig(spec) {
  const font = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif", size: 15 };
  const horizontal = spec.kind === "hbar";
  const max = Math.max(0, ...spec.series.flatMap((s) => s.data.filter(isNum)));
  const datasets = spec.series.map((s) => (s.line
    ? { type: "line", label: s.label, data: s.data, borderColor: s.color, backgroundColor: s.color, borderWidth: 3, pointRadius: 5, pointStyle: "triangle", pointHoverRadius: 7, tension: 0, order: 0 }
    : { type: "bar", label: s.label, data: s.data, backgroundColor: s.color, borderColor: s.color, borderWidth: 0, borderRadius: 4, maxBarThickness: horizontal ? 26 : 48, order: 1 }));
  const valueAxis = {
    beginAtZero: true,
    // Room for the numbers written at the bars' ends.
    suggestedMax: max > 0 ? Math.ceil(max * (horizontal ? 1.15 : 1.12)) : 1,
    ticks: { color: CHART_TEXT, font, precision: 0, callback: (v) => numberFormat.format(v) },
    grid: { color: CHART_GRID },
    border: { display: false },
  };
  const labelAxis = { ticks: { color: CHART_TEXT, font, autoSkip: !horizontal, maxRotation: 0 }, grid: { display: false } };
  return {
    type: "bar",
    data: { labels: spec.labels.map((label) => wrapLabel(label, horizontal ? 26 : 14)), datasets },
    plugins: [valueLabels],
    options: {
      indexAxis: horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      layout: { padding: { top: horizontal ? 0 : 22, right: horizontal ? 12 : 8 } },
      scales: horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis },
      plugins: {
        legend: { display: spec.series.length > 1, position: "top", align: "start", labels: { color: CHART_TEXT, font, usePointStyle: true, boxWidth: 14, padding: 16, sort: (a, b) => a.datasetIndex - b.datasetIndex } },
        dpValues: { inside: spec.kind === "weeks", skipZero: spec.kind === "weeks" },
        tooltip: { titleFont: font, bodyFont: font, callbacks: { label: (ctx) => `${ctx.dataset.label}: ${numberFormat.format(ctx.parsed[horizontal ? "x" : "y"])}` } },
      },
    },
  };
}

