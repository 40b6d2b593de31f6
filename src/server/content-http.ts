/**
 * The editors' content API under `/api/staff` (docs/staff-api.md): read, publish, delete, preview,
 * history and restore of guides, flows, `centres.yaml` and `holidays.yaml`; drafts; reviews of
 * newer repository versions; teaching the bot from the unanswered report. Mounted on the staff API
 * (signed in, editors and admins only, CSRF header on every change).
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import type pg from "pg";
import { z } from "zod";
import type { LiveContent } from "../content/live.js";
import { ScopedAssistant } from "../content/out-of-scope.js";
import type { ContentStore, Revision } from "../content/store.js";
import { handledJson, type HandledGroups } from "../content/handled.js";
import { storedWording, type MissingGuides } from "../content/missing-guides.js";
import { onlyRow } from "../store/rows.js";
import type { Teacher } from "../content/teach.js";
import { buildContent, contentPath, ID_PATTERN, newErrors, parseContentPath, type ContentPath } from "../content/texts.js";
import { Conversation, NEW_SESSION } from "../core/conversation.js";
import { ContentEditError, RequestError } from "../core/errors.js";
import { LANGS, isLang } from "../core/types.js";
import type { Logger } from "../log.js";
import type { StaffEnv } from "./staff-http.js";

/** The staff API's context: the signed-in member of staff. */
export type ContentEnv = StaffEnv;

/** The staff API's guards, handed over by the staff routes. */
export interface StaffGuards {
  readonly signedIn: MiddlewareHandler<ContentEnv>;
  readonly editorsOnly: MiddlewareHandler<ContentEnv>;
}

/** Options of {@link contentRoutes}. */
export interface ContentRoutesOptions {
  readonly store: ContentStore;
  readonly live: () => LiveContent;
  readonly teacher: Teacher;
  /** The to-do list of missing guides ("Vajag jaunu instrukciju"). */
  readonly missing: MissingGuides;
  /** The handled groups of the unanswered report and whether the bot answers them now. */
  readonly handled: HandledGroups;
  readonly pool: pg.Pool;
  readonly log: Logger;
}

const Lng = z.enum(["lv", "ru", "en"]);
const MAX_TEXT = 400_000;
const Put = z.object({ text: z.string().min(1).max(MAX_TEXT), baseRevision: z.number().int().nonnegative().nullable() }).strict();
const Restore = z.object({ revision: z.number().int().positive() }).strict();
const Draft = z.object({ text: z.string().max(MAX_TEXT), baseRevision: z.number().int().nonnegative().nullable() }).strict();
const Remove = z.object({ baseRevisions: z.record(z.string(), z.number().int().nonnegative().nullable()).optional() }).strict();
const Preview = z.object({
  kind: z.enum(["guide", "flow", "data"]), lang: Lng.optional(), id: z.string().min(1).max(80), text: z.string().min(1).max(MAX_TEXT),
  question: z.string().min(1).max(1000).optional(),
}).strict();
const Teach = z.object({ question: z.string().min(1).max(1000), lang: Lng, guideId: z.string().regex(ID_PATTERN) }).strict();
const Dismiss = z.object({ question: z.string().min(1).max(1000), lang: Lng }).strict();
const NeedsGuide = z.object({
  question: z.string().min(1).max(1000), lang: Lng, examples: z.array(z.string().max(1000)).max(50).optional(), asked: z.number().int().nonnegative().max(1_000_000).optional(),
}).strict();
const Done = z.object({ guideId: z.string().regex(ID_PATTERN) }).strict();
const Review = z.object({ path: z.string().min(1).max(200), decision: z.enum(["accept", "keep"]) }).strict();

/** How a resident starts a flow in a new chat: its deep link (`/start <name>`). */
const flowStart = (deepLink: string | undefined) => (deepLink ? { kind: "command" as const, name: "start", arg: deepLink } : undefined);

const revisionInfo = (r: Revision) => ({
  revision: r.id, source: r.source, publishedAt: r.createdAt, publishedBy: r.author, note: r.note, deleted: r.text === null,
});

