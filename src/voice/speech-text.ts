/**
 * Text prepared for speech: what a listener should hear instead of what a reader sees. Emoji and
 * markup go; a web address is "the link below"; abbreviations such as NĪN, VID and e-adrese are
 * spoken as words; phone and other long numbers are read in digits; lines end in a pause.
 * @module
 */
import type { Lang } from "../core/types.js";

/** The longest text spoken at once (speech services take about 4,000 characters). */
export const MAX_SPOKEN_LENGTH = 3000;

interface SpeechWords {
  readonly link: string;
  readonly email: string;
  readonly euro: string;
  readonly percent: string;
  /** Whole words (case-sensitive keys; matched at word boundaries) and how to say them. */
  readonly words: Readonly<Record<string, string>>;
}

const WORDS: Readonly<Record<Lang, SpeechWords>> = {
  lv: {
    link: "saite zemāk", email: "e-pasta adrese, kas redzama ziņā", euro: "eiro", percent: "procenti",
    words: {
      NĪN: "nekustamā īpašuma nodoklis", VID: "Valsts ieņēmumu dienests", EDS: "E D S", VPVKAC: "valsts un pašvaldības klientu apkalpošanas centrs",
      KAC: "klientu apkalpošanas centrs", LVRTC: "L V R T C", PIN: "pin", PIN1: "pin viens", PIN2: "pin divi", CSDD: "C S D D", VSAA: "V S A A",
      "e-adrese": "e adrese", "e-adresi": "e adresi", "e-adresē": "e adresē", "e-pasts": "e pasts", "e-pastā": "e pastā", "e-rēķins": "e rēķins", "e-rēķinu": "e rēķinu", "e-rēķini": "e rēķini",
      eParaksts: "e paraksts", "Smart-ID": "smart ai dī", "latvija.gov.lv": "latvija punkts gov punkts lv",
      "utt.": "un tā tālāk", "piem.": "piemēram", "u.c.": "un citi", "tel.": "tālrunis", "Nr.": "numurs", "nr.": "numurs", "pag.": "pagasts",
    },
  },
  ru: {
    link: "ссылка ниже", email: "адрес электронной почты в сообщении", euro: "евро", percent: "процентов",
    words: {
      NĪN: "налог на недвижимость", VID: "Служба государственных доходов", EDS: "Е Д С", VPVKAC: "центр обслуживания клиентов",
      KAC: "центр обслуживания клиентов", LVRTC: "Л В Р Т Ц", PIN: "пин", PIN1: "пин один", PIN2: "пин два",
      "e-adrese": "е-адрес", "e-adresi": "е-адрес", "е-адрес": "е адрес", eParaksts: "е паракстс", "Smart-ID": "смарт ай ди",
      "т.е.": "то есть", "и т.д.": "и так далее", "и т.п.": "и тому подобное", "тел.": "телефон", "напр.": "например",
    },
  },
  en: {
    link: "the link below", email: "the e-mail address in the message", euro: "euros", percent: "percent",
    words: {
      NĪN: "real estate tax", VID: "State Revenue Service", EDS: "E D S", VPVKAC: "client service centre",
      KAC: "client service centre", LVRTC: "L V R T C", PIN: "pin", PIN1: "pin one", PIN2: "pin two",
      "e-adrese": "e-address", eParaksts: "e paraksts", "Smart-ID": "smart I D", "e.g.": "for example", "i.e.": "that is", "tel.": "phone",
    },
  },
};

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One pattern per language for its words, longest first (so `PIN1` wins over `PIN`). */
const WORD_PATTERNS: Readonly<Record<Lang, RegExp>> = Object.fromEntries(Object.entries(WORDS).map(([lang, w]) => {
  const keys = Object.keys(w.words).sort((a, b) => b.length - a.length).map(escape);
  return [lang, new RegExp(`(?<![\\p{L}\\p{N}-])(?:${keys.join("|")})(?![\\p{L}\\p{N}])`, "gu")];
})) as Record<Lang, RegExp>;

/** Digits one by one, in groups of up to three (a phone number, a personal code). */
function digits(run: string): string {
  const only = run.replace(/\D/g, "");
  const groups: string[] = [];
  for (let i = 0; i < only.length; i += 3) groups.push(only.slice(i, i + 3).split("").join(" "));
  return groups.join(", ");
}

/**
 * `text` as it should be spoken in `lang`: plain sentences, at most {@link MAX_SPOKEN_LENGTH}
 * characters (cut at a sentence end). Empty when nothing is left to say.
 */
export function prepareForSpeech(text: string, lang: Lang): string {
  const w = WORDS[lang];
  let s = text
    // Markup a guide may carry, and masked personal data (nothing to read out).
    .replace(/\*\*|__|`+/g, "")
    .replace(/\*{3,}|•{3,}/g, "")
    .replace(/https?:\/\/\S+|www\.\S+/gi, w.link)
    .replace(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, w.email)
    // Emoji (with skin tones, joiners, keycaps and variation selectors).
    .replace(/\p{Extended_Pictographic}|\p{Regional_Indicator}|\p{Emoji_Modifier}|\u200d|\ufe0f|\u20e3/gu, "")
    .replace(/[→⇒➜]/g, ", ")
    .replace(WORD_PATTERNS[lang], (m) => w.words[m] ?? m)
    // Phone numbers and other long numbers: digit by digit.
    .replace(/\+?\d[\d ]{5,}\d/g, (m) => ` ${digits(m)} `)
    .replace(/(\d)\s*€|€\s*(\d[\d.,]*)/g, (m, a: string | undefined, b: string | undefined) => (b ? `${b} ${w.euro}` : `${a} ${w.euro}`))
    .replace(/(\d)\s*%/g, `$1 ${w.percent}`);
  // Each line is a sentence: bullets and numbered steps become pauses.
  const lines = s.split(/\n+/).map((line) => line.replace(/^\s*(?:[-–•*]|\d+[.)])\s+/, "").replace(/\s+/g, " ").replace(/\s+([,.!?;:])/g, "$1").trim()).filter((line) => /[\p{L}\p{N}]/u.test(line));
  s = lines.map((line) => (/[.!?:;…]$/.test(line) ? line : `${line}.`)).join(" ");
  if (s.length > MAX_SPOKEN_LENGTH) {
    const cut = s.slice(0, MAX_SPOKEN_LENGTH);
    const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf("? "), cut.lastIndexOf("! "));
    s = end > MAX_SPOKEN_LENGTH / 2 ? cut.slice(0, end + 1) : cut;
  }
  return s.trim();
}
