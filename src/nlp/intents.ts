/**
 * Recognises a request to talk to a person ("gribu runāt ar cilvēku", "позовите оператора",
 * "talk to a human") and small talk (greetings, thanks), in folded text.
 * @module
 */
import { fold, surfaceTerms } from "./normalize.js";
import { memoize } from "./memo.js";

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
  if (CALL_REQUEST.test(folded) || CANNOT_TYPE.test(folded)) return true;
  const corrected = correctEnglish(folded);
  return corrected !== folded && CALL_REQUEST.test(corrected);
}

const startsWithAny = (term: string, stems: readonly string[]): boolean => stems.some((s) => term.startsWith(s));

// === English requests for a person, typos included

/** English words the person-request rules look for; a typo one edit away (two for long words) reads as the word. */
const ENGLISH_KEYWORDS = [
  "person", "human", "someone", "somebody", "operator", "agent", "staff", "employee", "representative", "consultant",
  "people", "speak", "talk", "connect", "transfer", "please", "call", "phone", "real", "live", "actual", "want",
];
/** Common English words one edit away from a keyword: never "corrected" (exported for tests). */
export const ENGLISH_LOOKALIKES: ReadonlySet<string> = new Set([
  "all", "ball", "calm", "cell", "fall", "hall", "mall", "tall", "wall", "well", "will", "walk", "tale", "task", "take", "stuff",
  "lease", "peak", "speck", "sneak", "reel", "read", "deal", "life", "love", "give", "line", "like", "alive", "shone", "phony",
  "humane", "persona", "personal", "agenda", "agency", "paste", "past", "tell", "went", "wand", "ant", "pant",
]);

/** Longest word compared with the keywords: longer ones are never a typo of one. */
const LONGEST_COMPARED = Math.max(...ENGLISH_KEYWORDS.map((k) => k.length)) + 2;
/** Three rows of the distance table, reused by every call (this runs on every message: no allocation). */
const rows = [new Int32Array(LONGEST_COMPARED + 1), new Int32Array(LONGEST_COMPARED + 1), new Int32Array(LONGEST_COMPARED + 1)] as const;

/** The optimal string alignment distance of `a` and `b` (edits, adjacent swaps included), or `max + 1` once it is over `max`. */
function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max || b.length > LONGEST_COMPARED) return max + 1;
  // Rows i-2, i-1 and i of the table: d[i][j] is the distance of a's first i letters to b's first j.
  let [before, previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (before[j - 2] ?? 0) + 1);
      current[j] = v;
      if (v < smallest) smallest = v;
    }
    // Every later row is at least this row's smallest value.
    if (smallest > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? max + 1;
}

/**
 * Folded text with typos of the English keywords corrected ("tlak to a persn" → "talk to a
 * person", "operater pls" → "operator pls", "cal me back" → "call me back"). Only Latin words of
 * three letters or more are compared, common look-alikes ("walk", "tell", "all") are kept.
 */
export function correctEnglish(folded: string): string {
  return folded.replace(LETTERS, correctWord);
}

const LETTERS = /\p{L}+/gu;

/** The keyword a word is a typo of, or the word itself (see {@link correctEnglish}); remembered per word. */
function correctWord(word: string): string {
  if (word.length < 3 || word.length > LONGEST_COMPARED || !/^[a-z]+$/.test(word)) return word;
  return CORRECTED(word);
}

/** Words of at most {@link LONGEST_COMPARED} letters: 10,000 of them stay small. */
const CORRECTED = memoize(10_000, (word) => closestKeyword(word));

