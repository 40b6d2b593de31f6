/**
 * Child process of the end-to-end benchmark: the local Telegram Bot API emulator plus simulated
 * residents. Each resident sends its messages one after another, waiting until every expected
 * reply of a message has arrived before sending the next. Reports throughput, latency and
 * whether every message was answered exactly once and in order.
 */
import { performance } from "node:perf_hooks";
import { FakeTelegram, type BotMessage } from "../../tests/support/fake-telegram.js";

/** One resident's script: the messages and, per message, the replies expected (a text prefix each). */
export interface ResidentScript {
  readonly chatId: number;
  readonly languageCode: string;
  readonly messages: readonly { readonly text: string; readonly expect: readonly string[] }[];
}

/** Messages from the parent. */
export type LoadCommand = { type: "run"; scripts: ResidentScript[]; timeoutMs: number } | { type: "stop" };

/** What one run measured. */
export interface LoadResult {
  readonly messages: number;
  readonly wallMs: number;
  readonly latencies: number[];
  readonly problems: string[];
  /** CPU time the emulator and the simulated residents used during the run. */
  readonly cpuMs: number;
}

const fake = await FakeTelegram.start();
const send = (m: unknown): void => {
  process.send?.(m);
};

async function run(scripts: readonly ResidentScript[], timeoutMs: number): Promise<LoadResult> {
  fake.reset();
  const problems: string[] = [];
  const latencies: number[] = [];
  const waiting = new Map<number, { count: number; resolve: () => void }>();
  const received = new Map<number, BotMessage[]>();
  const unsubscribe = fake.onMessage((chatId, message) => {
    const list = received.get(chatId) ?? [];
    list.push(message);
    received.set(chatId, list);
    const w = waiting.get(chatId);
    if (w && list.length >= w.count) {
      waiting.delete(chatId);
      w.resolve();
    }
  });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const deadline = started + timeoutMs;
  await Promise.all(scripts.map(async (script) => {
    let expected = 0;
    for (const [i, message] of script.messages.entries()) {
      expected += message.expect.length;
      const t0 = performance.now();
      const arrived = new Promise<void>((resolve) => {
        if ((received.get(script.chatId)?.length ?? 0) >= expected) resolve();
        else waiting.set(script.chatId, { count: expected, resolve });
      });
      fake.sendText(script.chatId, message.text, { languageCode: script.languageCode });
      const timedOut = await Promise.race([arrived.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), Math.max(0, deadline - performance.now())))]);
      if (timedOut) {
        problems.push(`chat ${script.chatId}: message ${i + 1} not answered in time`);
        return;
      }
      latencies.push(performance.now() - t0);
    }
  }));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  // Anything arriving now would be a duplicate.
  await new Promise((r) => setTimeout(r, 300));
  unsubscribe();
  for (const script of scripts) {
    const got = received.get(script.chatId) ?? [];
    const want = script.messages.flatMap((m) => m.expect);
    if (got.length !== want.length) problems.push(`chat ${script.chatId}: ${got.length} replies, expected ${want.length}`);
    want.forEach((prefix, i) => {
      const text = got[i]?.plainText ?? "";
      if (!text.startsWith(prefix)) problems.push(`chat ${script.chatId}: reply ${i + 1} out of order: "${text.slice(0, 40)}" instead of "${prefix}"`);
    });
  }
  return { messages: scripts.reduce((n, s) => n + s.messages.length, 0), wallMs, latencies, problems: problems.slice(0, 20), cpuMs: (cpu.user + cpu.system) / 1000 };
}

process.on("message", (command: LoadCommand) => {
  if (command.type === "stop") {
    void fake.close().then(() => process.exit(0));
    return;
  }
  run(command.scripts, command.timeoutMs).then((result) => send({ type: "result", result }), (error: unknown) => send({ type: "error", error: String(error) }));
});
send({ type: "ready", apiRoot: fake.apiRoot, token: fake.token, botInfo: fake.botInfo });
