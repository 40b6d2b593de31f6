/**
 * Channel-neutral values shared by the core and every channel.
 * @module
 */

/** The languages the assistant speaks. */
export type Lang = "lv" | "ru" | "en";

/** All supported languages, Latvian first (the default). */
export const LANGS: readonly Lang[] = ["lv", "ru", "en"];

/** True when `value` names a supported language. */
export function isLang(value: unknown): value is Lang {
  return value === "lv" || value === "ru" || value === "en";
}

/** A button under a reply. `id` is what comes back when it is pressed. */
export interface Button {
  readonly id: string;
  readonly label: string;
  /** A short answer (👍 / 👎, a language) that may share a row with the inline buttons next to it. */
  readonly inline?: boolean;
}

/** One message to the resident may also ask the channel for the resident's phone number. */
export interface ContactRequest {
  /** Label of the "share my number" button (Telegram); web chat lets the resident type it. */
  readonly label: string;
}

/** A member of staff who wrote a message to the resident, and their centre. */
export interface StaffAuthor {
  readonly name: string;
  /** The centre's name, as the resident reads it ("Ozolnieku pagasta klientu apkalpošanas centrs"). */
  readonly centre?: string;
}

/** One message to the resident: plain text (channels escape it) and optional buttons. */
export interface Reply {
  readonly text: string;
  readonly buttons: readonly Button[];
  /** Ask for the resident's phone number with the channel's own button, when it has one. */
  readonly requestContact?: ContactRequest;
  /** Written by a member of staff, not the bot: channels show it differently (name, centre). */
  readonly from?: StaffAuthor;
  /** Worth listening to (a guide answer, a flow step): channels that can speak offer "🔊". */
  readonly listen?: boolean;
}

/**
 * What a transcript line is. From the resident: typed `text`, an `edited` message, a `button`
 * pressed (the text is its label), a `command`, `media` (the text is its kind) or a phone number
 * shared (`contact`, never stored), a `voice` message (the text is its transcript). To the resident: a `bot` message or a `staff` message.
 */
export type TranscriptKind = "text" | "edited" | "button" | "command" | "media" | "contact" | "voice" | "bot" | "staff";

/** What the bot decided to do with a message. */
export type Intent = "guide" | "flow" | "escalate" | "fallback" | "clarify";

/** The longest text one reply may carry (Telegram's limit is 4,096). */
export const MAX_REPLY_LENGTH = 4000;

/** Kinds of non-text input a channel may receive. */
export type MediaKind = "voice" | "audio" | "video" | "photo" | "sticker" | "document" | "location" | "contact" | "other";

/** A file a resident sent, as the channel can fetch it again (e.g. a Telegram file id). */
export interface FileRef {
  readonly channel: string;
  readonly id: string;
  readonly name?: string;
}

/** A voice message or audio file the channel transcribed: the text input came from speech. */
export interface Spoken {
  readonly media: "voice" | "audio";
  /** Where staff can listen to it again. */
  readonly file?: FileRef;
}

/**
 * Why a voice message could not become text: no speech service (`unconfigured`), the service
 * failed (`unavailable`), longer or larger than allowed, not audio, or nothing was heard (`empty`).
 */
export type VoiceProblem = "unconfigured" | "unavailable" | "too_long" | "too_large" | "unreadable" | "empty";

/** One inbound message, as every channel translates it. */
export type Input =
  | { readonly kind: "text"; readonly text: string; readonly edited?: boolean; readonly spoken?: Spoken }
  | { readonly kind: "button"; readonly id: string }
  | { readonly kind: "command"; readonly name: string; readonly arg?: string }
  | { readonly kind: "media"; readonly media: MediaKind; readonly file?: FileRef; readonly voiceProblem?: VoiceProblem }
  /** The resident shared their own phone number (Telegram's contact button). */
  | { readonly kind: "contact"; readonly phone: string };

/**
 * Why a conversation was handed to a person: the resident asked (a button, `/person`, or typed
 * "I want to talk to a person"), pressed a flow choice that leads to a person, or a flow reached
 * a step that hands over. Texts for each are in `MESSAGES[lang].escalationReasons`.
 */
export type EscalationReason = "askedForPerson" | "flowChoice" | "flowStep";

/** All escalation reasons. */
export const ESCALATION_REASONS: readonly EscalationReason[] = ["askedForPerson", "flowChoice", "flowStep"];

/**
 * What the bot knew when the resident asked for a person: the one shape kept during the intake,
 * handed to the ticket service and shown to staff.
 */
export interface EscalationContext {
  readonly reason: EscalationReason;
  /** For `flowStep`: the flow's own words for staff; for `flowChoice`: the label pressed. */
  readonly note?: string;
  /** The flow and step where the resident got stuck. */
  readonly flow?: string;
  readonly step?: string;
  /** Answers the resident chose in the flow (e.g. invoice: utility). */
  readonly vars?: Readonly<Record<string, string>>;
  /** The last guide the bot answered with. */
  readonly guide?: string;
  /** Titles for staff (in Latvian), so that they read names rather than ids. */
  readonly titles?: {
    readonly guide?: string;
    readonly flow?: string;
    /** The first line of the step's text. */
    readonly step?: string;
  };
  /** The resident's last real question to the bot (masked). */
  readonly lastQuestion?: string;
}