/** The keyword within reach of a Latin word, or the word itself. */
function closestKeyword(word: string): string {
  if (ENGLISH_LOOKALIKES.has(word) || ENGLISH_KEYWORDS.includes(word)) return word;
  let best = word;
  let bestDistance = Infinity;
  for (const k of ENGLISH_KEYWORDS) {
    const max = k.length >= 8 ? 2 : 1;
    if (k.length < 4 && word.length < 4) continue;
    const dist = editDistance(word, k, max);
    if (dist <= max && dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  return best;
}

/** A person who could help, in English ("a real person", "a live agent", "one of your staff"); not "a person's …". */
const EN_WHO = String.raw`(?:(?:a|an|the|some|your|one of your|any)\s+)?(?:(?:real|live|actual|proper|human)\s+)?(?:person|human(?: being)?|someone|somebody|operator|agent|staff(?: member)?|employee|representative|consultant|people|man|woman)(?!['’]s)\b`;
/** English phrasings of a request for a person, in folded and typo-corrected text. */
const EN_PERSON_REQUEST = new RegExp([
  // "talk to a person", "speak with someone", "chat to a real human"
  String.raw`\b(?:talk|speak|chat)(?:ing)?\s+(?:to|with)\s+${EN_WHO}`,
  // "put me through to someone", "pass me to a human agent", "connect me with an operator"
  String.raw`\b(?:put|pass|transfer|connect|forward|redirect|switch|send|get)\s+me\s+(?:through\s+|over\s+|on\s+)?(?:to|with)\s+${EN_WHO}`,
  // "is there a real person here", "is anyone there", "are there any people I can ask"
  String.raw`\b(?:is|are)\s+there\s+(?:${EN_WHO}|anyone|anybody)\s+(?:here|there|around|available|online|i can)\b`, String.raw`\bis\s+(?:anyone|anybody)\s+(?:here|there|available)\b`,
  // "I want/need/would like a human", "can I have an operator", "give me a person"
  String.raw`\b(?:i\s+(?:want|need|would like|d like|prefer)|can i (?:have|get)|could i (?:have|get)|give me|get me|bring me)\s+(?:to (?:talk|speak) (?:to|with)\s+)?${EN_WHO}\s*(?:[.!?,]|please|now|$|to (?:help|talk|speak|call|contact|look|check))`,
  // "help from a real person", "not a bot, a real person"
  String.raw`\b(?:help|assistance|answer)\s+from\s+${EN_WHO}`, String.raw`\b(?:not|no)\s+(?:(?:a|the|this|your)\s+)?(?:bot|robot|machine|chatbot|computer)\b[^.?!]*?${EN_WHO}`,
  // "operator please", "human pls", "please, a real person"
  String.raw`\b${EN_WHO}\s*[,.!]?\s*(?:please|pls|plz|now)\b`, String.raw`^\s*(?:please|pls|plz)\s*[,.!]?\s*${EN_WHO}\s*[.!]*\s*$`,
  // "I'd appreciate it if a person could look at my case", "can a human help me", "have someone check my application"
  String.raw`\b(?:if|can|could|would|have|let)\s+${EN_WHO}\s+(?:could |can |would |please )?(?:look|check|help|review|handle|deal|contact|answer|get back)`,
].join("|"), "u");

/** A how-to question in English ("how do people get an e-address?"): weak request words ("get", "need") do not make it a request. */
const EN_QUESTION_START = /^\s*(?:how|what|where|when|why|which|is|are|does|do|should)\b/u;
/** English request words too weak to make a request alone in a longer message ("I need to pay tax for another person"). */
const EN_WEAK_REQUEST = ["want", "need", "get", "help", "please"];

/** True when (folded, typo-corrected) English text asks for a person in one of the usual phrasings. */
function englishPersonRequest(corrected: string): boolean {
  return EN_PERSON_REQUEST.test(corrected.replace(/\s+/g, " "));
}

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
  // Typos are corrected for the English phrasings only: a Latvian word one edit away from an
  // English one ("spēka" → "speak") must not become a request word.
  if (englishPersonRequest(correctEnglish(cleaned))) return true;
  const words = terms;
  const person = words.some((t) => PERSON_WORDS.has(t) || startsWithAny(t, PERSON));
  if (!person) return false;
  const requests = words.filter((t) => startsWithAny(t, REQUEST));
  // English weak words ("get", "need", "want") ask only in a short message ("need a human") or
  // with a stronger word; a how-to question or a longer sentence with them is a question about
  // a task ("how do people get an e-address", "I need to pay tax for another person").
  const onlyWeakEnglish = requests.length > 0 && requests.every((t) => startsWithAny(t, EN_WEAK_REQUEST));
  if (onlyWeakEnglish && (EN_QUESTION_START.test(cleaned) || words.length > 5)) return false;
  return requests.length > 0 || words.length <= 3;
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
