/**
 * The staff JSON API (docs/staff-api.md) and the console's files: cookie sessions (HTTP-only,
 * SameSite=Strict), a CSRF token on every state-changing request, centre access enforced by the
 * desk, live ticket events as server-sent events.
 * @module
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type pg from "pg";
import type { ContentStatus } from "../content-watch.js";
import { handledJson, type HandledStatus } from "../content/handled.js";
import { NEW_SESSION, type Conversation } from "../core/conversation.js";
import { AuthError, DeskError, RequestError } from "../core/errors.js";
import { LANGS, type Lang } from "../core/types.js";
import type { Centres } from "../knowledge/centres.js";
import type { Logger } from "../log.js";
import type { StaffAccounts } from "../staff/accounts.js";
import { computeIndicators, indicatorsToCsv, unansweredReport, unansweredToCsv, type UnansweredGroup } from "../staff/reports/index.js";
import type { Desk } from "../staff/desk.js";
import type { Attachment } from "../staff/tickets.js";
import type { StaffMember, TicketEvent } from "../staff/types.js";
import { PUBLIC_DIR } from "./http.js";

const COOKIE = "dp_staff";

/** What the sign-in check sets on the context: the staff member and their CSRF token. */
export interface StaffEnv { Variables: { staff: StaffMember; csrfToken: string; mustChangePassword: boolean } }

/** What a staff member with a one-time password may do before setting their own. */
const BEFORE_OWN_PASSWORD = new Set(["/api/staff/me", "/api/staff/logout", "/api/staff/password"]);

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(500) }).strict();
const Text = z.object({ text: z.string().min(1).max(4000) }).strict();
const Transfer = z.object({ centre: z.string().min(1).max(100) }).strict();
const Close = z.object({ reason: z.string().min(1).max(500) }).strict();
const RoleSchema = z.enum(["agent", "editor", "admin"]);
const Centres = z.array(z.string().min(1).max(100)).max(50);
const NewAccountBody = z.object({ username: z.string().min(1).max(100), displayName: z.string().min(1).max(100), role: RoleSchema, centres: Centres }).strict();
const AccountChangesBody = z.object({ displayName: z.string().min(1).max(100), role: RoleSchema, centres: Centres, active: z.boolean() }).partial().strict();
const PasswordBody = z.object({ currentPassword: z.string().min(1).max(500), newPassword: z.string().min(1).max(500) }).strict();

