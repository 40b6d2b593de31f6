/**
 * Russian typed in Latin letters ("kak oplatit nalog", "gde posmotret schet", "perezvonite mne")
 * turned back into Cyrillic, so that it can be matched against the Russian guides.
 *
 * Why our own rule table: the npm packages for this (`cyrillic-to-translit-js`'s `reverse`,
 * `transliteration`) implement one fixed scheme — "h", "j", "y" and soft signs stay Latin
 * ("hочу", "jа"), and "sch" is never "щ" — while residents mix several schemes in one message.
 * Here every Latin spelling has its usual Cyrillic readings (sch/shch → щ, zh → ж, ch → ч,
 * kh/h/x → х, ts/c → ц, ja/ya → я, ju/yu → ю, e/je → е/э, y/i → ы/й/и, ' and ` → ь, and the
 * Latvian letters š ž č), the variants of a word are generated, and the one that is a known
 * Russian word (from the Russian guides and a list of common words) is chosen.
 * @module
 */

/** A Latin spelling and its Cyrillic readings, most usual first. */
type Rule = readonly [latin: string, readings: readonly string[]];

/** Latin spellings → Cyrillic readings, most usual first. Longest spellings are tried first. */
const RULES: readonly Rule[] = [
  ["shch", ["щ", "сч"]], ["sch", ["щ", "сч"]], ["tsja", ["тся", "ться"]], ["tsya", ["тся", "ться"]],
  ["zh", ["ж"]], ["ch", ["ч"]], ["sh", ["ш", "щ"]], ["kh", ["х"]], ["ts", ["ц", "тс"]], ["tz", ["ц"]],
  ["ja", ["я", "ья", "ъя"]], ["ya", ["я", "ья", "ъя"]], ["ia", ["ия", "я"]],
  ["ju", ["ю", "ью"]], ["yu", ["ю", "ью"]], ["iu", ["ию", "ю"]],
  ["jo", ["ё", "йо", "ьо"]], ["yo", ["ё", "йо", "ьо"]],
  ["je", ["е", "ье", "ъе", "йе"]], ["ye", ["е", "ые", "ье", "ъе", "йе"]],
  ["yj", ["ый", "ий"]], ["ij", ["ий", "ый"]], ["iy", ["ий", "ый"]], ["yy", ["ый"]],
  ["ks", ["кс"]], ["x", ["кс", "х"]], ["w", ["в"]], ["q", ["к"]],
  ["a", ["а"]], ["b", ["б"]], ["v", ["в"]], ["g", ["г"]], ["d", ["д"]], ["e", ["е", "э"]],
  ["z", ["з"]], ["i", ["и", "ы", "й"]], ["j", ["й", "ь"]], ["k", ["к"]], ["l", ["л"]],
  ["m", ["м"]], ["n", ["н"]], ["o", ["о"]], ["p", ["п"]], ["r", ["р"]], ["s", ["с"]],
  ["t", ["т"]], ["u", ["у"]], ["f", ["ф"]], ["h", ["х"]], ["c", ["ц", "к", "ч"]],
  ["y", ["ы", "й", "и"]], ["'", ["ь", "ъ"]], ["`", ["ь", "ъ"]], ["’", ["ь", "ъ"]],
];

const BY_FIRST = new Map<string, Rule[]>();
for (const rule of RULES) {
  const first = rule[0].charAt(0);
  const list = BY_FIRST.get(first) ?? [];
  list.push(rule);
  BY_FIRST.set(first, list);
}
for (const list of BY_FIRST.values()) list.sort((a, b) => b[0].length - a[0].length);

/** Latvian and Czech-style letters residents use inside transliterated Russian. */
const LETTERS: Readonly<Record<string, string>> = { "š": "sh", "ž": "zh", "č": "ch", "ņ": "n", "ļ": "l", "ķ": "k", "ģ": "g", "ā": "a", "ē": "e", "ī": "i", "ū": "u", "ŗ": "r" };

/** At most this many spellings of one word are generated. */
const MAX_VARIANTS = 32;

/** Prepares a word for the rule table: lower case, Latvian letters as digraphs, no other marks. */
export function latinKey(word: string): string {
  const lower = word.normalize("NFC").toLowerCase();
  let out = "";
  for (const ch of lower) out += LETTERS[ch] ?? ch;
  return out.normalize("NFD").replace(/\p{M}+/gu, "").normalize("NFC");
}

/**
 * Every Cyrillic reading of one Latin-typed word, the most usual first (at most 32).
 * Word-initial "e" reads "э" first ("eto" → "это"); a word-final "j" is "й".
 * @example cyrillicVariants("shchet")[0] // "щет"
 */
