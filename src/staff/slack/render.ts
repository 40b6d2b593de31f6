/**
 * What DigiPalīgs shows in Slack: the ticket announcement in Block Kit (masked, mrkdwn-escaped)
 * and the plain Latvian texts for staff.
 * @module
 */
import type { types as slackTypes } from "@slack/bolt";
import type { DeskErrorCode } from "../../core/errors.js";
import { maskPersonalData } from "../../core/privacy.js";
import type { TicketSummary } from "../types.js";

/** `action_id` of the claim button; its `value` is the ticket id. */
export const CLAIM_ACTION = "ticket_claim";
/** `action_id` of the close button; its `value` is the ticket id. */
export const CLOSE_ACTION = "ticket_close";
/** Slack's limit for the text of one section block. */
const SECTION_TEXT_LIMIT = 3000;

/** What a member of staff reads in Slack, in plain Latvian. */
export const SLACK_TEXTS = {
  unknownUser: "Jūsu Slack konts nav sasaistīts ar DigiPalīga darbinieka kontu. Lūdzu, vērsieties pie administratora.",
  onlyClaimer: "Iedzīvotājam var atbildēt tikai darbinieks, kurš pieņēma šo pieteikumu. Jūsu ziņa netika nosūtīta.",
  claimFirst: "Vispirms pieņemiet pieteikumu ar pogu «Pieņemt». Jūsu ziņa netika nosūtīta.",
  closedNotSent: "Šis pieteikums jau ir aizvērts. Jūsu ziņa netika nosūtīta.",
  failed: "Kaut kas nogāja greizi. Lūdzu, mēģiniet vēlreiz vai izmantojiet darbinieku konsoli.",
} as const;

/** The explanation for each refused desk operation. */
export const DESK_ERROR_TEXTS: Readonly<Record<DeskErrorCode, string>> = {
  already_claimed: "Šo pieteikumu jau pieņēma cits darbinieks.",
  not_yours: "Šo pieteikumu apstrādā cits darbinieks.",
  closed: "Šis pieteikums jau ir aizvērts.",
  forbidden: "Jums nav piekļuves šī klientu apkalpošanas centra pieteikumiem.",
  not_found: "Šāds pieteikums netika atrasts.",
  unknown_centre: "Šo darbību neizdevās izpildīt. Lūdzu, izmantojiet darbinieku konsoli.",
  bad_request: "Šo darbību neizdevās izpildīt. Lūdzu, izmantojiet darbinieku konsoli.",
};

const LANGUAGE_NAMES: Readonly<Record<string, string>> = { lv: "latviešu", ru: "krievu", en: "angļu" };
const CHANNEL_NAMES: Readonly<Record<string, string>> = { telegram: "Telegram", web: "tīmekļa tērzēšana" };
const CONTACT_NAMES: Readonly<Record<string, string>> = { chat: "tērzēšanā", phone: "pa tālruni (atzvanīt)" };

/** How an announcement shows its ticket: waiting (both buttons), claimed (close only), closed (none). */
export type AnnouncementView = { state: "waiting" } | { state: "claimed" } | { state: "closed"; reason: string };

/** A Block Kit block. */
type Block = slackTypes.KnownBlock;

/** Escapes `&`, `<` and `>` so that text cannot form links or mentions in Slack mrkdwn. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const truncate = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The announcement of a ticket, as text (for notifications) and blocks. */
export function renderAnnouncement(ticket: TicketSummary, view: AnnouncementView): { text: string; blocks: Block[] } {
  const question = escapeMrkdwn(maskPersonalData(ticket.question));
  const parish = ticket.parish ? escapeMrkdwn(ticket.parish) : "nav norādīts";
  const status =
    view.state === "waiting" ? ":hourglass_flowing_sand: Gaida darbinieku"
    : view.state === "claimed" ? `:raising_hand: Pieņēma: *${escapeMrkdwn(ticket.assignee?.displayName ?? "darbinieks")}*`
    : `:white_check_mark: Aizvērts: ${escapeMrkdwn(maskPersonalData(view.reason))}`;
  const quoted = truncate(question, SECTION_TEXT_LIMIT - 100).split("\n").map((line) => `> ${line}`).join("\n");
  const value = String(ticket.id);
  const buttons: slackTypes.Button[] = [];
  if (view.state === "waiting") {
    buttons.push({ type: "button", action_id: CLAIM_ACTION, value, style: "primary", text: { type: "plain_text", text: "Pieņemt" } });
  }
  if (view.state !== "closed") {
    buttons.push({
      type: "button",
      action_id: CLOSE_ACTION,
      value,
      text: { type: "plain_text", text: "Aizvērt" },
      confirm: {
        title: { type: "plain_text", text: "Aizvērt pieteikumu?" },
        text: { type: "plain_text", text: "Iedzīvotājam tiks lūgts novērtēt saņemto palīdzību." },
        confirm: { type: "plain_text", text: "Aizvērt" },
        deny: { type: "plain_text", text: "Atcelt" },
      },
    });
  }
  const blocks: Block[] = [
    { type: "section", text: { type: "mrkdwn", text: `*Pieteikums Nr. ${escapeMrkdwn(ticket.number)}*` } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Pagasts:*\n${parish}` },
        { type: "mrkdwn", text: `*Valoda:*\n${LANGUAGE_NAMES[ticket.lang] ?? ticket.lang}` },
        { type: "mrkdwn", text: `*Kanāls:*\n${escapeMrkdwn(CHANNEL_NAMES[ticket.channel] ?? ticket.channel)}` },
        { type: "mrkdwn", text: `*Saziņa:*\n${CONTACT_NAMES[ticket.contact] ?? ticket.contact}` },
      ],
    },
    { type: "section", text: { type: "mrkdwn", text: quoted || "> (bez teksta)" } },
    { type: "context", elements: [{ type: "mrkdwn", text: status }] },
  ];
  if (buttons.length > 0) blocks.push({ type: "actions", block_id: "ticket_actions", elements: buttons });
  const text = `Pieteikums Nr. ${ticket.number}${ticket.parish ? ` (${ticket.parish})` : ""}: ${truncate(maskPersonalData(ticket.question), 200)}`;
  return { text: escapeMrkdwn(text), blocks };
}
