import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buttonIds, formatButtonId, parseButtonId, type ButtonPress } from "../../src/core/button-ids.js";

const slug = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/);

/** Every press the application can build. */
const press: fc.Arbitrary<ButtonPress> = fc.oneof(
  fc.constant<ButtonPress>({ kind: "menu" }),
  fc.constant<ButtonPress>({ kind: "person" }),
  fc.constant<ButtonPress>({ kind: "languages" }),
  fc.constantFrom("lv", "ru", "en").map((lang): ButtonPress => ({ kind: "language", lang })),
  slug.map((flow): ButtonPress => ({ kind: "startFlow", flow })),
  slug.map((guide): ButtonPress => ({ kind: "guide", guide })),
  fc.tuple(slug, slug).map(([guide, anchor]): ButtonPress => ({ kind: "section", guide, anchor })),
  fc.tuple(slug, slug, fc.integer({ min: 0, max: 99 })).map(([flow, step, index]): ButtonPress => ({ kind: "flowChoice", flow, step, index })),
  fc.tuple(slug, slug, fc.constantFrom("done", "failed", "repeat", "back"))
    .map(([flow, step, action]): ButtonPress => ({ kind: "flowAction", flow, step, action })),
  slug.map((flow): ButtonPress => ({ kind: "flowResume", flow })),
  fc.boolean().map((yes): ButtonPress => ({ kind: "intakeConfirm", yes })),
  fc.option(slug.filter((s) => s !== "other"), { nil: undefined }).map((parish): ButtonPress => ({ kind: "parish", parish })),
  fc.constantFrom("chat", "phone").map((mode): ButtonPress => ({ kind: "contact", mode })),
  fc.boolean().map((yes): ButtonPress => ({ kind: "consent", yes })),
  fc.constant<ButtonPress>({ kind: "questionKeep" }),
  fc.constantFrom("end", "resume").map((action): ButtonPress => ({ kind: "ticket", action })),
  fc.tuple(fc.integer({ min: 1, max: 2 ** 40 }), fc.constantFrom(1, 2, 3, 4, 5, "skip") as fc.Arbitrary<1 | 2 | 3 | 4 | 5 | "skip">)
    .map(([ticketId, score]): ButtonPress => ({ kind: "rate", ticketId, score })),
  fc.boolean().map((yes): ButtonPress => ({ kind: "forget", yes })),
  fc.constant<ButtonPress>({ kind: "forgetAsk" }),
);

describe("button ids", () => {
  it("parse back to the press they were built from", () => {
    fc.assert(fc.property(press, (p) => {
      expect(parseButtonId(formatButtonId(p))).toEqual(p);
    }));
  });

  it("read any string without throwing, and write back exactly what they read", () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (id) => {
      const parsed = parseButtonId(id);
      expect(formatButtonId(parsed)).toBe(id);
    }));
  });

  it("keep the ids the channels already carry", () => {
    expect([
      buttonIds.menu, buttonIds.person, buttonIds.languages, buttonIds.language("ru"), buttonIds.startFlow("e-invoice-setup"),
      buttonIds.guide("e-address"), buttonIds.section("e-address", "steps"), buttonIds.choice("feedback", "did-it-help", 1),
      buttonIds.instruction("e-invoice-setup", "jnku-mail-open", "done"), buttonIds.resume("e-invoice-setup"),
      buttonIds.intakeConfirm(true), buttonIds.parish("ozolnieku"), buttonIds.parish(undefined), buttonIds.contact("phone"),
      buttonIds.consent(false), buttonIds.questionKeep, buttonIds.endTicket, buttonIds.resumeTicket, buttonIds.rate(12, 5),
      buttonIds.rate(12, "skip"), buttonIds.forget(true),
    ]).toEqual([
      "menu", "person", "language", "lang:ru", "flow:e-invoice-setup", "guide:e-address", "section:e-address#steps",
      "f:feedback:did-it-help:1", "f:e-invoice-setup:jnku-mail-open:done", "f:e-invoice-setup:resume", "intake:yes",
      "parish:ozolnieku", "parish:other", "contact:phone", "consent:no", "question:keep", "ticket:end", "ticket:resume",
      "rate:12:5", "rate:12:skip", "forget:yes",
    ]);
  });

  it.each(["lang:de", "rate:12:7", "rate:0:5", "f:x:y:07", "guide:", "section:a", "ticket:close", "intake:maybe", "", "zzz"])(
    "treat %j as unknown", (id) => {
      expect(parseButtonId(id)).toEqual({ kind: "unknown", id });
    });
});
