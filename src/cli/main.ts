/**
 * The command line for developers, editors and acceptance checks:
 *   ask [--json] "<question>"      what the bot would answer
 *   eval <file.jsonl> [--json] [--stemmer light|none]   retrieval figures on a question set
 *   check                          validate guides, centres and flows (exit 1 on errors)
 *   chat                           a terminal conversation through the same core
 *   indicators --from … --to …     the assistant's figures for a period, or what went unanswered
 * @module
 */
import { readFile } from "node:fs/promises";
import { loadContent } from "../content.js";
import { Assistant } from "../core/assistant.js";
import { Conversation, NEW_SESSION } from "../core/conversation.js";
import { loadFlows } from "../flows/load.js";
import { STAFF_USAGE, staffCommand } from "./staff.js";
import { INDICATORS_USAGE, indicatorsCommand } from "./indicators.js";
import { asAppError, UsageError } from "../core/errors.js";
import { renderReply, runTerminalChat } from "../channels/terminal.js";
import { loadConfig } from "../config.js";
import { formatDiagnostic, hasErrors } from "../knowledge/diagnostics.js";
import { loadKnowledge } from "../knowledge/load.js";
import type { StemMode } from "../nlp/stem.js";
import { band, CALIBRATION, features, fitLogistic, FEATURE_NAMES } from "../nlp/confidence.js";
import { calibrationTable, evaluate, firstTurn, formatReport, jsonSummary, parseEvalFile, type EvalCase } from "./eval.js";

const USAGE = `Usage: npm run --silent cli -- <command>
  ask [--json] "<question>"                 show what the bot answers (the first turn of a conversation)
  eval <file.jsonl>… [--json] [--calibration [--fit]] [--stemmer light|none]
                                            understanding figures on question sets (held-in / held-out)
  check                                     validate guides, centres and flows
  chat                                      talk to the bot in this terminal
${STAFF_USAGE}
${INDICATORS_USAGE}`;

/** Splits argv into flags (--name [value]) and positional words. */
function parseArgs(argv: readonly string[], valued: readonly string[] = []): { flags: Map<string, string>; words: string[] } {
  const flags = new Map<string, string>();
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      if (valued.includes(name)) {
        const value = argv[++i];
        if (value === undefined) throw new UsageError(`--${name} needs a value\n${USAGE}`);
        flags.set(name, value);
      } else {
        flags.set(name, "true");
      }
    } else {
      words.push(arg);
    }
  }
  return { flags, words };
}

