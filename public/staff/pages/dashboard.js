/**
 * "Rādītāji" (editors and admins): the municipality's indicators for a period — headline figures,
 * charts with their numbers as tables, staff times, and CSV and JSON downloads. It reads the one
 * shape GET /api/staff/indicators sends (`Indicators` in src/staff/reports/indicators.ts, documented in
 * docs/staff-api.md).
 */
import { $, el, hideAlert, showAlert, str, working } from "../lib/dom.js";
import { PALETTE, canDrawCharts, chartCard, dataTable, destroyCharts } from "../lib/charts.js";
import { fetchContent, flowTitle, guideTitleShort } from "../lib/content.js";
import { decimalFormat, duration, isNum, lvDate, num, percent, plural } from "../lib/format.js";
import { periodForm, periodQuery, periodText } from "../lib/periods.js";
import { focusHeading, registerPage } from "../lib/router.js";
import { api, centreName, pageErrorText, session } from "../lib/session.js";
import { langName, parishName } from "../lib/words.js";

/** The default period: the last 3 months. */
const MONTHS = 3;
/** Coming back to the page shows what was loaded unless it is older than this. */
const FRESH_MS = 120000;

/** Flows that run around every conversation (feedback, menu, language), not a service. */
const SERVICE_FLOWS = ["feedback", "main-menu", "language"];
const RATING_NAMES = { 1: "1 – ļoti slikti", 2: "2 – slikti", 3: "3 – vidēji", 4: "4 – labi", 5: "5 – ļoti labi" };
const TOPIC_NAMES = { unknown: "Tēma nav zināma" };

const state = { seq: 0, loadedFor: "", at: 0 };

const ui = {
  dashboardForm: $("dashboard-form"),
  dashboardFrom: $("dashboard-from"),
  dashboardTo: $("dashboard-to"),
  dashboardCsv: $("dashboard-csv"),
  dashboardJson: $("dashboard-json"),
  dashboardAlert: $("dashboard-alert"),
  dashboardStatus: $("dashboard-status"),
  dashboardBody: $("dashboard-body"),
  headline: $("headline"),
  charts: $("charts"),
};

const period = periodForm({
  from: ui.dashboardFrom,
  to: ui.dashboardTo,
  defaults: (today) => {
    const from = new Date(today);
    from.setMonth(from.getMonth() - MONTHS);
    from.setDate(from.getDate() + 1);
    return { from, to: today };
  },
  downloads: [
    [ui.dashboardCsv, "api/staff/indicators", "raditaji", { format: "csv" }],
    [ui.dashboardJson, "api/staff/indicators", "raditaji", null],
  ],
});

async function loadDashboard(submitted) {
  const chosen = period.read();
  hideAlert(ui.dashboardAlert);
  if (chosen.error) {
    showAlert(ui.dashboardAlert, chosen.error);
    if (submitted) chosen.input.focus();
    return;
  }
  const key = `${chosen.from}/${chosen.to}`;
  if (!submitted && key === state.loadedFor && Date.now() - state.at < FRESH_MS) return;
  const seq = ++state.seq;
  const button = ui.dashboardForm.querySelector("button[type=submit]");
  working(button, true);
  ui.dashboardStatus.textContent = "Ielādē rādītājus…";
  try {
    const [data] = await Promise.all([
      api("GET", `api/staff/indicators?${periodQuery(chosen)}`),
      fetchContent(false).catch(() => null), // guide and flow titles
    ]);
    if (seq !== state.seq || !session.staff) return;
    state.loadedFor = key;
    state.at = Date.now();
    period.links();
    renderDashboard(readIndicators(data), chosen);
    ui.dashboardStatus.textContent = `Rādītāji par ${periodText(chosen)} ielādēti.`;
  } catch (error) {
    if (seq !== state.seq || !session.staff) return;
    ui.dashboardStatus.textContent = "";
    showAlert(ui.dashboardAlert, `Rādītājus neizdevās ielādēt. ${pageErrorText(error)}`);
  } finally {
    if (seq === state.seq) working(button, false);
  }
}

