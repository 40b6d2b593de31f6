/**
 * Telegram's limits under an outbox burst: 500 residents on Telegram each have a ticket that a
 * member of staff takes and answers while sendMessage is down (an outage of the local emulator),
 * so that 1,000 messages (the "joined" notice and the reply, two per chat) wait in the outbox.
 * When the outage ends they are all due at once. The emulator records when each arrives:
 * the busiest second overall (Telegram: about 30 messages per second per bot), the shortest gap
 * between two messages to one chat (about one per second), and whether each arrived once.
 * @module
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { silentLogger } from "../src/log.js";
import { openDatabase } from "../src/store/database.js";
import { FakeTelegram } from "../tests/support/fake-telegram.js";
import { must } from "../tests/support/must.js";

const ROOT = path.resolve(import.meta.dirname, "..");

/** What the burst measured. */
export interface BurstResult {
  readonly chats: number;
  readonly messages: number;
  readonly delivered: number;
  readonly duplicates: number;
  /** From the end of the outage until the last message arrived (ms). */
  readonly drainMs: number;
  /** Messages per second over the drain. */
  readonly meanRate: number;
  /** The most messages that arrived within any one second. */
  readonly busiestSecond: number;
  /** The shortest time between two messages to the same chat (ms). */
  readonly minChatGapMs: number;
}

/** Runs the burst with `chats` Telegram residents (two messages each). */
export async function runTelegramBurst(chats = 500): Promise<BurstResult> {
  const fake = await FakeTelegram.start();
  const dataDir = await mkdtemp(path.join(tmpdir(), "digipaligs-burst-"));
  const database = await openDatabase({ kind: "pglite", dataDir });
  const config = loadConfig({
    KNOWLEDGE_DIR: path.join(ROOT, "knowledge"), FLOWS_DIR: path.join(ROOT, "flows"), PORT: "0", HOST: "127.0.0.1",
    TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot,
  });
  // The outbox retries soon (as it would on its own within seconds once Telegram is back).
  const app = await startApp(config, silentLogger, { database, telegram: { botInfo: fake.botInfo }, outbox: { baseDelayMs: 200, maxDelayMs: 1000, pollMs: 200 } });
  const arrivals = new Map<number, number[]>();
  try {
    const staff = await app.staffAccounts.add({ username: "burst-agent", password: "a long burst password", displayName: "Anna", role: "admin" });
    fake.startOutage({ methods: ["sendMessage"] });
    const ids: number[] = [];
    for (let i = 0; i < chats; i++) {
      const ticket = await app.desk.createTicket({ channel: "telegram", chatId: String(800_000 + i), lang: "lv", question: "Lūdzu palīdziet ar e-rēķinu", context: { reason: "askedForPerson" } });
      ids.push(ticket.id);
    }
    for (const id of ids) {
      await app.desk.claim(staff, id);
      await app.desk.reply(staff, id, "Labdien! Atbildu uz Jūsu jautājumu.");
    }
    const expected = chats * 2;
    let count = 0;
    let done: () => void = () => undefined;
    const all = new Promise<void>((resolve) => {
      done = resolve;
    });
    const unsubscribe = fake.onMessage((chatId) => {
      const list = arrivals.get(chatId) ?? [];
      list.push(performance.now());
      arrivals.set(chatId, list);
      if (++count >= expected) done();
    });
    // Wait until every job has failed at least once (each is due again after its delay).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const released = performance.now();
    fake.endOutage();
    await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 180_000))]);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // anything now would be a duplicate
    unsubscribe();
    const times = [...arrivals.values()].flat().sort((a, b) => a - b);
    let busiest = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      const at = must(times[i], "an arrival time");
      while (at - must(times[j], "an arrival time") >= 1000) j++;
      busiest = Math.max(busiest, i - j + 1);
    }
    let minGap = Number.POSITIVE_INFINITY;
    for (const list of arrivals.values()) for (let i = 1; i < list.length; i++) minGap = Math.min(minGap, must(list[i], "an arrival time") - must(list[i - 1], "an arrival time"));
    const drainMs = (times.at(-1) ?? released) - released;
    const delivered = Math.min(times.length, expected);
    return {
      chats, messages: expected, delivered, duplicates: Math.max(0, times.length - expected), drainMs,
      meanRate: times.length / Math.max(0.001, drainMs / 1000), busiestSecond: busiest, minChatGapMs: Number.isFinite(minGap) ? minGap : 0,
    };
  } finally {
    await app.close();
    await database.close();
    await fake.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
