import { describe, expect, it } from "vitest";
import { buildVocabulary } from "../../src/knowledge/knowledge.js";
import { cyrillicQuery, detectLanguage, russianLexicon } from "../../src/nlp/language.js";
import { cyrillicVariants, toCyrillicWord } from "../../src/nlp/translit.js";
import { shippedKnowledge } from "../helpers.js";

const vocab = buildVocabulary(await shippedKnowledge());
const lexicon = russianLexicon(vocab);
const word = (w: string): string => toCyrillicWord(w, (c) => lexicon.rank(c)).text;

describe("Latin-typed Russian → Cyrillic", () => {
  it.each([
    ["kak", "как"], ["gde", "где"], ["chto", "что"], ["pochemu", "почему"], ["skolko", "сколько"],
    ["poluchit", "получить"], ["posmotret", "посмотреть"], ["perezvonite", "перезвоните"],
    ["schet", "счет"], ["shchet", "счет"], ["shchit", "щит"], ["ščotčika", "счетчика"], ["schotchik", "счетчик"], ["otoplenie", "отопление"], ["zhitelstva", "жительства"],
    ["khochu", "хочу"], ["hochu", "хочу"], ["tsentr", "центр"], ["centr", "центр"],
    ["ja", "я"], ["ya", "я"], ["moju", "мою"], ["yu", "ю"], ["eto", "это"], ["jesli", "если"], ["esli", "если"],
    ["novyj", "новый"], ["novyy", "новый"], ["pokazanija", "показания"], ["pol'zovatsja", "пользоваться"],
    ["sem'ja", "семья"], ["podkljuchit", "подключить"], ["soobshenie", "сообщение"],
    ["ščet", "счет"], ["žena", "жена"], ["čto", "что"],
  ])("reads %s as %s", (latin, cyrillic) => {
    expect(word(latin)).toBe(cyrillic);
  });

  it("offers the usual readings of ambiguous spellings", () => {
    expect(cyrillicVariants("sch")).toEqual(expect.arrayContaining(["щ", "сч"]));
    expect(cyrillicVariants("ts")).toEqual(expect.arrayContaining(["ц", "тс"]));
    expect(cyrillicVariants("je")[0]).toBe("е");
    expect(cyrillicVariants("tolko")).toContain("только");
    expect(cyrillicVariants("ob`javlenie")).toContain("объявление");
    expect(cyrillicVariants("x" .repeat(30)).length).toBeLessThanOrEqual(32);
  });

  it("rewrites a message, keeping Latvian terms, brands, numbers and Cyrillic", () => {
    expect(cyrillicQuery("kak oplatit nalog za dom", vocab)).toMatch(/^как оплатить? налог за дом$/);
    expect(cyrillicQuery("kak aktivirovat e-adrese", vocab)).toMatch(/^как активировать e-adrese$/);
    expect(cyrillicQuery("gde moj eParaksts PIN2?", vocab)).toMatch(/^где мой eParaksts PIN2\?$/);
    expect(cyrillicQuery("pabalsts на отопление", vocab)).toBe("pabalsts на отопление");
    expect(cyrillicQuery("perezvonite mne 26123456", vocab)).toBe("перезвоните мне 26123456");
  });
});

