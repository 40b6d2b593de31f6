/**
 * Recognises a request to talk to a person ("gribu runāt ar cilvēku", "позовите оператора",
 * "talk to a human") and small talk (greetings, thanks), in folded text.
 * @module
 */
import { fold, surfaceTerms } from "./normalize.js";

/** Word beginnings (folded, Latvian and Russian) that name a person who could help. */
const PERSON = [
  "cilvek", "darbiniek", "konsultant", "operator", "specialist",
  "оператор", "человек", "сотрудник", "консультант", "специалист", "менеджер",
];
/** Whole English words that name a person who could help. */
const PERSON_WORDS = new Set([
  "human", "humans", "person", "someone", "somebody", "agent", "staff", "employee", "representative",
  "consultant", "operator", "people",
]);
/** Word beginnings (folded) that ask for contact. */
const REQUEST = [
  "grib", "velos", "runa", "paruna", "sazina", "savieno", "palidz", "sarun", "aicin", "lud",
  "соедин", "позов", "свяж", "хочу", "поговор", "связат", "перевед", "дайте", "нуже", "пригласит", "помог",
  "можно", "прошу", "позвать", "mozhno", "prosu",
  "speak", "talk", "connect", "contact", "chat", "want", "need", "transfer", "reach", "get", "help", "please",
];
/**
 * Phrases in which a person word does not ask for a person of the client service: a personal
 * code, "in person", a report of someone who called, the social worker of a parish (a topic of
 * the social assistance guide), someone to teach or show how (a course or Digital Wednesday).
 */
const NOT_A_REQUEST = new RegExp([
  String.raw`\b(?:in person|personas kod\w*|person(?:al)? code)`,
  String.raw`\bsomeone (?:called|rang|phoned|texted|sent|asked)`, String.raw`кто-то (?:звонил|позвонил|написал)`,
  String.raw`\bsocial\p{L}* (?:darbiniek\p{L}*|worker\p{L}*|dienest\p{L}*)`, String.raw`социальн\p{L}* (?:работник\p{L}*|служб\p{L}*)`,
  String.raw`\b(?:someone|somebody|a person) (?:to|who (?:can|could|would|will)) (?:show|teach|train)\b`,
].join("|"), "gu");

/**
 * What someone else said or advised ("ārste teica, ka jāzvana …", "мне сказали позвонить …",
 * "the doctor said to call …"): reported speech, not the resident's own request. The reported
 * clause runs from the verb to the next comma or the end of the sentence.
 */
const REPORTED = new RegExp(
  String.raw`(?:^|[^\p{L}])(?:teica|teikts|sacija|ieteica|lika|rakstija|atbildeja|stastija|saka|сказал\p{L}*|велел\p{L}*|посоветовал\p{L}*|ответил\p{L}*|говорят|говорит|советуют|said|says|told (?:me|us|her|him)|advised|recommended)` +
    String.raw`(?![\p{L}])(?:\s*[,:]?\s*(?:ka|lai|что|чтобы|that|to)(?![\p{L}]))?[^,.!?;\n]*`,
  "gu",
);

/** Folded text without reported speech (see {@link REPORTED}). */
export function ownWords(folded: string): string {
  return folded.replace(REPORTED, " ");
}

/**
 * The part of a message where a request for a person stands: the whole of a short message, else
 * its last two sentences ("… it has been two weeks and nobody answers. Please call me back.").
 */
function requestPart(folded: string, maxTerms: number): string {
  if (surfaceTerms(folded).length <= maxTerms) return folded;
  const parts = folded.match(/[^.!?…\n]+(?:[.!?…]+|\n|$)/gu) ?? [];
  const tail = parts.map((p) => p.trim()).filter((p) => /[\p{L}\p{N}]/u.test(p)).slice(-2).join(" ");
  return surfaceTerms(tail).length <= maxTerms ? tail : "";
}

/** A request to be called back: always a request for a person (past tenses are not). */
const CALLBACK = /\b(?:piezvan(?:a|iet|itu|is|iesim)|atzvan(?:a|iet|itu|is)|перезвон\p{L}*|позвоните мне|call me(?: back)?|ring me|phone me)\b/u;

/**
 * Asking to be called back, in folded text: imperatives and "can you call" infinitives only —
 * past tenses ("man zvanīja", "мне звонили", "someone called me") are reports, not requests.
 */