/** A guide's or flow's title for a topic key (`unknown` when the ticket had neither). */
function topicName(key) {
  if (TOPIC_NAMES[key]) return TOPIC_NAMES[key];
  const short = guideTitleShort(key);
  return short !== key ? short : flowTitle(key);
}

/** `{key, count}` lists as `{label, value}`, without empty entries. */
const counted = (list, name) => list.filter((x) => isNum(x.count) && x.count > 0).map((x) => ({ label: name(x.key), value: x.count }));

/** "7. ned." from the week's Monday, and the long form for tables: "09.02.2026.–15.02.2026.". */
function weekLabels(week) {
  const monday = new Date(`${week.weekStart}T12:00:00Z`);
  const sunday = new Date(monday.getTime() + 6 * 86400000).toISOString().slice(0, 10);
  const number = /W(\d{1,2})$/.exec(str(week.week));
  return { label: number ? `${Number(number[1])}. ned.` : lvDate(week.weekStart), long: `${lvDate(week.weekStart)}–${lvDate(sunday)}` };
}

/** The server's indicators as the page draws them (titles and names looked up). */
function readIndicators(d) {
  const outcomes = d.outcomes;
  return {
    totals: {
      conversations: d.totals.conversations,
      residents: d.totals.residents,
      resolved: d.resolvedByBot.share,
      resolvedOf: d.resolvedByBot.conversationsWithQuestions,
      tickets: d.escalations.tickets,
      ratingAverage: d.satisfaction.average,
      ratingCount: d.satisfaction.ratings,
    },
    weeks: d.weeks.map((w) => ({ ...weekLabels(w), conversations: w.conversations, residents: w.residents })),
    byTopic: counted(d.escalations.byTopic, topicName),
    byParish: counted(d.escalations.byParish, (k) => (k !== "unknown" ? parishName(k) : "Pagasts nav zināms")),
    byCentre: counted(d.escalations.byCentre, (k) => (k !== "unknown" ? centreName(k) : "Centrs nav zināms")),
    firstResponse: d.staffTimes.firstResponseMinutes,
    resolution: d.staffTimes.resolutionMinutes,
    distribution: ["1", "2", "3", "4", "5"].map((k) => ({ label: RATING_NAMES[k], value: d.satisfaction.distribution[k] })),
    languages: counted(d.languages.residents, (k) => (k === "unknown" ? "nav zināma" : langName(k))),
    guides: d.guides.filter((g) => g.answers > 0).slice(0, 10).map((g) => ({ label: guideTitleShort(g.id), value: g.answers })),
    flows: d.flows.filter((f) => SERVICE_FLOWS.indexOf(f.id) === -1).map((f) => ({ label: flowTitle(f.id), started: f.started, completed: f.completed })),
    guided: [
      { label: "E-rēķini", started: outcomes.eInvoices.residentsGuided, completed: outcomes.eInvoices.residentsCompleted },
      { label: "E-pieteikumi pašvaldībai", started: outcomes.onlineApplications.residentsGuided, completed: outcomes.onlineApplications.residentsCompleted },
    ],
  };
}

function headlineCard(label, value, note, accent) {
  const li = el("li", `figure-card${accent ? ` figure-${accent}` : ""}`);
  li.appendChild(el("span", "figure-label", label));
  li.appendChild(el("span", "figure-value", value));
  if (note) li.appendChild(el("span", "figure-note", note));
  return li;
}

