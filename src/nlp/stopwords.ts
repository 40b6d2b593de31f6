/**
 * Function words that carry no topic, per language, in folded form. They are dropped from
 * queries and documents so that "kā", "как", "how" never decide which guide answers.
 * @module
 */
import type { Lang } from "../core/types.js";
import { fold } from "./normalize.js";

const LV = `a ak ar arī bet bez bija bijis būs būt caur citu dēļ gan gar ir iz jā jau jeb jo jūs jums jūsu
  ka kā kad kam kāpēc kas kāda kādā kādas kādi kādu kāds ko kopš kur kura kurā kuras kurš kuru lai līdz
  man mani manu mans manā mēs mums mūsu nav ne nekā no nu pa par pat pie pirms pret priekš sev tā tad
  tai tas te tev tik tiek tiem to tu tur un uz vai var varu varam varat vien viņa viņš vēl vēlos gribu
  gribētu lūdzu labdien sveiki paldies šis šī šo šodien tagad es esmu ja jāmaksā cik kādēļ
  vajag vajadzētu nepieciešams kurš kura jādara darīt`;
const RU = `а без более бы был была были было быть в вам вас весь во вот все всё всего вы где да даже для до
  его ее её если есть еще ещё же за здесь и из или им их к как какой какая какие каком ко когда кто ли
  либо мне может можно мой моя мы на над надо нам нас не него нее неё нет ни них но ну о об однако он она
  они оно от очень по под при с со так также такой там те тем то того тоже только том ты у уже хотя чего
  чей чем что чтобы чье чья эта эти это я мой мне меня хочу хотел хотела пожалуйста здравствуйте
  могу можете можешь могут мог могла
  привет спасибо сегодня сейчас нужно нужен нужна делать сделать куда зачем почему сколько`;
const EN 
  = `a about all am an and any are as at be been but by can could did do does doing for from had has have
  he her here him his how i if in into is it its just me more my no not of on once only or our out own
  please should so some such than that the their them then there these they this those to too under up
  very was we were what when where which while who whom why will with would you your yours hello hi
  thanks thank want need get got today now`;

function set(words: string): ReadonlySet<string> {
  return new Set(
    words
      .split(/\s+/)
      .filter(Boolean)
      .map(fold),
  );
}

/** Stopwords per language, folded the same way as query text. */
export const STOPWORDS: Readonly<Record<Lang, ReadonlySet<string>>> = {
  lv: set(LV),
  ru: set(RU),
  en: set(EN),
};