const CALL_REQUEST = new RegExp([
  String.raw`\b(?:pie|at)?zvaniet\b`, String.raw`\b(?:pie|at)zvanit\b`, String.raw`\b(?:pie|at)zvani\b`,
  String.raw`(?:^|[^\p{L}])(?:по|пере)звоните(?:[^\p{L}]|$)`, String.raw`(?:^|[^\p{L}])(?:по|пере)звонить(?:[^\p{L}]|$)`, String.raw`(?:^|[^\p{L}])(?:по|пере)звони(?:[^\p{L}]|$)`,
  String.raw`(?:^|[^\p{L}])(?:набер|наберите)(?:[^\p{L}]|$)`,
  // Polite and indirect: "lai kāds man piezvana", "lai ar mani sazinās", "пусть кто-нибудь позвонит",
  // "чтобы мне перезвонили", "have someone call me".
  String.raw`\blai\b(?:\s+\p{L}+){0,4}?\s+(?:pie|at)?zvan(?:a|itu|iet)\b`, String.raw`\blai\b(?:\s+\p{L}+){0,3}?\s+ar mani sazin\p{L}*`,
  String.raw`\bsazinieties ar mani\b`,
  String.raw`(?:^|[^\p{L}])(?:пусть|чтобы|чтоб)(?:\s+[\p{L}-]+){0,4}?\s+(?:по|пере)?звон(?:ит|ят|или|ил|ила)(?:[^\p{L}]|$)`,
  String.raw`(?:^|[^\p{L}])(?:по|пере)звонили бы(?:[^\p{L}]|$)`, String.raw`(?:^|[^\p{L}])свяжитесь со мной(?:[^\p{L}]|$)`,
  String.raw`\b(?:call|ring|phone) (?:me|us|my (?:mother|mum|mom|father|dad|wife|husband|grandmother|grandfather))\b`, String.raw`\bcall ?back\b`, String.raw`\bgive me a call\b`,
  String.raw`\bcontact me\b`,
].join("|"), "u");

/** Saying they cannot type or read (well): a person on the phone helps them best. */
const CANNOT_TYPE = new RegExp([
  // lv: nemāku/nevaru/grūti/slikti … rakstīt/lasīt/redzēt; neredzu
  // ("neredzu rēķinu" is a question about a missing invoice, not about eyesight.)
  String.raw`\b(?:nemaku|nevaru|gruti|slikti|nespeju|neprotu)\b(?:\s+\p{L}+){0,3}?\s+(?:rakstit|lasit|rakstu|lasu|drukat)\b`,
  String.raw`\b(?:slikti|vaji|gruti) (?:redzu|redzet)\b`, String.raw`\b(?:slikta|vaja) redze\b`,
  // ru: не могу/не умею/плохо/трудно … писать/читать; плохо вижу ("не вижу счёт" is not about eyesight)
  String.raw`(?:не могу|не умею|плохо|трудно|тяжело|сложно)(?:\s+\p{L}+){0,3}?\s+(?:писать|читать|печатать|набирать|читаю|пишу)(?:[^\p{L}]|$)`,
  String.raw`(?:^|[^\p{L}])(?:плохо|слабо|почти не) вижу(?:[^\p{L}]|$)`, String.raw`(?:плохое|слабое) зрение`,
  // en
  String.raw`\b(?:can ?not|can't|cant|unable to|hard (?:for me )?to|difficult (?:for me )?to|don't know how to|do not know how to)\s+(?:type|write|read)\b`,
  String.raw`\b(?:can ?not|can't|cant) see (?:well|properly|the (?:screen|letters|text))\b`,
  String.raw`\b(?:bad|poor) (?:eyesight|eyes)\b`,
].join("|"), "u");

/**
 * True when the message asks to be called back, or says the resident cannot type or read well
 * ("zvaniet man lūdzu", "piezvaniet, nemāku rakstīt", "перезвоните", "I can't type"): the
 * escalation then preselects a phone call. Past tenses ("man zvanīja no bankas") are not requests.
 */
export function asksForCallback(text: string): boolean {
  const folded = requestPart(ownWords(fold(text)), 40).replace(/\s+/g, " ");
  if (folded.trim() === "") return false;
  return CALL_REQUEST.test(folded) || CANNOT_TYPE.test(folded);
}

const startsWithAny = (term: string, stems: readonly string[]): boolean => stems.some((s) => term.startsWith(s));

/**
 * True when the message asks for a human. A person word must come with a request word, or the
 * message must be very short ("operators", "живой человек").
 */
export function asksForPerson(text: string): boolean {
  const folded = requestPart(ownWords(fold(text)), 20);
  const cleaned = folded.replace(NOT_A_REQUEST, " ");
  const terms = surfaceTerms(cleaned);
  if (terms.length === 0 || terms.length > 20) return false;
  if (CALLBACK.test(cleaned)) return true;
  const person = terms.some((t) => PERSON_WORDS.has(t) || startsWithAny(t, PERSON));
  if (!person) return false;
  const request = terms.some((t) => startsWithAny(t, REQUEST));
  return request || terms.length <= 3;
}