function renderDashboard(ind, period) {
  destroyCharts();
  const t = ind.totals;
  ui.headline.textContent = "";
  ui.headline.appendChild(headlineCard("Sarunas", num(t.conversations), `${periodText(period)}`, "blue"));
  ui.headline.appendChild(headlineCard("Iedzīvotāji", num(t.residents), "dažādi iedzīvotāji", "vermillion"));
  ui.headline.appendChild(headlineCard("Bots atrisināja pats", percent(t.resolved),
    isNum(t.resolvedOf) ? `no ${num(t.resolvedOf)} sarunām ar jautājumu` : "sarunas bez darbinieka", "green"));
  ui.headline.appendChild(headlineCard("Pieteikumi", num(t.tickets), "nodoti darbiniekiem", "orange"));
  const rating = isNum(t.ratingAverage) ? `${decimalFormat.format(t.ratingAverage)} no 5` : "–";
  const ratingNote = t.ratingCount > 0 ? `${num(t.ratingCount)} ${plural(t.ratingCount, "vērtējums", "vērtējumi")}` : "vērtējumu nav";
  ui.headline.appendChild(headlineCard("Vidējais vērtējums", rating, ratingNote, "purple"));

  const charts = ui.charts;
  charts.textContent = "";
  const canDraw = canDrawCharts();
  if (!canDraw) charts.appendChild(el("p", "info chart-missing", "Diagrammas šobrīd nevar parādīt – visi skaitļi ir redzami tabulās."));

  if (ind.weeks.length) {
    chartCard(charts, {
      id: "weeks",
      title: "Sarunas un iedzīvotāji pa nedēļām",
      note: "Stabiņi – sarunu skaits, līnija – cik dažādu iedzīvotāju rakstīja.",
      wide: true,
      kind: "weeks",
      labels: ind.weeks.map((w) => w.label),
      rows: ind.weeks.map((w) => [w.long || w.label, num(w.conversations), num(w.residents)]),
      head: ["Nedēļa", "Sarunas", "Iedzīvotāji"],
      series: [
        { label: "Sarunas", data: ind.weeks.map((w) => (isNum(w.conversations) ? w.conversations : null)), color: PALETTE.blue },
        { label: "Iedzīvotāji", data: ind.weeks.map((w) => (isNum(w.residents) ? w.residents : null)), color: PALETTE.vermillion, line: true },
      ],
    }, canDraw);
  }
  const bars = (id, title, note, list, color, head) => {
    if (!list.length) return;
    chartCard(charts, {
      id, title, note, kind: "hbar",
      labels: list.map((x) => x.label),
      rows: list.map((x) => [x.label, num(x.value)]),
      head,
      series: [{ label: head[1], data: list.map((x) => x.value), color }],
    }, canDraw);
  };
  bars("topic", "Pieteikumi darbiniekiem pēc tēmas", "Par ko iedzīvotāji lūdza darbinieka palīdzību.", ind.byTopic, PALETTE.orange, ["Tēma", "Pieteikumi"]);
  bars("parish", "Pieteikumi pēc pagasta", "No kura pagasta iedzīvotājs.", ind.byParish, PALETTE.orange, ["Pagasts", "Pieteikumi"]);
  bars("centre", "Pieteikumi pēc centra", "Kurš klientu apkalpošanas centrs tos saņēma.", ind.byCentre, PALETTE.orange, ["Centrs", "Pieteikumi"]);
  staffCard(charts, ind);
  if (ind.distribution.length) {
    chartCard(charts, {
      id: "rating", title: "Iedzīvotāju vērtējumi", note: "Pēc darbinieka palīdzības iedzīvotājs novērtē to no 1 līdz 5.", kind: "bar",
      labels: ind.distribution.map((x) => x.label.replace(" – ", " ")),
      rows: ind.distribution.map((x) => [x.label, num(x.value)]),
      head: ["Vērtējums", "Reizes"],
      series: [{ label: "Reizes", data: ind.distribution.map((x) => x.value), color: PALETTE.purple }],
    }, canDraw);
  }
  if (ind.languages.length) {
    chartCard(charts, {
      id: "langs", title: "Valodas", kind: "hbar",
      note: "Cik iedzīvotāju rakstīja katrā valodā (kas rakstīja divās, skaitīts abās).",
      labels: ind.languages.map((x) => x.label),
      rows: ind.languages.map((x) => [x.label, num(x.value)]),
      head: ["Valoda", "Iedzīvotāji"],
      series: [{ label: "Iedzīvotāji", data: ind.languages.map((x) => x.value), color: PALETTE.sky }],
    }, canDraw);
  }
  bars("guides", "Biežāk izmantotās instrukcijas", "Cik reizes DigiPalīgs atbildēja ar šo instrukciju.", ind.guides, PALETTE.blue, ["Instrukcija", "Reizes"]);
  pairBars(charts, "flows", "Biežāk izmantotie ceļveži", "Cik reizes iedzīvotāji sāka soli-pa-solim ceļvedi un cik reizes to izgāja līdz galam.", ind.flows, ["Ceļvedis", "Sāka", "Pabeidza"], canDraw);
  pairBars(charts, "guided", "Novirzīti uz e-pakalpojumiem",
    "Novirzīti: iedzīvotāji, kam DigiPalīgs atbildēja ar šī e-pakalpojuma instrukciju vai kuri sāka tā soli-pa-solim ceļvedi. Izdarīja paši: kuri ceļvedī apstiprināja, ka izdarīja.",
    ind.guided, ["E-pakalpojums", "Novirzīti", "Izdarīja paši"], canDraw);
  if (!charts.querySelector(".chart-card, .staff-card")) charts.appendChild(el("p", "empty", "Par šo laika posmu datu vēl nav."));
  ui.dashboardBody.hidden = false;
}

