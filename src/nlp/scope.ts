/**
 * Questions the bot has no guide for although they share a word with one: a supermarket's or a
 * private bank's opening hours ("strādā" is also asked of the client service centres), the
 * exchange rate ("kurss" is also a course), the weather ("laiks" is also time), a cooking
 * recipe ("recepte" is also a prescription in e-veselība), changing car tyres. Retrieval alone
 * finds a guide for the shared word; these topics get the honest "I don't know this yet" with
 * the main topics and a person instead.
 *
 * Each topic is a pattern over folded text (no diacritics, lower case; Russian in Cyrillic, so
 * Latin-typed Russian is read after its conversion), written as the topic's own vocabulary, not
 * as any particular question. A message that also names a service we do have a guide for (an
 * e-invoice from the bank, an e-prescription) stays in scope.
 * @module
 */
import { fold } from "./normalize.js";

/** Word boundaries that work for Cyrillic too. */
const B = String.raw`(?<![\p{L}\p{N}-])`;
const E = String.raw`(?![\p{L}\p{N}])`;

/** Out-of-scope topics, each a list of alternatives (folded text). */
const TOPICS: Readonly<Record<string, readonly string[]>> = {
  weather: [
    // "kāds [šodien] laiks", "laiks būs rīt" — but not "darba laiks", "pieņemšanas laiks".
    String.raw`${B}kad(?:s|u|a)(?:\s+\p{L}+){0,2}?\s+(?<!darba |pienemsanas |gaidisanas |apmeklejuma |atversanas |konsultaciju |nodarbibu )laik(?:s|u)${E}(?!\s+(?:jagaida|vajag|vajadzes|ilgs|aiznem))`,
    String.raw`${B}laik(?:s|a|u)\s+(?:bus|būs)\s+(?:rit|parit|nedelas nogale)${E}`,
    String.raw`${B}(?:laikapstakl|laika prognoz|sinoptik)\p{L}*`, String.raw`${B}(?:погод|прогноз погод|синоптик)\p{L}*`,
    String.raw`${B}(?:weather|forecast)${E}`,
  ],
  currency: [
    String.raw`${B}(?:valut\p{L}*|eiro|euro|dolar\p{L}*|dollar\p{L}*)\s+kurs\p{L}*`, String.raw`${B}kurs\p{L}*\s+(?:eiro|euro|dolar\p{L}*|valut\p{L}*)`,
    String.raw`${B}курс\p{L}*\s+(?:евро|доллар\p{L}*|валют\p{L}*|рубл\p{L}*)`, String.raw`${B}(?:обмен\p{L}* валют|курсы валют)`,
    String.raw`${B}(?:exchange rate|currency rate)`, String.raw`${B}(?:apmain\p{L}*|обменя\p{L}*|exchange)\s+(?:eiro|euro|dolar\p{L}*|dollar\p{L}*|валют\p{L}*|доллар\p{L}*|naudu)`,
  ],
  shops: [
    String.raw`${B}(?:maxima|maximas|maximā|rimi|lidl|elvi|mego|citro|aibe|spar|depo|k-rauta|circle k|neste|viada|virsi)${E}`,
    // A shop's hours or goods: "kad strādā veikals", "где купить … в магазине" (not "strādāju veikalā").
    String.raw`${B}(?:lielveikal|veikal|супермаркет|магазин|supermarket|grocery|shop)\p{L}*(?:\s+\p{L}+){0,4}?\s+(?:darba laik\p{L}*|strada|atverts|slegts|nopirkt|cena|работает|открыт|закрыт|купить|цена|open|opening hours|closed|buy|price)${E}`,
    String.raw`${B}(?:darba laik\p{L}*|strada|atverts|slegts|nopirkt|nopirkt|pirkt|работает|открыт|закрыт|купить|open|closed|buy)(?:\s+\p{L}+){0,4}?\s+(?:lielveikal|veikal|супермаркет|магазин|supermarket|grocery|shop)\p{L}*`,
  ],
  bank: [
    // A bank's own opening hours, branches and fees (not e-invoices, codes or internet banking).
    String.raw`${B}(?:bank(?:a|as|u|ai|a)?|swedbank\p{L}*|seb|citadele\p{L}*|luminor\p{L}*|банк(?:а|е|у|и|ов)?)${E}(?:\s+\p{L}+){0,5}?\s+(?:darba laik\p{L}*|stradā|strada|atverta|atvērta|filial\p{L}*|komisij\p{L}*|maks(?:a|u) par kont\p{L}*|работает|часы работы|отделени\p{L}*|комисси\p{L}*|open|opening hours|branch\p{L}*|fees?)${E}`,
    String.raw`${B}(?:darba laik\p{L}*|filial\p{L}*|komisij\p{L}*|часы работы|отделени\p{L}*|комисси\p{L}*|opening hours|branch\p{L}*|fees?)(?:\s+\p{L}+){0,3}?\s+(?:bank\p{L}*|swedbank\p{L}*|seb|citadele\p{L}*|luminor\p{L}*|банк\p{L}*)${E}`,
    String.raw`${B}(?:bankomat\p{L}*|банкомат\p{L}*|atm|cash machine)${E}`,
  ],
  cooking: [
    String.raw`${B}(?:recept\p{L}*|рецепт\p{L}*|recipe\p{L}*)(?:\s+\p{L}+){0,4}?\s+(?:pagatavo\p{L}*|cep\p{L}*|vari\p{L}*|zup\p{L}*|kuk\p{L}*|tort\p{L}*|pankuk\p{L}*|sklandraus\p{L}*|salat\p{L}*|borsc\p{L}*|sacepum\p{L}*|приготов\p{L}*|испеч\p{L}*|вари\p{L}*|суп\p{L}*|борщ\p{L}*|торт\p{L}*|пирог\p{L}*|блин\p{L}*|салат\p{L}*|cook\p{L}*|bake\p{L}*|soup|cake|pancake\p{L}*)`,
    String.raw`${B}(?:pagatavo\p{L}*|kā cept|ka cept|приготовить|cook|bake)(?:\s+\p{L}+){0,3}?\s+(?:recept\p{L}*|рецепт\p{L}*|recipe\p{L}*|zup\p{L}*|kuk\p{L}*|tort\p{L}*|суп\p{L}*|торт\p{L}*|пирог\p{L}*|soup|cake)`,
  ],
  documents: [
    // A new passport or driving licence (PMLP, CSDD): not the eID card or e-services of the guides.
    String.raw`${B}(?:jaun\p{L}*|izgatavot|nomainit|atjaunot|taisit|pasutit|sanemt)\s+(?:\p{L}+\s+)?pas(?:e|i)${E}`, String.raw`${B}pase(?:i|s)?\s+(?:\p{L}+\s+)?(?:beidz\p{L}*|beigs\p{L}*|nederig\p{L}*|termin\p{L}*)`,
    String.raw`${B}(?:нов\p{L}*|заграничн\p{L}*)\s+паспорт\p{L}*`, String.raw`${B}паспорт\p{L}*\s+(?:\p{L}+\s+)?(?:истека\p{L}*|законч\p{L}*|просроч\p{L}*)`,
    String.raw`${B}(?:сделать|поменять|заменить|продлить|получить)\s+(?:\p{L}+\s+)?паспорт${E}`,
    String.raw`${B}(?:new|renew\p{L}*|replace)\s+(?:my\s+|a\s+)?passport`, String.raw`${B}passport\s+(?:expir\p{L}*|renewal)`,
    String.raw`${B}(?:autovaditaja apliecib\p{L}*|vaditaja apliecib\p{L}*|водительск\p{L}*\s+(?:прав\p{L}*|удостоверени\p{L}*)|driving licen[cs]e|driver'?s licen[cs]e)`,
  ],
  car: [
    String.raw`${B}(?:riep\p{L}*|vasaras riep|ziemas riep|шин(?:ы|у|а)?|резин\p{L}*|tyres?|tires)${E}`,
    String.raw`${B}(?:autoserviss|autoservis\p{L}*|автосервис\p{L}*|шиномонтаж\p{L}*|car service|car wash|mazgatav\p{L}*)`,
  ],
};

