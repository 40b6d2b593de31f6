/**
 * The end-to-end benchmark: simulated residents on the local Telegram emulator, first against a
 * bare grammY echo bot, then against DigiPalīgs (embedded PGlite, and a PostgreSQL server when one
 * is reachable). Each bot runs in its own process, the emulator and residents in another.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { Update } from "grammy/types";
import { containerStart } from "../start-command.js";
import { planMessages, toInput } from "../../src/channels/telegram.js";
import { Assistant } from "../../src/core/assistant.js";
import { Conversation, NEW_SESSION, type SessionState } from "../../src/core/conversation.js";
import { isLang, type Input, type Lang } from "../../src/core/types.js";
import { loadContent } from "../../src/content.js";
import type { LoadResult, ResidentScript } from "./load.js";
import { must } from "../../tests/support/must.js";

const HERE = import.meta.dirname;
const ROOT = path.resolve(HERE, "../..");

/** What residents type, per script (rotated across residents). */
const SCRIPTS: readonly { lang: Lang; texts: readonly string[] }[] = [
  { lang: "lv", texts: ["/start", "ka sanemt e-rekinu par udeni", "paldies", "/start e-invoices", "1", "1", "gatavs", "gatavs", "kā deklarēt dzīvesvietu", "/menu"] },
  { lang: "ru", texts: ["/start", "как получать счета по электронной почте", "👍 Да", "Как подать заявление в самоуправление?", "/language", "English", "how do I pay property tax", "👎 No", "/help", "/menu"] },
  { lang: "en", texts: ["/start", "how do I activate my e-address", "thanks", "Someone called from the bank and asked for my PIN code", "2", "/menu", "water meter reading", "/person", "hello", "/start application"] },
  { lang: "lv", texts: ["labdien", "Man zvanīja no bankas un prasīja PIN kodu", "/menu", "kur ir tuvākais klientu centrs", "👍 Jā", "kā iegūt eParakstu", "asdf qwer", "zxcv tyui", "/language", "Latviešu"] },
];

/** A row of the table. */
export interface EndToEndRow {
  readonly bot: string;
  readonly messages: number;
  readonly replies: number;
  readonly throughput: number;
  readonly p50: number;
  readonly p95: number;
  readonly peakRssMb: number;
  /** CPU time of the bot process per message (ms). */
  readonly botCpuPerMessage: number;
  /** Database statements the bot sent per message (BEGIN and COMMIT count). */
  readonly queriesPerMessage: number;
  /** The statements by their first line, with how many times each was sent. */
  readonly queries: Readonly<Record<string, number>>;
  /** CPU time of the emulator and simulated residents per message (ms). */
  readonly emulatorCpuPerMessage: number;
  readonly problems: readonly string[];
}

function plain(html: string): string {
  return html.replace(/<[^>]+>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&amp;/g, "&").trim();
}

/** A resident's messages as the Telegram channel turns them into inputs (the same scripts as the residents type). */
export function residentInputs(residents: number): { chatId: number; lang: Lang; texts: readonly string[]; inputs: Input[] }[] {
  return Array.from({ length: residents }, (_, r) => {
    const script = must(SCRIPTS[r % SCRIPTS.length], "a resident's script");
    const chatId = 500_000 + r;
    const inputs = script.texts.map((text) => {
      const update = {
        update_id: 1,
        message: {
          message_id: 1, date: 0, chat: { id: chatId, type: "private", first_name: "R" }, text,
          ...(text.startsWith("/") ? { entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]?.length ?? 1 }] } : {}),
        },
      } as unknown as Update;
      const input = toInput(update);
      if (!input) throw new Error(`no input for ${text}`);
      return input;
    });
    return { chatId, lang: script.lang, texts: script.texts, inputs };
  });
}

/** The replies DigiPalīgs must send, computed with the same pure core the bot runs. */
function expectedScripts(conversation: Conversation, residents: number): ResidentScript[] {
  return residentInputs(residents).map(({ chatId, lang: scriptLang, texts, inputs }) => {
    let state: SessionState = NEW_SESSION;
    let lang: Lang = scriptLang;
    const messages = inputs.map((input, i) => {
      const result = conversation.handle(state, input, { lang });
      state = JSON.parse(JSON.stringify(result.state)) as SessionState;
      lang = isLang(result.lang) ? result.lang : lang;
      const planned = planMessages(result.replies, result.showActions ? conversation.mainActions(result.lang) : undefined);
      return { text: must(texts[i], "the text of an input"), expect: planned.map((m) => plain(m.text).slice(0, 30)) };
    });
    return { chatId, languageCode: scriptLang, messages };
  });
}

function echoScripts(residents: number): ResidentScript[] {
  return Array.from({ length: residents }, (_, r) => {
    const script = must(SCRIPTS[r % SCRIPTS.length], "a resident's script");
    return { chatId: 500_000 + r, languageCode: script.lang, messages: script.texts.map((text) => ({ text, expect: [text.trim().slice(0, 30)] })) };
  });
}