/** Horizontal bars with two values per label: started and completed. */
function pairBars(parent, id, title, note, list, head, canDraw) {
  if (!list.length) return;
  chartCard(parent, {
    id, title, note, kind: "hbar",
    labels: list.map((x) => x.label),
    rows: list.map((x) => [x.label, num(x.started), num(x.completed)]),
    head,
    series: [
      { label: head[1], data: list.map((x) => (isNum(x.started) ? x.started : null)), color: PALETTE.blue },
      { label: head[2], data: list.map((x) => (isNum(x.completed) ? x.completed : null)), color: PALETTE.green },
    ],
  }, canDraw);
}

/** Staff speed: median and 90th percentile of the first answer and of the solution. */
function staffCard(parent, ind) {
  const rows = [];
  const count = (t) => num(t.tickets);
  if (ind.firstResponse) rows.push(["Pirmā atbilde iedzīvotājam", duration(ind.firstResponse.median), duration(ind.firstResponse.p90), count(ind.firstResponse)]);
  if (ind.resolution) rows.push(["Pieteikums atrisināts (slēgts)", duration(ind.resolution.median), duration(ind.resolution.p90), count(ind.resolution)]);
  if (!rows.length) return;
  const section = el("section", "card staff-card");
  section.setAttribute("aria-labelledby", "staff-times-title");
  const heading = el("h3", "section-title", "Cik ātri palīdz darbinieki");
  heading.id = "staff-times-title";
  section.appendChild(heading);
  section.appendChild(el("p", "chart-note", "Laiks no pieteikuma izveides. Parasti – puse pieteikumu ātrāk, puse lēnāk (mediāna); gandrīz visi – 9 no 10 pieteikumiem (90. procentile)."));
  const table = dataTable(["Laiks līdz", "Parasti", "Gandrīz visi", "Pieteikumi"], rows, "Darbinieku atbildes laiks");
  table.classList.add("times-table");
  section.appendChild(table);
  parent.appendChild(section);
}


registerPage({
  id: "dashboard",
  hash: "#raditaji",
  name: "Rādītāji",
  roles: ["editor", "admin"],
  section: "page-dashboard",
  heading: "dashboard-title",
  enter({ focus, again }) {
    if (focus && !again) focusHeading("dashboard");
    void loadDashboard(false);
  },
  start() {
    period.reset();
  },
  reset() {
    state.seq++;
    state.loadedFor = "";
    destroyCharts();
    hideAlert(ui.dashboardAlert);
    ui.dashboardBody.hidden = true;
    ui.headline.textContent = "";
    ui.charts.textContent = "";
  },
  wire() {
    ui.dashboardForm.addEventListener("submit", (event) => {
      event.preventDefault();
      void loadDashboard(true);
    });
  },
});
