/**
 * Common everyday Latvian words (folded: no diacritics, lower case) that residents use when
 * they ask for help but that the guides may not contain in that form: first-person verbs
 * ("nevaru", "gribu", "nezinu"), what goes wrong ("kļūdu", "neatveras"), family and daily
 * life. They are evidence that a message written without diacritics is Latvian, not Russian
 * typed in Latin letters ("nevaru ieiet, rāda kļūdu"). A general word list — not phrasings of
 * any particular question.
 * @module
 */

const WORDS = `
varu nevaru var nevar varetu nevaretu gribu negribu gribetu gribam velos vajag nevajag vajadzetu vajadzes
zinu nezinu zinat nezinat saprotu nesaprotu saprast redzu neredzu redzet atrodu neatrodu atrast varat
ieiet ieeju ieietu iziet ienakt ienaku atvert atveras neatveras atvera aizveras stradat strada nestrada stradaju
rada neradas radija raksta rakstit rakstu lasit lasu izlasit nospiest nospiedu ievadit ievadiju
kluda kludu kludas kludains kluda nesanak sanak izdodas neizdodas notiek nenotiek paradas paradijas
darit izdarit daru daram jadara izdarit samaksat maksat maksaju samaksaju nomaksat sanemt sanemu sanemu
iesniegt iesniedzu pieteikties piesakos pieteicos mainit nomainit mainiju apskatit paskatities uzzinat
palidzet palidziet palidziba palidz ludzu paldies sveiki labdien
maja majas maja majam dzivoju dzivo dzivojam dzivot pieraksts pierakstits pierakstities
gads gadi gadus gadiem vecs veca vecais vecums pensionars pensionare pensija pensiju
meita dels mazmeita mazdels mamma mamma tetis sieva virs berns berni bernu kaimins kaimini draugs drauga
telefons telefona telefonu dators datora datoru planšete plansete plansetes internets interneta internetu
lapa lapu lapa parole paroli kods kodu vestule vestuli rekins rekinu rekini nauda naudu eiro
sodien rit vakar tagad velak atkal joprojam jau vel tikai arī ari nekas neko viss visu
laba labi slikti gruti viegli atri ilgi jauns jauna vecs
pagasts pagasta pagasta parvalde parvaldi novads novada pilseta pilsetas birojs biroja
`;

/** The words, folded. */
export const LATVIAN_WORDS: ReadonlySet<string> = new Set(
  WORDS.split(/\s+/).filter(Boolean).map((w) => w.normalize("NFD").replace(/\p{M}+/gu, "").replace(/š/g, "s")),
);
