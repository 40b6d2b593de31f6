/**
 * The console's fixed words: parishes, languages, channels, statuses, roles and the error texts
 * for the API's error codes (docs/staff-api.md).
 */
import { str } from "./dom.js";

export const PARISHES = {
  cenu: "Cenu pagasts",
  elejas: "Elejas pagasts",
  gludas: "Glūdas pagasts",
  jaunsvirlaukas: "Jaunsvirlaukas pagasts",
  kalnciema: "Kalnciema pagasts",
  lielplatones: "Lielplatones pagasts",
  livberzes: "Līvbērzes pagasts",
  ozolnieku: "Ozolnieku pagasts",
  platones: "Platones pagasts",
  salgales: "Salgales pagasts",
  sesavas: "Sesavas pagasts",
  svetes: "Svētes pagasts",
  valgundes: "Valgundes pagasts",
  vilces: "Vilces pagasts",
  vircavas: "Vircavas pagasts",
  zalenieku: "Zaļenieku pagasts",
};
export const LANG_ORDER = ["lv", "ru", "en"];
export const LANG_NAMES = { lv: "latviešu", ru: "krievu", en: "angļu" };
export const LANG_SHORT = { lv: "LV", ru: "RU", en: "EN" };
export const LANG_ADVERB = { lv: "latviski", ru: "krieviski", en: "angliski" };
export const CHANNELS = { web: "tīmekļa čatā", telegram: "Telegram" };
export const CHANNEL_NAMES = { web: "Tīmekļa čats", telegram: "Telegram" };
export const CONTACT_NAMES = { chat: "Atbildēt rakstiski", phone: "Atzvanīt pa tālruni" };
export const STATUS_NAMES = { waiting: "Gaida", assigned: "Pieņemts", closed: "Slēgts" };
export const ROLE_NAMES = { agent: "", editor: "satura redaktors", admin: "administrators" };
/** Roles as nouns (the accounts page). */
export const ROLE_TITLES = { agent: "Darbinieks", editor: "Satura redaktors", admin: "Administrators" };

export const ERRORS = {
  invalid_credentials: "Nepareizs lietotājvārds vai parole. Pārbaudiet un mēģiniet vēlreiz.",
  too_many_attempts: "Pārāk daudz neveiksmīgu mēģinājumu. Lūdzu, pagaidiet 15 minūtes un mēģiniet vēlreiz.",
  already_claimed: "Šo pieteikumu jau pieņēma cits darbinieks.",
  not_yours: "Šo pieteikumu pieņēma cits darbinieks. Atbildēt, nodot vai slēgt to var tikai tas, kas to pieņēma.",
  closed: "Šis pieteikums jau ir slēgts.",
  forbidden: "Jums nav tiesību to darīt ar šo pieteikumu.",
  not_found: "Pieteikums nav atrasts. Iespējams, tas jau nodots citam centram.",
  unknown_centre: "Šāds centrs nav atrasts. Izvēlieties centru no saraksta.",
  bad_request: "Serveris nepieņēma šo tekstu. Pārbaudiet, vai tas nav tukšs vai pārāk garš.",
  csrf_failed: "Drošības pārbaude neizdevās. Lūdzu, pārlādējiet lapu un mēģiniet vēlreiz.",
  unauthorized: "Jūsu sesija ir beigusies. Lūdzu, ienāciet vēlreiz.",
  network: "Nav savienojuma ar serveri. Pārbaudiet interneta savienojumu un mēģiniet vēlreiz.",
  server: "Kaut kas nogāja greizi serverī. Lūdzu, mēģiniet vēlreiz pēc brīža.",
};

export const parishName = (id) => (id ? PARISHES[id] || id : "Pagasts nav zināms");
export const langName = (lang) => LANG_NAMES[lang] || str(lang);
export const channelName = (channel) => CHANNEL_NAMES[channel] || str(channel);