/** The editors' routes, mounted on the staff API by `createStaffRoutes({ extend })`. */
export function contentRoutes(options: ContentRoutesOptions): (api: Hono<ContentEnv>, guards: StaffGuards) => void {
  const { store, teacher, log } = options;
  return (api, { signedIn, editorsOnly }) => {
    const json = async (c: Context): Promise<unknown> => {
      try {
        return JSON.parse(await c.req.text()) as unknown;
      } catch {
        return undefined;
      }
    };
    const body = async <T>(c: Context, schema: z.ZodType<T>, help: string): Promise<T> => {
      const parsed = schema.safeParse(await json(c));
      if (!parsed.success) throw new RequestError("bad_request", help);
      return parsed.data;
    };
    const author = (c: Context<ContentEnv>) => ({ staffId: c.var.staff.id, name: c.var.staff.displayName || c.var.staff.username });
    /** A refused publish: 422 with the errors at their lines, 409 with the latest revision. */
    const refusal = async (c: Context, error: unknown): Promise<Response> => {
      if (!(error instanceof ContentEditError)) throw error;
      if (error.code === "content_rejected" || error.code === "content_linked") {
        const errors = error.problems.map((p) => ({ file: p.file, line: p.line, message: p.message }));
        return c.json({ error: { code: error.code, message: error.message }, errors, ...(error.code === "content_linked" ? { linkedFrom: errors } : {}) }, 422);
      }
      const latest = await store.latest(error.path);
      return c.json({
        error: { code: error.code, message: "Someone published this file meanwhile. Compare the texts, then publish again from the latest revision." },
        current: latest ? { ...revisionInfo(latest), text: latest.text } : null,
      }, 409);
    };

    // Each kind of content at its own address.
    const kinds: { prefix: string; path: (c: Context) => ContentPath }[] = [
      {
        prefix: "/content/guides/:lang/:id",
        path: (c) => {
          const lang = c.req.param("lang");
          const id = c.req.param("id") ?? "";
          if (!isLang(lang) || !ID_PATTERN.test(id)) throw new RequestError("not_found", "No such guide address: /content/guides/<lv|ru|en>/<id>.");
          return { kind: "guide", lang, id };
        },
      },
      {
        prefix: "/content/flows/:id",
        path: (c) => {
          const id = c.req.param("id") ?? "";
          if (!ID_PATTERN.test(id)) throw new RequestError("not_found", "No such flow address.");
          return { kind: "flow", id };
        },
      },
      {
        prefix: "/content/data/:name",
        path: (c) => {
          const name = c.req.param("name");
          if (name !== "centres" && name !== "holidays") throw new RequestError("not_found", "Data files are centres and holidays.");
          return { kind: "data", name };
        },
      },
    ];

    for (const kind of kinds) {
      const where = (c: Context): string => contentPath(kind.path(c));
      api.get(kind.prefix, signedIn, editorsOnly, async (c) => {
        const p = where(c);
        const latest = await store.latest(p);
        const { rows } = await options.pool.query<{ text: string; base_revision: string | null; updated_at: Date }>(
          "SELECT text, base_revision, updated_at FROM content_drafts WHERE staff_id = $1 AND path = $2", [c.var.staff.id, p]);
        const draft = rows[0] ? { text: rows[0].text, baseRevision: rows[0].base_revision === null ? null : Number(rows[0].base_revision), savedAt: rows[0].updated_at.toISOString() } : null;
        if (!latest && !draft) throw new RequestError("not_found", `There is no ${p} yet.`);
        return c.json({
          path: p,
          text: latest?.text ?? null,
          revision: latest?.id ?? null,
          publishedAt: latest?.createdAt ?? null,
          publishedBy: latest?.author ?? null,
          deleted: latest ? latest.text === null : false,
          draft,
        });
      });
      api.put(kind.prefix, signedIn, editorsOnly, async (c) => {
        const p = where(c);
        const b = await body(c, Put, "Send {\"text\": \"...\", \"baseRevision\": <the revision you edited, or null for a new file>}.");
        try {
          const result = await store.publish([{ path: p, text: b.text, baseRevision: b.baseRevision }], { author: author(c), source: "editor" });
          await options.pool.query("DELETE FROM content_drafts WHERE staff_id = $1 AND path = $2", [c.var.staff.id, p]);
          const revision = onlyRow(result.revisions, "publishing one file");
          log.info("content published", { path: p, revision: revision.id, by: c.var.staff.username });
          return c.json({ revision: revision.id, publishedAt: revision.createdAt, warnings: result.warnings });
        } catch (error) {
          return refusal(c, error);
        }
      });
      api.get(`${kind.prefix}/history`, signedIn, editorsOnly, async (c) => {
        const history = await store.history(where(c));
        return c.json({ revisions: history.map(revisionInfo) });
      });
      api.get(`${kind.prefix}/revisions/:revision`, signedIn, editorsOnly, async (c) => {
        const r = await store.revision(where(c), Number(c.req.param("revision")));
        if (!r) throw new RequestError("not_found", "No such revision of this file.");
        return c.json({ ...revisionInfo(r), text: r.text });
      });
      api.post(`${kind.prefix}/restore`, signedIn, editorsOnly, async (c) => {
        const p = where(c);
        const b = await body(c, Restore, "Send {\"revision\": <the revision to bring back>}.");
        const old = await store.revision(p, b.revision);
        if (!old) throw new RequestError("not_found", "No such revision of this file.");
        try {
          const result = await store.publish([{ path: p, text: old.text }], { author: author(c), source: "restore", note: `restored revision ${old.id}` });
          // Like a publish, a restore replaces the restorer's draft of the file.
          await options.pool.query("DELETE FROM content_drafts WHERE staff_id = $1 AND path = $2", [c.var.staff.id, p]);
          const revision = onlyRow(result.revisions, "publishing one file");
          return c.json({ revision: revision.id, publishedAt: revision.createdAt, restored: old.id, warnings: result.warnings });
        } catch (error) {
          return refusal(c, error);
        }
      });
      api.put(`${kind.prefix}/draft`, signedIn, editorsOnly, async (c) => {
        const p = where(c);
        const b = await body(c, Draft, "Send {\"text\": \"...\", \"baseRevision\": <revision or null>}.");
        await options.pool.query(
          `INSERT INTO content_drafts (staff_id, path, text, base_revision, updated_at) VALUES ($1, $2, $3, $4, now())
           ON CONFLICT (staff_id, path) DO UPDATE SET text = $3, base_revision = $4, updated_at = now()`,
          [c.var.staff.id, p, b.text, b.baseRevision]);
        return c.json({ saved: true });
      });
      api.delete(`${kind.prefix}/draft`, signedIn, editorsOnly, async (c) => {
        await options.pool.query("DELETE FROM content_drafts WHERE staff_id = $1 AND path = $2", [c.var.staff.id, where(c)]);
        return c.body(null, 204);
      });
    }

    /**
     * A deletion the check refused because other files point at what it deletes: those files, by
     * name (each problem in a file outside the deleted ones is a link to them).
     */
    const linked = (error: unknown, what: string, deleted: ReadonlySet<string>): unknown => {
      if (!(error instanceof ContentEditError) || error.code !== "content_rejected") return error;
      const from = error.problems.filter((p) => !deleted.has(p.file));
      if (from.length === 0) return error;
      const files = [...new Set(from.map((p) => p.file))];
      return new ContentEditError("content_linked", error.path, `${what} cannot be deleted while ${files.join(", ")} ${files.length === 1 ? "links" : "link"} to it: remove those links first`, { problems: from });
    };

    // Deleting a guide removes it in every language; refused while anything links to it.
    const deleteGuide = async (c: Context<ContentEnv>): Promise<Response> => {
      const id = c.req.param("id") ?? "";
      if (!ID_PATTERN.test(id)) throw new RequestError("not_found", "No such guide.");
      const b = await body(c, Remove, "Send {} or {\"baseRevisions\": {\"<path>\": <revision>}}.");
      const paths = LANGS.map((lang) => contentPath({ kind: "guide", lang, id }));
      const existing = (await Promise.all(paths.map((p) => store.latest(p)))).filter((r): r is Revision => r !== undefined && r.text !== null);
      if (existing.length === 0) throw new RequestError("not_found", `There is no guide '${id}'.`);
      try {
        const result = await store.publish(existing.map((r) => ({ path: r.path, text: null, ...(b.baseRevisions && r.path in b.baseRevisions ? { baseRevision: b.baseRevisions[r.path] ?? null } : {}) })), { author: author(c), source: "editor", note: `deleted guide ${id}` });
        log.info("content deleted", { guide: id, by: c.var.staff.username });
        return c.json({ deleted: result.revisions.map((r) => ({ path: r.path, revision: r.id })) });
      } catch (error) {
        return refusal(c, linked(error, `Guide '${id}'`, new Set(existing.map((r) => r.path))));
      }
    };
    api.delete("/content/guides/:id", signedIn, editorsOnly, deleteGuide);
    api.delete("/content/flows/:id", signedIn, editorsOnly, async (c) => {
      const id = c.req.param("id");
      if (!ID_PATTERN.test(id)) throw new RequestError("not_found", "No such flow.");
      const p = contentPath({ kind: "flow", id });
      const latest = await store.latest(p);
      if (latest?.text == null) throw new RequestError("not_found", `There is no flow '${id}'.`);
      try {
        const result = await store.publish([{ path: p, text: null }], { author: author(c), source: "editor", note: `deleted flow ${id}` });
        log.info("content deleted", { flow: id, by: c.var.staff.username });
        return c.json({ deleted: result.revisions.map((r) => ({ path: r.path, revision: r.id })) });
      } catch (error) {
        return refusal(c, linked(error, `Flow '${id}'`, new Set([p])));
      }
    });

    // Check-as-you-type and the resident's view of a draft, from the draft (nothing is published).
    api.post("/content/preview", signedIn, editorsOnly, async (c) => {
      const b = await body(c, Preview, "Send {\"kind\": \"guide\"|\"flow\"|\"data\", \"lang\"?, \"id\", \"text\", \"question\"?}.");
      const what: ContentPath = b.kind === "guide" ? { kind: "guide", lang: b.lang ?? "lv", id: b.id }
        : b.kind === "flow" ? { kind: "flow", id: b.id } : { kind: "data", name: b.id === "holidays" ? "holidays" : "centres" };
      if ((b.kind !== "data" && !ID_PATTERN.test(b.id)) || (b.kind === "data" && b.id !== "centres" && b.id !== "holidays")) throw new RequestError("bad_request", "Give a valid id.");
      const p = contentPath(what);
      const published = await store.published();
      const texts = new Map(published.texts);
      texts.set(p, b.text);
      const content = buildContent(texts);
      const mine = content.diagnostics.filter((d) => d.file === p);
      // Errors this draft causes in other files (a flow pointing at a section it removes).
      const others = newErrors(options.live().content.diagnostics, content.diagnostics, new Set([p])).filter((d) => d.file !== p);
      const lang = b.lang ?? "lv";
      const conversation = new Conversation({ assistant: new ScopedAssistant({ knowledge: content.knowledge }, options.live().outOfScope), flows: content.flows });
      // A guide draft the check refuses shows nothing (not "this button no longer works"): its errors say why.
      const input = b.question ? { kind: "text" as const, text: b.question }
        : what.kind === "guide" ? undefined
          : what.kind === "flow" ? flowStart(content.flows.get(what.id)?.triggers.deepLinks[0]) : undefined;
      let replies: { text: string; buttons: { id: string; label: string }[] }[] = [];
      let answered: unknown = null;
      const draftGuide = !b.question && what.kind === "guide" ? content.knowledge.guides.get(what.lang)?.get(what.id) : undefined;
      if (draftGuide) {
        // The whole guide, as "Visa instrukcija" shows it to a resident.
        replies = conversation.assistant.fullGuide(draftGuide, lang).map((r) => ({ text: r.text, buttons: r.buttons.map((x) => ({ id: x.id, label: x.label })) }));
      } else if (input) {
        try {
          const result = conversation.handle(NEW_SESSION, input, { lang });
          replies = result.replies.map((r) => ({ text: r.text, buttons: r.buttons.map((x) => ({ id: x.id, label: x.label })) }));
          answered = result.outcome?.answered ?? null;
        } catch (error) {
          log.warn("preview failed", { error });
        }
      }
      return c.json({
        path: p,
        errors: mine.filter((d) => d.severity === "error").map((d) => ({ file: d.file, line: d.line, message: d.message })),
        warnings: mine.filter((d) => d.severity === "warning").map((d) => ({ file: d.file, line: d.line, message: d.message })),
        elsewhere: others.map((d) => ({ file: d.file, line: d.line, message: d.message })),
        replies,
        answered,
      });
    });

    // Newer repository versions that an editor's revision kept from going live.
    api.get("/content/reviews", signedIn, editorsOnly, async (c) => {
      const notices = await store.notices();
      const published = await store.published();
      return c.json({ reviews: notices.map((n) => ({ path: n.path, since: n.since, publishedRevision: n.publishedRevision, repositoryText: n.text, publishedText: published.texts.get(n.path) ?? null })) });
    });
    api.post("/content/reviews", signedIn, editorsOnly, async (c) => {
      const b = await body(c, Review, "Send {\"path\": \"knowledge/…\", \"decision\": \"accept\" | \"keep\"}.");
      if (!parseContentPath(b.path)) throw new RequestError("not_found", "Not a content path.");
      try {
        const revision = await store.resolveNotice(b.path, b.decision, author(c));
        if (!revision && b.decision === "accept") throw new RequestError("not_found", "There is no repository version waiting for review.");
        // This instance's status (GET /content) no longer lists the file when the answer arrives.
        await options.live().reload();
        return c.json({ path: b.path, decision: b.decision, revision: revision?.id ?? null });
      } catch (error) {
        return refusal(c, error);
      }
    });

    // Teach the bot from the unanswered report.
    const wording = (question: string): string => {
      const cleaned = storedWording(question);
      if (!/[\p{L}\p{N}]/u.test(cleaned)) throw new RequestError("bad_request", "The question has nothing to read.");
      return cleaned;
    };
    api.post("/unanswered/teach", signedIn, editorsOnly, async (c) => {
      const b = await body(c, Teach, "Send {\"question\", \"lang\": \"lv\"|\"ru\"|\"en\", \"guideId\"}.");
      try {
        const { revision, changed, waitingFor } = await teacher.teach(wording(b.question), b.lang, b.guideId, author(c));
        // This instance serves it before answering (the report then shows whether the bot answers it).
        await options.live().reload();
        log.info("unanswered question taught", { guide: b.guideId, lang: b.lang, revision: revision.id, by: c.var.staff.username, ...(waitingFor ? { waitingFor } : {}) });
        // No translation in the question's language yet: it went to the Latvian text, for that translation.
        return c.json({ revision: revision.id, changed, guideId: b.guideId, ...(waitingFor ? { waitingForTranslation: waitingFor, path: revision.path } : {}) });
      } catch (error) {
        return refusal(c, error);
      }
    });
    api.post("/unanswered/dismiss", signedIn, editorsOnly, async (c) => {
      const b = await body(c, Dismiss, "Send {\"question\", \"lang\": \"lv\"|\"ru\"|\"en\"}.");
      const handled = await teacher.dismiss(wording(b.question), b.lang, author(c));
      await options.live().reload();
      return c.json(handled);
    });
    api.get("/unanswered/handled", signedIn, editorsOnly, async (c) => {
      return c.json({ handled: (await options.handled.list()).map(handledJson) });
    });

    // "Vajag jaunu instrukciju": the to-do list of missing guides.
    const todoJson = async (): Promise<unknown[]> => (await options.handled.list()).flatMap((h) => (h.todo ? [{
      id: h.todo.id, question: h.question, lang: h.lang, examples: h.wordings, by: h.by, at: h.at, done: h.todo.done,
      guideId: h.guideId, guideTitle: h.guideTitle, answersNow: h.answersNow, resolved: h.resolved,
    }] : []));
    const todoId = (c: Context): number => {
      const id = Number(c.req.param("id"));
      if (!Number.isSafeInteger(id) || id <= 0) throw new RequestError("not_found", "No such item on the list of missing guides.");
      return id;
    };
    api.get("/unanswered/missing-guides", signedIn, editorsOnly, async (c) => c.json({ items: await todoJson() }));
    api.post("/unanswered/missing-guides", signedIn, editorsOnly, async (c) => {
      const b = await body(c, NeedsGuide, "Send {\"question\", \"lang\": \"lv\"|\"ru\"|\"en\", \"examples\"?: [\"...\"], \"asked\"?: <times asked>}.");
      const { item, created } = await options.missing.add({ question: wording(b.question), lang: b.lang, examples: b.examples ?? [], asked: b.asked ?? 0 }, author(c));
      log.info("missing guide noted", { id: item.id, lang: b.lang, created, by: c.var.staff.username });
      return c.json({ item }, created ? 201 : 200);
    });
    api.post("/unanswered/missing-guides/:id/done", signedIn, editorsOnly, async (c) => {
      const id = todoId(c);
      const b = await body(c, Done, "Send {\"guideId\": \"<the guide that now covers it>\"}.");
      if (!options.live().content.knowledge.ids.includes(b.guideId)) {
        return c.json({ error: { code: "content_rejected", message: `There is no guide '${b.guideId}'.` }, errors: [{ file: "", line: 1, message: `no guide '${b.guideId}'` }] }, 422);
      }
      const item = await options.missing.done(id, b.guideId, author(c));
      if (!item) throw new RequestError("not_found", "No such item on the list of missing guides.");
      return c.json({ item });
    });
    api.delete("/unanswered/missing-guides/:id", signedIn, editorsOnly, async (c) => {
      if (!(await options.missing.remove(todoId(c), author(c)))) throw new RequestError("not_found", "No such item on the list of missing guides.");
      return c.body(null, 204);
    });
  };
}