function once<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }): void => {
      if (m.type === type) {
        child.off("message", onMessage);
        resolve(m as T);
      } else if (m.type === "error") {
        reject(new Error(JSON.stringify(m)));
      }
    };
    child.on("message", onMessage);
    child.once("exit", (code) => reject(new Error(`child exited with ${code} while waiting for ${type}`)));
  });
}

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function measure(name: string, kind: "echo" | "digipaligs", scripts: ResidentScript[], databaseUrl?: string): Promise<EndToEndRow> {
  const tsx = ["--import", "tsx"];
  const load = fork(path.join(HERE, "load.ts"), [], { execArgv: tsx, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const ready = await once<{ apiRoot: string; token: string; botInfo: unknown }>(load, "ready");
  // The bot runs with the node flags and memory settings the app starts with (the Dockerfile's).
  const start = containerStart();
  const flags = kind === "digipaligs" ? start.command.slice(1, start.command.indexOf("--import")) : [];
  const memory = kind === "digipaligs" ? Object.fromEntries(Object.entries(start.env ?? {}).filter(([k]) => k.startsWith("MALLOC_"))) : {};
  const bot = fork(path.join(HERE, "bot.ts"), [kind, ready.apiRoot, ready.token, JSON.stringify(ready.botInfo), ...(databaseUrl ? [databaseUrl] : [])], {
    execArgv: [...flags, ...tsx], cwd: ROOT, env: { ...process.env, ...memory }, stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    await once(bot, "ready");
    load.send({ type: "run", scripts, timeoutMs: 120_000 });
    const { result } = await once<{ result: LoadResult }>(load, "result");
    bot.send({ type: "stop" });
    const { peakRssMb, cpuMs, queries } = await once<{ peakRssMb: number; cpuMs: number; queries: Record<string, number> }>(bot, "stopped");
    const sorted = [...result.latencies].sort((a, b) => a - b);
    return {
      bot: name,
      messages: result.messages,
      replies: scripts.reduce((n, s) => n + s.messages.reduce((m, x) => m + x.expect.length, 0), 0),
      throughput: result.messages / (result.wallMs / 1000),
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      peakRssMb,
      botCpuPerMessage: cpuMs / result.messages,
      queriesPerMessage: Object.values(queries).reduce((a, b) => a + b, 0) / result.messages,
      queries,
      emulatorCpuPerMessage: result.cpuMs / result.messages,
      problems: result.problems,
    };
  } finally {
    load.send({ type: "stop" });
    const exited = new Promise((resolve) => bot.once("exit", resolve));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    bot.kill();
  }
}

/** Every round of one bot, and the round that shows in the table. */
export interface EndToEndSeries {
  /** The fastest round without problems (or a round with problems, which always shows). */
  readonly best: EndToEndRow;
  readonly rounds: readonly EndToEndRow[];
  /** Throughput ÷ the echo bot's in the same round, per round (the echo bot's own: 1). */
  readonly ratios: readonly number[];
}

/**
 * Runs the benchmark with `residents` residents of 10 messages each. The bots take turns for
 * `rounds` rounds, so that a noisy moment on a shared machine does not decide the comparison:
 * each bot's ratio to the echo bot is taken per round (the median is the figure to compare).
 */
export async function runEndToEnd(residents = 200, databaseUrl?: string, rounds = 3): Promise<EndToEndSeries[]> {
  const content = await loadContent(path.join(ROOT, "knowledge"), path.join(ROOT, "flows"));
  const conversation = new Conversation({ assistant: new Assistant({ knowledge: content.knowledge }), flows: content.flows });
  const ours = expectedScripts(conversation, residents);
  const plans: [string, () => Promise<EndToEndRow>][] = [
    ["grammY echo bot (baseline)", () => measure("grammY echo bot (baseline)", "echo", echoScripts(residents))],
    ["DigiPalīgs, embedded PGlite", () => measure("DigiPalīgs, embedded PGlite", "digipaligs", ours)],
    ...(databaseUrl ? [["DigiPalīgs, PostgreSQL server", () => measure("DigiPalīgs, PostgreSQL server", "digipaligs", ours, databaseUrl)] as [string, () => Promise<EndToEndRow>]] : []),
  ];
  const all = new Map<string, EndToEndRow[]>(plans.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of plans) all.get(name)?.push(await run());
  }
  const echo = must(all.get(must(plans[0], "the baseline plan")[0]), "the baseline's rounds");
  return plans.map(([name]) => {
    const list = must(all.get(name), `the rounds of ${name}`);
    const best = list.find((r) => r.problems.length > 0) ?? list.reduce((a, b) => (b.throughput > a.throughput ? b : a));
    return { best, rounds: list, ratios: list.map((r, i) => r.throughput / (must(echo[i], "the baseline's round").throughput || 1)) };
  });
}