export function cyrillicVariants(word: string): string[] {
  const key = latinKey(word);
  let partial: string[] = [""];
  let previous = "";
  let i = 0;
  while (i < key.length) {
    const ch = key.charAt(i);
    const rules = BY_FIRST.get(ch);
    // "ij"/"yj" read "ий"/"ый" only before a consonant or at the end ("pokazanija" → "показания").
    const rule = rules?.find(([latin]) => key.startsWith(latin, i) && !(/[jy]$/.test(latin) && latin.length > 1 && /[aeiouy]/.test(key[i + latin.length] ?? "")));
    if (!rule) {
      // Digits, hyphens and letters without a reading stay as they are.
      partial = partial.map((p) => p + ch);
      previous = ch;
      i++;
      continue;
    }
    const [latin, readings] = rule;
    let options = readings;
    const atStart = i === 0;
    const atEnd = i + latin.length === key.length;
    const afterVowel = i > 0 && /[aeiouy]/.test(key.charAt(i - 1));
    if (latin === "e" && atStart) options = ["э", "е"];
    else if ((latin === "ja" || latin === "ya" || latin === "ju" || latin === "yu" || latin === "je" || latin === "ye" || latin === "jo" || latin === "yo") && (atStart || afterVowel)) {
      options = readings.filter((r) => !/^[ьъ]/.test(r));
    } else if (latin === "j" && (atEnd || afterVowel)) options = ["й"];
    else if (latin === "i" && atStart) options = ["и"];
    else if (latin === "y" && atStart) options = ["ы", "и"];
    else if (latin === "y" && atEnd) options = afterVowel ? ["й"] : ["ы", "й"];
    else if (latin === "i" && atEnd && afterVowel) options = ["й", "и"];
    // "o" after a hissing sound is often "ё"/"е" ("schotchik" → "счётчик", "zholtyj" → "жёлтый").
    else if (latin === "o" && /(?:sh|ch|zh|shch|sch)$/.test(previous)) options = ["о", "е"];
    // A soft sign is often left out after l, t, n, s, z, d, r, m before a consonant or at the
    // end ("tolko" → "только", "poluchat" → "получать").
    const following = key[i + latin.length];
    if (/^[ltnszdrm]$/.test(latin) && i > 0 && (following === undefined || /[bcdfghklmnpqrstvwxz]/.test(following))) {
      options = [...options, ...options.map((r) => `${r}ь`)];
    }
    const next: string[] = [];
    for (const r of options) {
      for (const p of partial) {
        if (next.length >= MAX_VARIANTS) break;
        next.push(p + r);
      }
    }
    // Keep the most usual readings when the product grows too large.
    partial = next.length > MAX_VARIANTS ? next.slice(0, MAX_VARIANTS) : next;
    previous = latin;
    i += latin.length;
  }
  return partial;
}

/**
 * How well a Cyrillic spelling is known: 2 for a dictionary word as written, 1 for a known stem
 * (an inflected form), 0 for unknown.
 */
export type Knower = (cyrillic: string) => number | boolean;

/**
 * The best Cyrillic reading of a Latin-typed word: the first variant known as written, else
 * the first known by its stem, else the most usual reading.
 * @example toCyrillicWord("pochemu", (w) => w === "почему") // "почему"
 */
export function toCyrillicWord(word: string, known: Knower): { text: string; known: boolean } {
  const variants = cyrillicVariants(word);
  let stemmed: string | undefined;
  for (const v of variants) {
    const k = Number(known(v));
    if (k >= 2) return { text: v, known: true };
    if (k >= 1 && stemmed === undefined) stemmed = v;
  }
  if (stemmed !== undefined) return { text: stemmed, known: true };
  return { text: variants[0] ?? word, known: false };
}

const WORD = /[\p{L}'`’]+/gu;

/**
 * Rewrites a message of Latin-typed Russian in Cyrillic, word by word. Words for which
 * `keepLatin` is true (Latvian terms like "pabalsts", brands like "Smart-ID", "e-adrese") stay
 * as they are; so do Cyrillic words, numbers and punctuation.
 * @example toCyrillic("kak oplatit nalog", () => false, () => false) // "как оплатит налог"
 */
export function toCyrillic(text: string, known: Knower, keepLatin: (latin: string) => boolean): string {
  return text.replace(/[\p{L}\p{N}'`’]+(?:[-.][\p{L}\p{N}]+)*/gu, (token) => {
    if (!/[a-zšžč]/iu.test(token) || /\p{Script=Cyrillic}/u.test(token)) return token;
    if (/[-.\d]/.test(token) || keepLatin(token)) return token;
    return token.replace(WORD, (w) => {
      const clean = w.replace(/^['`’]+|['`’]+$/g, "");
      if (clean === "") return w;
      return toCyrillicWord(clean, known).text;
    });
  });
}