/** Forty pairs: the same need in Latin-typed Russian and in Latvian typed without diacritics. */
const PAIRS: readonly (readonly [string, string])[] = [
  ["kak oplatit nalog za zemlju", "ka samaksat nodokli par zemi"],
  ["gde uvidet moi scheta", "kur redzet manus rekinus"],
  ["perezvonite mne pozhalujsta", "ludzu piezvaniet man"],
  ["kak poluchit posobie", "ka sanemt pabalstu"],
  ["kak oformit pabalstu na otoplenie", "ka noformet pabalstu apkurei"],
  ["gde nahoditsja klientskij centr", "kur atrodas klientu centrs"],
  ["kak podat pokazanija schetchika", "ka nodot skaititaja radijumus"],
  ["mne nuzhna pomoshch s e-adrese", "man vajag palidzibu ar e-adresi"],
  ["kak zapisat rebenka v detskij sad", "ka pierakstit bernu bernudarza"],
  ["chto delat esli pozvonili moshenniki", "ko darit ja zvanija krapnieki"],
  ["kak deklarirovat mesto zhitelstva", "ka deklaret dzivesvietu"],
  ["gde besplatnyj internet v biblioteke", "kur bezmaksas internets biblioteka"],
  ["kogda nado platit nalog na nedvizhimost", "kad jamaksa nekustama ipasuma nodoklis"],
  ["kak vojti v latvija.gov.lv", "ka ieiet latvija.gov.lv"],
  ["kak podpisat dokument eParaksts", "ka parakstit dokumentu ar eParakstu"],
  ["ja ne mogu najti recept", "es nevaru atrast receptes"],
  ["kursy dlja vzroslyh", "kursi pieaugusajiem"],
  ["skolko stoit kurs", "cik maksa kurss"],
  ["kak poluchit smart-id", "ka dabut smart-id"],
  ["pochemu ne prihodit schet na pochtu", "kapec nenak rekins uz epastu"],
  ["mozhno li prijti bez zapisi", "vai var atnakt bez pieraksta"],
  ["gde posmotret ochered v sadik", "kur redzet rindu uz darzinu"],
  ["kak napisat zajavlenie v dumu", "ka uzrakstit iesniegumu domei"],
  ["u menja net kompjutera", "man nav datora"],
  ["kuda zvonit esli ukrali dengi", "kur zvanit ja nozaga naudu"],
  ["kak vernut nalog za lechenie", "ka atgut nodokli par arstesanos"],
  ["zdravstvujte, kak podkljuchit e-schet", "labdien, ka pieslegt e-rekinu"],
  ["gde rabotaet mobilnyj klass", "kur strada mobila klase"],
  ["hochu pogovorit s chelovekom", "gribu runat ar cilveku"],
  ["kakie dokumenty nuzhny", "kadi dokumenti vajadzigi"],
  ["ja pensionerka, mne trudno", "esmu pensionare, man ir gruti"],
  ["kak smenit semejnogo vracha", "ka mainit gimenes arstu"],
  ["v kakie dni cifrovaja sreda", "kuras dienas ir digitala tresdiena"],
  ["kak uznat summu naloga", "ka uzzinat nodokla summu"],
  ["chto takoe e-adrese", "kas ir e-adrese"],
  ["ne prihodit kod sms", "nenak sms kods"],
  ["kak zaplatit za vodu", "ka samaksat par udeni"],
  ["gde moja deklaracija", "kur ir mana deklaracija"],
  ["pomogite pozhalujsta s kompjuterom", "palidziet ludzu ar datoru"],
  ["spasibo bolshoe", "liels paldies"],
];

describe("language detection: Latin-typed Russian vs Latvian without diacritics", () => {
  it("has at least 40 pairs", () => {
    expect(PAIRS.length).toBeGreaterThanOrEqual(40);
  });
  it.each(PAIRS)("%s is Russian, %s is Latvian", (ru, lv) => {
    const r = detectLanguage(ru, vocab);
    expect(r.lang).toBe("ru");
    expect(r.translit === true || /\p{Script=Cyrillic}/u.test(ru)).toBe(true);
    expect(detectLanguage(lv, vocab).lang).toBe("lv");
  });
  it("keeps English English and Cyrillic Russian Russian", () => {
    expect(detectLanguage("how can I pay the property tax", vocab).lang).toBe("en");
    expect(detectLanguage("Как оплатить налог?", vocab)).toMatchObject({ lang: "ru" });
    expect(detectLanguage("Как оплатить налог?", vocab).translit).toBeUndefined();
  });
});