/** Services we have guides for; a message naming one stays in scope ("e-rēķins no bankas"). */
const IN_SCOPE = new RegExp(
  [
    String.raw`${B}e-?(?:rekin|recept|veselib|adres|paraksts|pakalpojum)\p{L}*`, String.raw`${B}(?:internetbank\p{L}*|smart-?id|eparaksts|latvija\.?lv|vid|eds|nin|deklar\p{L}*|pabalst\p{L}*|vpvkac|kod\p{L}*|pin)${E}`,
    String.raw`${B}(?:eid|id kart\p{L}*|id-kart\p{L}*|ид-карт\p{L}*|id card|интернет-?банк\p{L}*|смарт-?ид|е-?счет\p{L}*|декларац\p{L}*|пособи\p{L}*|код\p{L}*|пин)${E}`,
    String.raw`${B}(?:e-?invoice\p{L}*|online bank\p{L}*|prescription\p{L}*|allowance|benefit\p{L}*|declar\p{L}*)`,
    // Paying a tax or a bill through the bank is in scope.
    String.raw`${B}(?:nodok\p{L}*|rekin\p{L}*|komunal\p{L}*|налог\p{L}*|сч[её]т\p{L}*|коммунал\p{L}*|tax\p{L}*|bill\p{L}*|invoice\p{L}*|utilit\p{L}*)`,
    // Someone asking for a code or money is a scam report, not a question about a bank.
    String.raw`${B}(?:krap\p{L}*|мошен\p{L}*|scam\p{L}*|fraud\p{L}*)`,
  ].join("|"),
  "u",
);