const GREETINGS = new Set([
  "labdien", "sveiki", "sveiks", "sveika", "cau", "labrit", "labvakar", "hei", "ei",
  "привет", "здравствуйте", "здравствуи", "добрый", "день", "утро", "вечер", "доброе",
  "hello", "hi", "hey", "good", "morning", "afternoon", "evening", "start",
]);
const THANKS = new Set(["paldies", "paldies!", "liels", "спасибо", "благодарю", "большое", "thanks", "thank", "you", "much", "ok", "labi", "хорошо"]);

/** "greeting" or "thanks" when the whole message is only that, otherwise undefined. */
export function smallTalk(text: string): "greeting" | "thanks" | undefined {
  const terms = surfaceTerms(fold(text));
  if (terms.length === 0 || terms.length > 4) return undefined;
  if (terms.every((t) => GREETINGS.has(t))) return "greeting";
  if (terms.some((t) => t === "paldies" || t === "спасибо" || t === "thanks" || t === "thank" || t === "благодарю") && terms.every((t) => THANKS.has(t))) {
    return "thanks";
  }
  return undefined;
}

/** Word beginnings (folded) for a call, SMS or message the resident received. */
const SCAM_CHANNEL = [
  "zvan", "piezvan", "sms", "iszin", "whatsapp", "viber", "e-past", "epast", "vestul",
  "звон", "позвон", "смс", "sms", "сообщен", "письм", "вайбер", "ватсап",
  "call", "rang", "phoned", "text", "message", "email", "e-mail", "mail",
];
/** Word beginnings (folded) for what fraudsters ask for. */
const SCAM_SECRET = [
  "pin", "kod", "parol", "kart", "cvv", "konta", "smart-id", "smartid", "eparaksts", "internetbank",
  "пин", "код", "парол", "карт", "cvv", "счет", "счёт", "смарт", "банковск",
  "code", "password", "card", "account", "login", "passcode",
];
/** Word beginnings (folded) for a link to open. */
const SCAM_LINK = ["sait", "link", "ссылк", "линк", "url"];
/** Word beginnings (folded) for having been asked or told (past tense: a how-to question is not a report). */
const SCAM_ASK = [
  // Not "teica"/"сказал"/"told": what someone said ("мне сказали, что письма придут на e-adrese") is no demand.
  "prasij", "pieprasij", "ludza", "gribej", "lika", "diktej", "nosaukt", "janosauc", "jaievada",
  "просил", "попросил", "требовал", "потребовал", "назвать", "продиктов", "хотел",
  "asked", "asking", "wanted", "demanded", "requested", "requesting",
  "prasot", "ludzot", "просят", "просит", "прося", "требуют",
];

/** Word beginnings (folded) of having given away a secret or lost money (past tense, first person or passive). */
const VICTIM_DID = [
  "iedevu", "pateicu", "nosaucu", "ievadiju", "nospiedu", "apstiprinaju", "parskaitiju", "nodiktej", "atdevu", "uzspiedu",
  "nozaga", "nonema", "pazuda", "pazaudeju", "izkrapa", "apkrapa", "notereja", "norakstija",
  "сообщил", "назвал", "продиктовал", "ввел", "ввёл", "перевел", "перевёл", "подтвердил", "нажал", "отдал", "дал ",
  "украли", "списали", "сняли", "пропали", "обманули", "выманили",
  "gave", "told them", "entered", "confirmed", "clicked", "tapped", "transferred", "sent them", "stole", "stolen", "lost", "took my", "scammed",
];
/** Word beginnings (folded) of what was given or lost. */
const VICTIM_WHAT = [...SCAM_SECRET, ...SCAM_LINK, "nauda", "naudu", "eiro", "eur", "деньг", "евро", "money", "savings"];

/**
 * True when the resident tells they already gave a code, PIN or card data, tapped the link or
 * lost money ("es iedevu kodu", "я продиктовал код", "they took my money"): the scam check then
 * starts with the "act now" steps (call the bank, block, report to the police).
 */
export function scamVictim(text: string): boolean {
  const folded = ` ${fold(text).replace(/\s+/g, " ")} `;
  const terms = surfaceTerms(folded);
  if (terms.length < 2) return false;
  const did = VICTIM_DID.some((v) => (v.includes(" ") ? folded.includes(` ${v}`) : terms.some((t) => t.startsWith(v))));
  return did && terms.some((t) => startsWithAny(t, VICTIM_WHAT));
}

/**
 * True when a message tells of a call, SMS or message asking for PINs, codes, passwords, card
 * data or to open a link: the bot then gives its safety warning first.
 */
export function mentionsScam(text: string): boolean {
  const terms = surfaceTerms(fold(text));
  if (terms.length < 3) return false;
  const has = (stems: readonly string[]): boolean => terms.some((t) => startsWithAny(t, stems));
  if (!has(SCAM_CHANNEL)) return false;
  if (has(SCAM_LINK)) return true;
  return has(SCAM_SECRET) && has(SCAM_ASK);
}