async function makeAssistant(stem: StemMode = "light"): Promise<Assistant> {
  const config = loadConfig();
  const knowledge = await loadKnowledge(config.knowledgeDir);
  if (hasErrors(knowledge.diagnostics)) {
    for (const d of knowledge.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
    process.stderr.write("Answering from the guides that passed the check. Run `npm run cli -- check` for details.\n");
  }
  return new Assistant({ knowledge, stem });
}

/** A conversation over the shipped guides and flows, as a resident meets it. */
async function makeConversation(stem: StemMode = "light"): Promise<Conversation> {
  const config = loadConfig();
  const assistant = await makeAssistant(stem);
  const flows = await loadFlows(config.flowsDir, assistant.knowledge);
  for (const d of flows.diagnostics.filter((x) => x.severity === "error")) process.stderr.write(`${formatDiagnostic(d)}\n`);
  return new Conversation({ assistant, flows });
}

async function ask(argv: readonly string[]): Promise<number> {
  const { flags, words } = parseArgs(argv);
  const question = words.join(" ");
  if (question.trim() === "" && words.length === 0) throw new UsageError(`ask needs a question\n${USAGE}`);
  const conversation = await makeConversation();
  const out = firstTurn(conversation, question, loadConfig().defaultLang);
  if (flags.has("json")) {
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    const turn = conversation.handle(NEW_SESSION, { kind: "text", text: question }, { lang: loadConfig().defaultLang });
    const detail = out.intent === "clarify" ? `clarify: ${(out.suggestions ?? []).join(", ")}` : `${out.intent}${out.flow ? ` (${out.flow})` : ""}`;
    process.stdout.write(`[${out.lang}] ${detail}: ${out.guides.map((g) => `${g.id} ${g.score}`).join(", ")}${out.confidence !== undefined ? `  p=${out.confidence}` : ""}\n\n`);
    process.stdout.write(`${turn.replies.map(renderReply).join("\n\n")}\n`);
  }
  return 0;
}

async function runEval(argv: readonly string[]): Promise<number> {
  const { flags, words } = parseArgs(argv, ["stemmer"]);
  if (words.length === 0) throw new UsageError(`eval needs a file\n${USAGE}`);
  const stem = flags.get("stemmer") ?? "light";
  if (stem !== "light" && stem !== "none") throw new UsageError("--stemmer must be light or none");
  const sets: { file: string; cases: EvalCase[] }[] = [];
  for (const file of words) sets.push({ file, cases: parseEvalFile(await readFile(file, "utf8"), file) });
  const conversation = await makeConversation(stem);
  const perSet = sets.map((s) => ({ file: s.file, results: evaluate(conversation, s.cases) }));
  const all = perSet.flatMap((s) => s.results);
  if (flags.has("fit")) {
    // Refit the confidence model on the held-in retrieval questions (see src/nlp/confidence.ts).
    const assistant = conversation.assistant;
    const rows: number[][] = [];
    const labels: boolean[] = [];
    for (const c of sets.flatMap((s) => s.cases)) {
      if (c.expect.includes("escalate")) continue;
      const r = all.find((x) => x.q === c.q);
      if (!r || r.part !== "in") continue;
      const detection = assistant.detection(c.q);
      const query = assistant.query(c.q, detection);
      const found = assistant.search(query, detection.lang);
      if (found.guides.length === 0) continue;
      rows.push(features(assistant.signals(found.guides, query.words.length, found.unknown)));
      labels.push(found.guides[0] !== undefined && c.expect.includes(found.guides[0].id));
    }
    const fit = fitLogistic(rows, labels);
    process.stdout.write(`Fitted on ${rows.length} held-in questions (${labels.filter(Boolean).length} with the right first guide):\n`);
    process.stdout.write(`  bias: ${fit.bias.toFixed(3)}\n${fit.weights.map((w, i) => `  ${FEATURE_NAMES[i]}: ${w.toFixed(3)}`).join("\n")}\n`);
    process.stdout.write(`  as code: bias: ${fit.bias.toFixed(3)}, weights: [${fit.weights.map((w) => w.toFixed(3)).join(", ")}]\n\n`);
  }
  if (flags.has("calibration")) {
    for (const p of ["in", "out"] as const) {
      process.stdout.write(`Calibration, held-${p} (answer at p ≥ ${CALIBRATION.answer}, clarify at p ≥ ${CALIBRATION.clarify}):\n`);
      process.stdout.write(`${calibrationTable(all.filter((r) => r.part === p), (lo) => band(lo + 1e-9))}\n\n`);
    }
  }
  if (sets.length > 1) {
    for (const s of perSet) process.stdout.write(`${s.file}\n${formatReport(s.results, { misses: false })}\n\n`);
    process.stdout.write("All sets\n");
  }
  process.stdout.write(`${formatReport(all, { misses: !flags.has("no-misses") })}\n`);
  if (flags.has("json")) process.stdout.write(`${JSON.stringify(jsonSummary(all))}\n`);
  return 0;
}

async function check(): Promise<number> {
  const config = loadConfig();
  const { knowledge, flows, diagnostics } = await loadContent(config.knowledgeDir, config.flowsDir);
  for (const d of diagnostics) process.stdout.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const guides = [...knowledge.guides.values()].reduce((n, m) => n + m.size, 0);
  process.stdout.write(`Checked ${guides} guide files (${knowledge.ids.length} guides) and ${flows.all.length} flows: ${errors} error(s), ${warnings} warning(s).\n`);
  return errors > 0 ? 1 : 0;
}

async function chat(): Promise<number> {
  const config = loadConfig();
  const assistant = await makeAssistant();
  const flows = await loadFlows(config.flowsDir, assistant.knowledge);
  for (const d of flows.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`);
  await runTerminalChat({ conversation: new Conversation({ assistant, flows }), input: process.stdin, output: process.stdout, lang: config.defaultLang });
  return 0;
}

/** Runs one CLI command; returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "ask":
      return ask(rest);
    case "eval":
      return runEval(rest);
    case "check":
      return check();
    case "chat":
      return chat();
    case "staff":
      return staffCommand(rest);
    case "indicators":
      return indicatorsCommand(rest);
    default:
      throw new UsageError(USAGE);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const e = asAppError(error);
    process.stderr.write(`${e.message}\n`);
    process.exitCode = e.code === "usage" ? 2 : 1;
  },
);