/** "I work at a shop / in a bank": where the resident works, not what they ask about. */
const WORKPLACE = new RegExp(String.raw`${B}(?:stradaju|stradaja|strādāju|работаю|работала|работал|i work(?:ed)? (?:at|in|for))\s+(?:\p{L}+\s+)?\p{L}+`, "gu");

const COMPILED = Object.entries(TOPICS).map(([topic, list]) => [topic, new RegExp(list.join("|"), "u")] as const);

/** Word beginnings at least one of which every topic pattern needs: most messages stop here. */
const TRIGGER = /(?<![\p{L}\p{N}])(?:laik|sodien|rit|parit|sinoptik|погод|синоптик|weather|forecast|kurs|курс|valut|валют|exchange|currency|apmain|обмен|maxima|rimi|lidl|elvi|mego|citro|aibe|spar|depo|k-rauta|circle|neste|viada|virsi|veikal|магазин|супермаркет|market|grocery|shop|bank|swedbank|seb|citadele|luminor|банк|atm|cash|recep|рецеп|recipe|pagatavo|cept|приготов|cook|bake|riep|шин|резин|tyre|tire|servis|сервис|service|wash|mazgatav|pase|pasi|паспорт|passport|apliecib|водительск|vaditaj|licen|driv)/u;

/**
 * The out-of-scope topic a message is about ("weather", "currency", "shops", "bank", "cooking",
 * "car"), or undefined. Give it the text as written and, for Latin-typed Russian, its Cyrillic
 * reading.
 * @example outOfScope("kad strādā Maxima svētdien") // "shops"
 */
export function outOfScope(...texts: readonly string[]): string | undefined {
  const all = texts.map((t) => fold(t).replace(/\s+/g, " "));
  const folded = all.filter((f) => TRIGGER.test(f)).map((f) => f.replace(WORKPLACE, " "));
  if (folded.length === 0) return undefined;
  const topic = COMPILED.find(([, pattern]) => folded.some((f) => pattern.test(f)))?.[0];
  return topic !== undefined && !all.some((f) => IN_SCOPE.test(f)) ? topic : undefined;
}