const isDay = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The Riga calendar day of an instant. */
function rigaDay(at: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Riga", year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** The instant a Riga calendar day starts. */
function rigaMidnight(day: string): Date {
  const guess = new Date(`${day}T00:00:00Z`);
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Riga", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  }).formatToParts(guess).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return new Date(guess.getTime() - (local - guess.getTime()));
}

/** Options for {@link createStaffRoutes}. */
export interface StaffRoutesOptions {
  readonly accounts: StaffAccounts;
  readonly desk: Desk;
  readonly centres: () => Centres | undefined;
  readonly log: Logger;
  /** Mark the cookie Secure (when served over https): a value, or decided per request (behind a TLS proxy). */
  readonly secureCookies?: boolean | ((c: Context) => boolean);
  /** The client's address (behind a trusted proxy: the forwarded one), for the login limits. */
  readonly clientAddress?: (c: Context) => string;
  /** Fetches a resident's file from its channel (e.g. Telegram). */
  readonly files?: (attachment: Attachment) => Promise<{ bytes: Uint8Array; contentType: string }>;
  /** Where attachments are looked up (with the access check). */
  readonly attachments?: { attachment(staff: StaffMember, ticketId: number, messageId: number): Promise<Attachment> };
  /** The serving content, for the editors' views. */
  readonly content?: { conversation(): Conversation; status(): ContentStatus };
  /** The handled groups of the unanswered report (content/handled.ts): which groups editors handled, and whether the bot answers them now. */
  readonly handled?: { annotate(groups: readonly UnansweredGroup[]): Promise<(HandledStatus | null)[]> };
  /** The database, for reports (indicators, unanswered questions). */
  readonly reports?: pg.Pool;
  readonly keepAliveMs?: number;
  /** Told of every signed-in request and of every keep-alive of an open event stream (staff presence). */
  readonly presence?: { seen(staffId: number): void };
  /** More routes on the staff API, given the guards (the content editor: src/server/content-http.ts). */
  readonly extend?: (api: Hono<StaffEnv>, guards: { signedIn: MiddlewareHandler<StaffEnv>; editorsOnly: MiddlewareHandler<StaffEnv> }) => void;
}

/** The staff API under `/api/staff` and the console under `/staff`. */
export function createStaffRoutes(options: StaffRoutesOptions): Hono {
  const { accounts, desk, log } = options;
  const app = new Hono();

  const json = async (c: Context): Promise<unknown> => {
    try {
      return JSON.parse(await c.req.text()) as unknown;
    } catch {
      return undefined;
    }
  };

  /** The signed-in staff member (`c.var.staff`); checks the CSRF token on everything but GET. */
  const signedIn = createMiddleware<StaffEnv>(async (c, next) => {
    const token = getCookie(c, COOKIE);
    const session = token ? await accounts.session(token) : undefined;
    if (!session) throw new AuthError("unauthorized", "Please log in.");
    if (c.req.method !== "GET" && c.req.header("x-csrf-token") !== session.csrfToken) {
      throw new AuthError("csrf_failed", "The request did not carry the right x-csrf-token header.");
    }
    if (session.mustChangePassword && !BEFORE_OWN_PASSWORD.has(c.req.path)) {
      throw new AuthError("password_change_required", "Set your own password first (POST /api/staff/password).");
    }
    c.set("staff", session.staff);
    c.set("csrfToken", session.csrfToken);
    c.set("mustChangePassword", session.mustChangePassword);
    options.presence?.seen(session.staff.id);
    await next();
  });
  /** Admins only (after {@link signedIn}). */
  const adminsOnly = createMiddleware<StaffEnv>(async (c, next) => {
    if (c.var.staff.role !== "admin") throw new AuthError("forbidden", "Only admins can manage accounts.");
    await next();
  });
  /** Editors and admins only (after {@link signedIn}). */
  const editorsOnly = createMiddleware<StaffEnv>(async (c, next) => {
    if (c.var.staff.role === "agent") throw new AuthError("forbidden", "Only editors and admins can use the content tools.");
    await next();
  });
  /** The content tools, or a 404 when this server has none. */
  const contentTools = (): NonNullable<StaffRoutesOptions["content"]> => {
    if (!options.content) throw new RequestError("not_found", "Content tools are not available.");
    return options.content;
  };
  /** The reports database, or a 404 when this server has none. */
  const reportsDb = (): pg.Pool => {
    if (!options.reports) throw new RequestError("not_found", "Reports are not available.");
    return options.reports;
  };

  const id = (c: Context): number => {
    const n = Number(c.req.param("id"));
    if (!Number.isSafeInteger(n) || n <= 0) throw new DeskError("not_found", "no such ticket");
    return n;
  };

  const api = new Hono<StaffEnv>();
  api.post("/login", async (c) => {
    const body = Login.safeParse(await json(c));
    if (!body.success) throw new RequestError("bad_request", "Send {\"username\", \"password\"}.");
    const result = await accounts.login(body.data.username.trim().toLowerCase(), body.data.password, options.clientAddress?.(c) ?? "unknown");
    if (!result.ok) {
      log.warn("staff login refused", { reason: result.reason });
      throw result.reason === "too_many_attempts"
        ? new AuthError("too_many_attempts", "Too many failed attempts. Please wait 15 minutes.")
        : new AuthError("invalid_credentials", "Wrong username or password.");
    }
    const secure = typeof options.secureCookies === "function" ? options.secureCookies(c) : options.secureCookies === true;
    setCookie(c, COOKIE, result.token, { httpOnly: true, sameSite: "Strict", path: "/", secure, maxAge: 12 * 3600 });
    return c.json({ csrfToken: result.csrfToken, staff: result.staff, mustChangePassword: result.mustChangePassword });
  });
  api.post("/logout", signedIn, async (c) => {
    const token = getCookie(c, COOKIE);
    if (token) await accounts.logout(token);
    deleteCookie(c, COOKIE, { path: "/" });
    return c.body(null, 204);
  });
  // An admin lets a locked username log in again before the 15 minutes are over.
  api.post("/accounts/:username/unlock", signedIn, adminsOnly, async (c) => {
    const username = c.req.param("username").trim().toLowerCase();
    const cleared = await accounts.unlockBy(c.var.staff, username);
    log.info("staff login unlocked by an admin", { username, by: c.var.staff.username, cleared });
    return c.json({ username, cleared });
  });
  /** Refuses centre ids that are not in centres.yaml. */
  const knownCentres = (ids: readonly string[] | undefined): void => {
    if (!ids) return;
    const known = new Set((options.centres()?.centres ?? []).map((x) => x.id));
    const unknown = ids.filter((x) => !known.has(x));
    if (unknown.length > 0) throw new RequestError("bad_request", `Unknown centre(s): ${unknown.join(", ")}.`);
  };
  api.get("/accounts", signedIn, adminsOnly, async (c) => c.json({ accounts: await accounts.list() }));
  api.get("/accounts/log", signedIn, adminsOnly, async (c) => c.json({ entries: await accounts.accountLog() }));
  api.post("/accounts", signedIn, adminsOnly, async (c) => {
    const body = NewAccountBody.safeParse(await json(c));
    if (!body.success) throw new RequestError("bad_request", "Send {\"username\", \"displayName\", \"role\": \"agent\" | \"editor\" | \"admin\", \"centres\": [\"<centre id>\"…]}.");
    knownCentres(body.data.centres);
    const created = await accounts.create(c.var.staff, body.data);
    log.info("staff account created by an admin", { username: created.account.username, role: created.account.role, by: c.var.staff.username });
    return c.json(created, 201);
  });
  api.patch("/accounts/:username", signedIn, adminsOnly, async (c) => {
    const body = AccountChangesBody.safeParse(await json(c));
    if (!body.success) throw new RequestError("bad_request", "Send any of {\"displayName\", \"role\", \"centres\", \"active\"}.");
    knownCentres(body.data.centres);
    const username = c.req.param("username").trim().toLowerCase();
    const account = await accounts.update(c.var.staff, username, body.data);
    log.info("staff account changed by an admin", { username, by: c.var.staff.username });
    return c.json({ account });
  });
  api.post("/accounts/:username/reset-password", signedIn, adminsOnly, async (c) => {
    const username = c.req.param("username").trim().toLowerCase();
    const reset = await accounts.resetPassword(c.var.staff, username);
    log.info("staff password reset by an admin", { username, by: c.var.staff.username });
    return c.json(reset);
  });
  api.post("/password", signedIn, async (c) => {
    const body = PasswordBody.safeParse(await json(c));
    if (!body.success) throw new RequestError("bad_request", "Send {\"currentPassword\", \"newPassword\"}.");
    const changed = await accounts.changePassword(c.var.staff, getCookie(c, COOKIE) ?? "", body.data.currentPassword, body.data.newPassword);
    if (!changed) throw new AuthError("invalid_credentials", "The current password is wrong.");
    return c.body(null, 204);
  });
  api.get("/me", signedIn, (c) => c.json({ csrfToken: c.var.csrfToken, staff: c.var.staff, mustChangePassword: c.var.mustChangePassword }));
  api.get("/centres", signedIn, (c) => {
    const centres = options.centres()?.centres ?? [];
    return c.json({ centres: centres.map((x) => ({ id: x.id, name: x.name, parishes: x.parishes })) });
  });
  api.get("/tickets", signedIn, async (c) => {
    const status = c.req.query("status");
    if (status !== undefined && status !== "waiting" && status !== "assigned" && status !== "closed") throw new RequestError("bad_request", "status must be waiting, assigned or closed");
    const centre = c.req.query("centre");
    const mine = c.req.query("mine") === "1" || c.req.query("mine") === "true";
    const search = c.req.query("q")?.trim() ?? "";
    if (search.length > 200) throw new RequestError("bad_request", "q (a ticket number or words of the question) may have at most 200 characters");
    return c.json({ tickets: await desk.list(c.var.staff, { ...(status ? { status } : {}), ...(centre ? { centre } : {}), mine, ...(search ? { search } : {}) }) });
  });
  api.get("/tickets/:id", signedIn, async (c) => c.json({ ticket: await desk.get(c.var.staff, id(c)) }));
  api.post("/tickets/:id/claim", signedIn, async (c) => c.json({ ticket: await desk.claim(c.var.staff, id(c)) }));
  const withBody = <T>(schema: z.ZodType<T>, help: string, fn: (staff: StaffMember, ticketId: number, body: T) => Promise<unknown>) =>
    async (c: Context<StaffEnv>): Promise<Response> => {
      const body = schema.safeParse(await json(c));
      if (!body.success) throw new RequestError("bad_request", help);
      return c.json({ ticket: await fn(c.var.staff, id(c), body.data) });
    };
  api.post("/tickets/:id/reply", signedIn, withBody(Text, "Send {\"text\": \"...\"} (1–4000 characters).", (s, t, b) => desk.reply(s, t, b.text)));
  api.post("/tickets/:id/note", signedIn, withBody(Text, "Send {\"text\": \"...\"} (1–4000 characters).", (s, t, b) => desk.note(s, t, b.text)));
  api.post("/tickets/:id/transfer", signedIn, withBody(Transfer, "Send {\"centre\": \"<centre id>\"}.", (s, t, b) => desk.transfer(s, t, b.centre)));
  api.post("/tickets/:id/close", signedIn, withBody(Close, "Send {\"reason\": \"...\"} (1–500 characters).", (s, t, b) => desk.close(s, t, b.reason)));
  api.get("/tickets/:id/messages/:mid/attachment", signedIn, async (c) => {
    if (!options.files || !options.attachments) throw new RequestError("not_found", "Attachments are not available.");
    const attachment = await options.attachments.attachment(c.var.staff, id(c), Number(c.req.param("mid")));
    try {
      const file = await options.files(attachment);
      // Shown inline only for images; anything else downloads. Never run as a page.
      const inline = file.contentType.startsWith("image/");
      return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": file.contentType,
        "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${(attachment.name ?? attachment.kind).replace(/[^\w.-]/g, "_")}"`,
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
      });
    } catch (error) {
      log.warn("attachment download failed", { error });
      throw new RequestError("not_found", "The file could not be fetched from the resident's channel.");
    }
  });

  api.get("/content", signedIn, editorsOnly, (c) => {
    const content = contentTools();
    const knowledge = content.conversation().assistant.knowledge;
    const flows = content.conversation().flows;
    const today = new Date().toISOString().slice(0, 10);
    const guides = knowledge.ids.map((gid) => {
      const langs = Object.fromEntries(LANGS.flatMap((l) => {
        const g = knowledge.guides.get(l)?.get(gid);
        return g ? [[l, { title: g.title, checked: g.checked, reviewBy: g.reviewBy, overdue: g.reviewBy < today }]] : [];
      })) as Partial<Record<Lang, { title: string; checked: string; reviewBy: string; overdue: boolean }>>;
      return { id: gid, overdue: Object.values(langs).some((x) => x.overdue), missing: LANGS.filter((l) => !langs[l]), langs };
    }).sort((a, b) => Number(b.overdue) - Number(a.overdue) || b.missing.length - a.missing.length || a.id.localeCompare(b.id));
    return c.json({
      status: content.status(),
      guides,
      flows: flows.all.map((f) => ({ id: f.id, title: f.title, steps: f.steps.size })),
    });
  });

  api.post("/try", signedIn, editorsOnly, async (c) => {
    const content = contentTools();
    const body = z.object({ text: z.string().min(1).max(4000), lang: z.enum(["lv", "ru", "en"]).optional() }).strict().safeParse(await json(c));
    if (!body.success) throw new RequestError("bad_request", "Send {\"text\": \"...\", \"lang\"?: \"lv\" | \"ru\" | \"en\"}.");
    const conversation = content.conversation();
    const assistant = conversation.assistant;
    // What a new resident would get (nothing is stored).
    const result = conversation.handle(NEW_SESSION, { kind: "text", text: body.data.text }, { lang: body.data.lang ?? "lv" });
    const outcome = result.outcome ?? assistant.ask(body.data.text, { lang: body.data.lang ?? "lv" });
    return c.json({
      lang: result.lang,
      intent: result.intent,
      confident: outcome.guides[0] ? assistant.confident(outcome.guides[0]) : false,
      answered: outcome.answered ?? null,
      replies: result.replies.map((r) => ({ text: r.text, buttons: r.buttons.map((b) => ({ id: b.id, label: b.label })) })),
      guides: outcome.guides.map((g) => ({ ...g, title: assistant.guide(g.id, result.lang)?.title ?? g.id })),
      // The question's informative words after analysis (what "matched" is counted against).
      terms: assistant.index.search(body.data.text, outcome.lang, 1).terms,
    });
  });

  /** `from`/`to` (YYYY-MM-DD, Riga days, both inclusive) → a half-open period; defaults to the last 30 days. */
  const period = (c: Context, days = 30): { from: Date; to: Date; label: string } => {
    const today = rigaDay(new Date());
    const to = c.req.query("to") ?? today;
    const from = c.req.query("from") ?? addDays(to, -(days - 1));
    if (!isDay(from) || !isDay(to) || from > to) throw new RequestError("bad_request", "Give from and to as YYYY-MM-DD, from not after to.");
    return { from: rigaMidnight(from), to: rigaMidnight(addDays(to, 1)), label: `${from}_${to}` };
  };

  api.get("/indicators", signedIn, editorsOnly, async (c) => {
    const db = reportsDb();
    const p = period(c, 90);
    const indicators = await computeIndicators(db, p);
    if (c.req.query("format") === "csv") {
      c.header("Content-Type", "text/csv; charset=utf-8");
      c.header("Content-Disposition", `attachment; filename="digipaligs-indicators-${p.label}.csv"`);
      return c.body(indicatorsToCsv(indicators));
    }
    return c.json(indicators);
  });

  api.get("/unanswered", signedIn, editorsOnly, async (c) => {
    const db = reportsDb();
    const p = period(c, 30);
    // Handled groups no longer count as open: the open ones (at most 50) and the handled ones apart.
    const groups = await unansweredReport(db, { from: p.from, to: p.to, limit: options.handled ? 250 : 50 });
    const marks = options.handled ? await options.handled.annotate(groups) : groups.map(() => null);
    if (c.req.query("format") === "csv") {
      // Every group, open and handled, with what an editor did about it.
      c.header("Content-Type", "text/csv; charset=utf-8");
      c.header("Content-Disposition", `attachment; filename="digipaligs-unanswered-${p.label}.csv"`);
      return c.body(unansweredToCsv(groups, marks));
    }
    const json = (g: (typeof groups)[number]) => ({
      question: g.representative, count: g.count, langs: Object.keys(g.languages), languages: g.languages,
      reasons: g.reasons, closestGuide: g.closestGuide, examples: g.examples, ...(g.inFlows ? { inFlows: g.inFlows } : {}),
    });
    const open = groups.filter((_, i) => !marks[i]);
    const handled = groups.flatMap((g, i) => { const m = marks[i]; return m ? [{ ...json(g), handled: handledJson(m) }] : []; });
    return c.json({ groups: open.slice(0, 50).map(json), open: open.length, handled: handled.slice(0, 100) });
  });

  api.get("/events", signedIn, (c) => {
    const staff = c.var.staff;
    return streamSSE(c, async (stream) => {
      const queue: TicketEvent[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = desk.subscribe((event) => {
        if (staff.role !== "admin" && !staff.centres.includes(event.centre)) return;
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      try {
        await stream.writeSSE({ event: "ready", data: "{}", retry: 3000 });
        while (!stream.aborted && !stream.closed) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE({ event: "ticket", data: JSON.stringify(event) });
            continue;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.keepAliveMs ?? 25_000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- the client may have gone while this awaited
          if (!stream.aborted && queue.length === 0) {
            // A console with its stream open counts as online (presence).
            options.presence?.seen(staff.id);
            await stream.write(": keep-alive\n\n");
          }
        }
      } finally {
        unsubscribe();
      }
    });
  });
  options.extend?.(api, { signedIn, editorsOnly });
  api.all("*", () => {
    throw new RequestError("not_found", "Unknown staff API address.");
  });
  app.route("/api/staff", api);

  // The console's files.
  const files: Record<string, { file: string; type: string }> = {
    "/staff": { file: "staff/index.html", type: "text/html; charset=utf-8" },
    "/staff/": { file: "staff/index.html", type: "text/html; charset=utf-8" },
    "/staff/staff.js": { file: "staff/staff.js", type: "text/javascript; charset=utf-8" },
    "/staff/staff.css": { file: "staff/staff.css", type: "text/css; charset=utf-8" },
  };
  // Chart.js for the dashboard, served from the installed package (no CDN: the console works offline).
  app.get("/staff/vendor/chart.umd.js", async (c) => {
    try {
      const body = await readFile(path.join(PUBLIC_DIR, "../node_modules/chart.js/dist/chart.umd.min.js"), "utf8");
      c.header("Content-Type", "text/javascript; charset=utf-8");
      c.header("Cache-Control", "public, max-age=86400");
      return c.body(body);
    } catch {
      throw new RequestError("not_found", "Chart.js is not installed.");
    }
  });
  // The console's ES modules (no build step): /staff/lib/<name>.js and /staff/pages/<name>.js.
  app.get("/staff/:dir{lib|pages}/:name{[a-z][a-z0-9-]*\\.js}", async (c) => {
    try {
      const body = await readFile(path.join(PUBLIC_DIR, "staff", c.req.param("dir"), c.req.param("name")), "utf8");
      c.header("Content-Type", "text/javascript; charset=utf-8");
      c.header("Cache-Control", "no-cache");
      return c.body(body);
    } catch {
      throw new RequestError("not_found", "There is nothing at this address.");
    }
  });
  for (const [urlPath, { file, type }] of Object.entries(files)) {
    app.get(urlPath, async (c) => {
      try {
        const body = await readFile(path.join(PUBLIC_DIR, file), "utf8");
        c.header("Content-Type", type);
        c.header("Cache-Control", "no-cache");
        if (type.startsWith("text/html")) {
          c.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
          c.header("X-Frame-Options", "DENY");
        }
        return c.body(body);
      } catch {
        throw new RequestError("not_found", "There is nothing at this address.");
      }
    });
  }
  return app;
}
