/**
 * The command line for developers, editors and acceptance checks:
 *   ask [--json] "<question>"      what the bot would answer
 *   eval <file.jsonl> [--json] [--stemmer light|none]   retrieval figures on a question set
 *   check                          validate guides, centres and flows (exit 1 on errors)
 *   chat                           a terminal conversation through the same core
 *   indicators --from … --to …     the assistant's figures for a period, or what went unanswered
 *   content export|import <dir>    the published content as files, or files published
 * @module
 */
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import type { Readable, Writable } from "node:stream";
import { loadContent } from "../content.js";
import { Assistant } from "../core/assistant.js";
import { Conversation, NEW_SESSION } from "../core/conversation.js";
import { loadFlows } from "../flows/load.js";
import { STAFF_USAGE, staffCommand } from "./staff.js";
import { CONTENT_USAGE, contentCommand } from "./content.js";
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
${INDICATORS_USAGE}
${CONTENT_USAGE}`;

/** Where a command reads its settings and input and writes its output (in tests: in-process buffers). */
export interface CliIo {
  readonly stdin: Readable;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
}

/** The process's own streams and environment. */
export const PROCESS_IO: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Splits argv into flags (--name [value]) and positional words. */
function parseArgs(argv: readonly string[], valued: readonly string[] = []): { flags: Map<string, string>; words: string[] } {
  const flags = new Map<string, string>();
  const words: string[] = [];
  const rest = argv.values();
  for (const arg of rest) {
    if (arg.startsWith("--")) {
      const name = arg.slice(2);
      if (valued.includes(name)) {
        const value = rest.next();
        if (value.done) throw new UsageError(`--${name} needs a value\n${USAGE}`);
        flags.set(name, value.value);
      } else {
        flags.set(name, "true");
      }
    } else {
      words.push(arg);
    }
  }
  return { flags, words };
}

async function makeAssistant(io: CliIo, stem: StemMode = "light"): Promise<Assistant> {
  const config = loadConfig(io.env);
  const knowledge = await loadKnowledge(config.knowledgeDir);
  if (hasErrors(knowledge.diagnostics)) {
    for (const d of knowledge.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
    io.stderr.write("Answering from the guides that passed the check. Run `npm run cli -- check` for details.\n");
  }
  return new Assistant({ knowledge, stem });
}

/** A conversation over the shipped guides and flows, as a resident meets it. */
async function makeConversation(io: CliIo, stem: StemMode = "light"): Promise<Conversation> {
  const config = loadConfig(io.env);
  const assistant = await makeAssistant(io, stem);
  const flows = await loadFlows(config.flowsDir, assistant.knowledge);
  for (const d of flows.diagnostics.filter((x) => x.severity === "error")) io.stderr.write(`${formatDiagnostic(d)}\n`);
  return new Conversation({ assistant, flows });
}

async function ask(argv: readonly string[], io: CliIo): Promise<number> {
  const { flags, words } = parseArgs(argv);
  const question = words.join(" ");
  if (question.trim() === "" && words.length === 0) throw new UsageError(`ask needs a question\n${USAGE}`);
  const conversation = await makeConversation(io);
  const out = firstTurn(conversation, question, loadConfig(io.env).defaultLang);
  if (flags.has("json")) {
    io.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    const turn = conversation.handle(NEW_SESSION, { kind: "text", text: question }, { lang: loadConfig(io.env).defaultLang });
    const detail = out.intent === "clarify" ? `clarify: ${(out.suggestions ?? []).join(", ")}` : `${out.intent}${out.flow ? ` (${out.flow})` : ""}`;
    io.stdout.write(`[${out.lang}] ${detail}: ${out.guides.map((g) => `${g.id} ${g.score}`).join(", ")}${out.confidence !== undefined ? `  p=${out.confidence}` : ""}\n\n`);
    io.stdout.write(`${turn.replies.map(renderReply).join("\n\n")}\n`);
  }
  return 0;
}

async function runEval(argv: readonly string[], io: CliIo): Promise<number> {
  const { flags, words } = parseArgs(argv, ["stemmer"]);
  if (words.length === 0) throw new UsageError(`eval needs a file\n${USAGE}`);
  const stem = flags.get("stemmer") ?? "light";
  if (stem !== "light" && stem !== "none") throw new UsageError("--stemmer must be light or none");
  const sets: { file: string; cases: EvalCase[] }[] = [];
  for (const file of words) sets.push({ file, cases: parseEvalFile(await readFile(file, "utf8"), file) });
  const conversation = await makeConversation(io, stem);
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
      if (r?.part !== "in") continue;
      const detection = assistant.detection(c.q);
      const query = assistant.query(c.q, detection);
      const found = assistant.search(query, detection.lang);
      if (found.guides.length === 0) continue;
      rows.push(features(assistant.signals(found.guides, query.words.length, found.unknown)));
      labels.push(found.guides[0] !== undefined && c.expect.includes(found.guides[0].id));
    }
    const fit = fitLogistic(rows, labels);
    io.stdout.write(`Fitted on ${rows.length} held-in questions (${labels.filter(Boolean).length} with the right first guide):\n`);
    io.stdout.write(`  bias: ${fit.bias.toFixed(3)}\n${fit.weights.map((w, i) => `  ${FEATURE_NAMES[i]}: ${w.toFixed(3)}`).join("\n")}\n`);
    io.stdout.write(`  as code: bias: ${fit.bias.toFixed(3)}, weights: [${fit.weights.map((w) => w.toFixed(3)).join(", ")}]\n\n`);
  }
  if (flags.has("calibration")) {
    for (const p of ["in", "out"] as const) {
      io.stdout.write(`Calibration, held-${p} (answer at p ≥ ${CALIBRATION.answer}, clarify at p ≥ ${CALIBRATION.clarify}):\n`);
      io.stdout.write(`${calibrationTable(all.filter((r) => r.part === p), (lo) => band(lo + 1e-9))}\n\n`);
    }
  }
  if (sets.length > 1) {
    for (const s of perSet) io.stdout.write(`${s.file}\n${formatReport(s.results, { misses: false })}\n\n`);
    io.stdout.write("All sets\n");
  }
  io.stdout.write(`${formatReport(all, { misses: !flags.has("no-misses") })}\n`);
  if (flags.has("json")) io.stdout.write(`${JSON.stringify(jsonSummary(all))}\n`);
  return 0;
}

async function check(io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const { knowledge, flows, diagnostics } = await loadContent(config.knowledgeDir, config.flowsDir);
  for (const d of diagnostics) io.stdout.write(`${formatDiagnostic(d)}\n`);
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const guides = [...knowledge.guides.values()].reduce((n, m) => n + m.size, 0);
  io.stdout.write(`Checked ${guides} guide files (${knowledge.ids.length} guides) and ${flows.all.length} flows: ${errors} error(s), ${warnings} warning(s).\n`);
  return errors > 0 ? 1 : 0;
}

async function chat(io: CliIo): Promise<number> {
  const config = loadConfig(io.env);
  const assistant = await makeAssistant(io);
  const flows = await loadFlows(config.flowsDir, assistant.knowledge);
  for (const d of flows.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
  await runTerminalChat({ conversation: new Conversation({ assistant, flows }), input: io.stdin, output: io.stdout, lang: config.defaultLang });
  return 0;
}

/** Runs one CLI command; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "ask":
      return ask(rest, io);
    case "eval":
      return runEval(rest, io);
    case "check":
      return check(io);
    case "chat":
      return chat(io);
    case "staff":
      return staffCommand(rest, { input: io.stdin, output: io.stdout, env: io.env });
    case "indicators":
      return indicatorsCommand(rest, { output: io.stdout, env: io.env });
    case "content":
      return contentCommand(rest, { output: io.stdout, errors: io.stderr, env: io.env });
    default:
      throw new UsageError(USAGE);
  }
}

/** Runs a command as the process does: errors become a message on stderr and an exit code (2 for usage). */
export async function runCli(argv: readonly string[], io: CliIo = PROCESS_IO): Promise<number> {
  try {
    return await main(argv, io);
  } catch (error) {
    const e = asAppError(error);
    io.stderr.write(`${e.message}\n`);
    return e.code === "usage" ? 2 : 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
