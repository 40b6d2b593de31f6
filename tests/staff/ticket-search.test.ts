/**
 * Closed tickets ("Slēgtie") and the search by ticket number or words of the question, through
 * the staff API: an agent finds only the tickets of their centres, an admin those of all.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTicketSearch } from "../../src/staff/tickets.js";
import type { StaffMember } from "../../src/staff/types.js";
import type { Database } from "../../src/store/database.js";
import { startTestApp } from "../support/app.js";
import { databaseTargets } from "../support/databases.js";
import { StaffClient } from "../support/staff-client.js";
import { ifAssigned } from "../support/must.js";

type App = Awaited<ReturnType<typeof startTestApp>>;

const targets = await databaseTargets("search");

describe.each(targets)("closed tickets and ticket search, on $name", (target) => {
  let app: App;
  let db: Database;
  let anna: StaffClient;
  let juris: StaffClient;
  let admin: StaffClient;
  /** Ticket numbers by name. */
  const n: Record<string, string> = {};

  beforeAll(async () => {
    db = await target.open();
    app = await startTestApp({ database: db });
    const annaMember = await app.staffAccounts.add({ username: "anna", password: "correct horse battery", displayName: "Anna", role: "agent", centres: ["cenu-ozolnieku"] });
    await app.staffAccounts.add({ username: "juris", password: "another long password", displayName: "Juris", role: "agent", centres: ["jelgava"] });
    const ilze = await app.staffAccounts.add({ username: "ilze", password: "the admin's password", displayName: "Ilze", role: "admin" });
    const open = async (name: string, question: string, parish?: string): Promise<number> => {
      const t = await app.desk.createTicket({ channel: "web", chatId: `chat-${name}`, lang: "lv", question, context: { reason: "askedForPerson" }, ...(parish ? { parish } : {}) });
      n[name] = t.number;
      return t.id;
    };
    const water = await open("water", "Kā saņemt e-rēķinu par ūdeni?", "ozolnieku");
    const address = await open("address", "Nevaru pieslēgties e-adresei", "ozolnieku");
    await open("waste", "Rēķins par atkritumiem nav pienācis", "ozolnieku");
    const heat = await open("heat", "E-rēķins par siltumu nepienāk");
    await open("russian", "Как получить счёт по почте?", "cenu");
    const close = async (staff: StaffMember, id: number, minutesAgo: number): Promise<void> => {
      await app.desk.close(staff, id, "Atbildēts");
      await db.pool.query("UPDATE tickets SET closed_at = now() - make_interval(mins => $2) WHERE id = $1", [id, minutesAgo]);
    };
    // The e-address ticket was closed before the water one.
    await close(annaMember, address, 60);
    await close(annaMember, water, 5);
    await close(ilze, heat, 30);
    [anna, juris, admin] = await Promise.all([
      StaffClient.login(app.url, "anna", "correct horse battery"),
      StaffClient.login(app.url, "juris", "another long password"),
      StaffClient.login(app.url, "ilze", "the admin's password"),
    ]);
  }, 60_000);
  afterAll(async () => {
    await ifAssigned(app)?.close();
    if (ifAssigned(db)) await target.drop(db);
  });

  it("lists an agent's closed tickets of their centres, the most recently closed first", async () => {
    expect(await anna.numbers("status=closed")).toEqual([n.water, n.address]);
    expect(await juris.numbers("status=closed")).toEqual([n.heat]);
    expect(await admin.numbers("status=closed")).toEqual([n.water, n.heat, n.address]);
    // The open lists leave them out.
    expect(await anna.numbers("")).toEqual([n.russian, n.waste]);
  });

  it("finds a ticket by its number in any form, open or closed, within the agent's centres", async () => {
    expect(await anna.numbers(`q=${n.address}`)).toEqual([n.address]);
    const id = Number(n.address?.slice(3));
    expect(await anna.numbers(`q=${encodeURIComponent(`jn ${id}`)}`)).toEqual([n.address]);
    expect(await anna.numbers(`q=${encodeURIComponent(`#${id}`)}`)).toEqual([n.address]);
    expect(await anna.numbers(`q=${id}`)).toEqual([n.address]);
    // Another centre's ticket is not found by its number.
    expect(await anna.numbers(`q=${n.heat}`)).toEqual([]);
    expect(await juris.numbers(`q=${n.heat}`)).toEqual([n.heat]);
  });

  it("finds tickets by words of the question, without diacritics and in other forms of the words", async () => {
    // "rekins" (no diacritics) finds "e-rēķinu" and "Rēķins"; both open and closed, newest first.
    expect(await anna.numbers("q=rekins")).toEqual([n.waste, n.water]);
    // Every word must occur: "rēķins ūdens" only the water bill.
    expect(await anna.numbers(`q=${encodeURIComponent("rēķins ūdens")}`)).toEqual([n.water]);
    expect(await anna.numbers(`q=${encodeURIComponent("ATKRITUMI")}`)).toEqual([n.waste]);
    expect(await anna.numbers(`q=${encodeURIComponent("счета")}`)).toEqual([n.russian]);
    // Only within the agent's centres: the heating bill is Jelgava's.
    expect(await juris.numbers("q=rekins")).toEqual([n.heat]);
    expect(await admin.numbers("q=rekins")).toEqual([n.heat, n.waste, n.water]);
    // Within a status and a centre.
    expect(await anna.numbers("q=rekins&status=closed")).toEqual([n.water]);
    expect(await admin.numbers("q=rekins&centre=jelgava")).toEqual([n.heat]);
    // Nothing matches; LIKE wildcards are plain characters.
    expect(await anna.numbers("q=laiva")).toEqual([]);
    expect(await anna.numbers(`q=${encodeURIComponent("%")}`)).toEqual([]);
    expect(await anna.numbers(`q=${encodeURIComponent("_")}`)).toEqual([]);
  });

  it("refuses an over-long search and another centre's list", async () => {
    const long = await anna.call("GET", `/tickets?q=${"a".repeat(201)}`);
    expect(long.status).toBe(400);
    expect((long.json.error as { code: string }).code).toBe("bad_request");
    expect((await anna.call("GET", "/tickets?status=closed&centre=jelgava")).status).toBe(403);
  });
});

describe("parseTicketSearch", () => {
  it("reads ticket numbers and stems the words, leaving out stopwords", () => {
    expect(parseTicketSearch("JN-000123")).toEqual({ number: 123, words: [] });
    expect(parseTicketSearch(" 42 ")).toEqual({ number: 42, words: ["42"] });
    expect(parseTicketSearch("Kā saņemt rēķinu?")).toEqual({ words: ["sanem", "rekin"] });
    expect(parseTicketSearch("kā")).toEqual({ words: ["ka"] });
    expect(parseTicketSearch("0")).toEqual({ words: ["0"] });
  });
});
