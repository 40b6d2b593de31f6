/**
 * Whether a client service centre is open now, when it opens next, and how to say so to a
 * resident. Pure: the clock, the opening hours and the holidays are passed in. All times are
 * wall-clock times in Latvia (Europe/Riga, with its summer time).
 * @module
 */
import type { Holiday, HolidayName } from "../knowledge/holidays.js";
import type { Lang } from "./types.js";

/** The time zone of every opening hour. */
export const TIME_ZONE = "Europe/Riga";

/** How far ahead {@link openingStatus} looks for the next opening, in days. */
export const LOOKAHEAD_DAYS = 14;

/** The municipality's information line, used when the hours are not confirmed. */
export const INFORMATION_LINE = "63022238";

/** One opening interval: ["HH:MM", "HH:MM"], open from the first time up to (not including) the second. */
export type Interval = readonly [string, string];

/**
 * A centre's weekly opening hours, as parsed from centres.yaml (`Centre["hours"]` fits).
 * A day without intervals (or without the key, for sat/sun) is closed.
 */
export interface WeeklyHours {
  /** Whether an official source confirmed the hours. */
  readonly confirmed: boolean;
  readonly mon: readonly Interval[];
  readonly tue: readonly Interval[];
  readonly wed: readonly Interval[];
  readonly thu: readonly Interval[];
  readonly fri: readonly Interval[];
  readonly sat?: readonly Interval[];
  readonly sun?: readonly Interval[];
}

/** What {@link openingStatus} needs from the holidays (`Holidays` from knowledge/holidays fits). */
export interface HolidayLookup {
  /** The holiday on a YYYY-MM-DD date, or undefined. */
  holiday(date: string): Holiday | undefined;
}

/** A moment as read on a clock in Latvia. */
export interface LocalTime {
  /** YYYY-MM-DD. */
  readonly date: string;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** HH:MM. */
  readonly time: string;
}

/** The next time a centre opens. */
export interface NextOpening {
  /** YYYY-MM-DD, in Latvia. */
  readonly date: string;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** HH:MM, in Latvia. */
  readonly time: string;
}

/** What every opening status knows from the calendar alone (weekends and public holidays are facts). */
interface CalendarDay {
  /** The moment the status is for, on a clock in Latvia. */
  readonly now: LocalTime;
  /** Whether today is a Saturday or a Sunday in Latvia. */
  readonly weekend: boolean;
  /** When today is a public holiday: its Latvian name. */
  readonly holiday?: string;
  /** When today is a public holiday: its names in every language given. */
  readonly holidayName?: HolidayName;
}

/** A centre whose hours an official source confirmed: whether it is open now, and what follows. */
export interface KnownOpening extends CalendarDay {
  readonly confirmed: true;
  readonly open: boolean;
  /** When open: the end of the current opening interval (HH:MM). */
  readonly closesAt?: string;
  /** When closed: the next opening within {@link LOOKAHEAD_DAYS} days, skipping holidays and closed days. */
  readonly nextOpening?: NextOpening;
}

/**
 * A centre whose hours nobody confirmed: only the calendar is known. Unconfirmed hours are never
 * turned into "open now", "closes at" or "opens at" (issue 11).
 */
export interface UnknownOpening extends CalendarDay {
  readonly confirmed: false;
}

/** Whether a centre is open at a moment, as far as anyone can honestly tell. */
export type OpeningStatus = KnownOpening | UnknownOpening;

/**
 * Whether someone who answers a centre's requests is reachable now, as the app tracks it (an agent
 * of the centre connected to the console or acting in the console or Slack in the last minutes).
 * The core receives it as data; `staff/presence.ts` produces it.
 */
export interface StaffPresence {
  /** At least one member of staff of the centre is online now. */
  readonly online: boolean;
}

const DAY_KEYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

const rigaClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function toMinutes(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function toTime(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/** The date, weekday and time that a clock in Latvia shows at `at`. */
export function localTime(at: Date): LocalTime {
  const parts = Object.fromEntries(rigaClock.formatToParts(at).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, weekday: weekdayOf(date), time: `${parts.hour}:${parts.minute}` };
}

/** A day's intervals in minutes, sorted, with overlapping or touching ones merged and invalid ones dropped. */
function dayIntervals(hours: WeeklyHours, weekday: number): [number, number][] {
  const raw = hours[DAY_KEYS[weekday] ?? "sun"] ?? [];
  const spans = raw.map(([a, b]) => [toMinutes(a), toMinutes(b)] as [number, number]).filter(([a, b]) => a < b);
  spans.sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([...span]);
  }
  return merged;
}

/**
 * Whether a centre with `hours` is open at `at` (any Date; read on a clock in Latvia), closing
 * on public holidays. When closed, finds the next opening up to {@link LOOKAHEAD_DAYS} days ahead.
 * Hours that are missing or not confirmed give an {@link UnknownOpening}: the calendar only.
 */
export function openingStatus(hours: WeeklyHours | undefined, holidays: HolidayLookup, at: Date): OpeningStatus {
  const now = localTime(at);
  const today = holidays.holiday(now.date);
  const calendar: CalendarDay = {
    now, weekend: now.weekday === 0 || now.weekday === 6,
    ...(today ? { holiday: today.name.lv, holidayName: today.name } : {}),
  };
  if (!hours?.confirmed) return { ...calendar, confirmed: false };
  const base = { ...calendar, confirmed: true as const };
  if (!today) {
    const minute = toMinutes(now.time);
    const spans = dayIntervals(hours, now.weekday);
    const current = spans.find(([a, b]) => a <= minute && minute < b);
    if (current) return { ...base, open: true, closesAt: toTime(current[1]) };
    const later = spans.find(([a]) => a > minute);
    if (later) return { ...base, open: false, nextOpening: { date: now.date, weekday: now.weekday, time: toTime(later[0]) } };
  }
  for (let ahead = 1; ahead <= LOOKAHEAD_DAYS; ahead++) {
    const date = addDays(now.date, ahead);
    if (holidays.holiday(date)) continue;
    const weekday = weekdayOf(date);
    const first = dayIntervals(hours, weekday)[0];
    if (first) return { ...base, open: false, nextOpening: { date, weekday, time: toTime(first[0]) } };
  }
  return { ...base, open: false };
}

const LV_WEEKDAYS = ["svētdien", "pirmdien", "otrdien", "trešdien", "ceturtdien", "piektdien", "sestdien"];
const LV_MONTHS_LOC = ["janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā", "augustā", "septembrī", "oktobrī", "novembrī", "decembrī"];
const RU_WEEKDAYS = ["в воскресенье", "в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "в субботу"];
const RU_MONTHS_GEN = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];
const EN_WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function dayAndMonth(date: string): { day: number; month: number } {
  return { day: Number(date.slice(8, 10)), month: Number(date.slice(5, 7)) - 1 };
}

/** "pirmdien, 28. decembrī," / "в понедельник, 28 декабря," / "Monday 28 December" */
function longDay(next: NextOpening, lang: Lang): string {
  const { day, month } = dayAndMonth(next.date);
  if (lang === "lv") return `${LV_WEEKDAYS[next.weekday]}, ${day}. ${LV_MONTHS_LOC[month]},`;
  if (lang === "ru") return `${RU_WEEKDAYS[next.weekday]}, ${day} ${RU_MONTHS_GEN[month]},`;
  return `${EN_WEEKDAYS[next.weekday]} ${day} ${EN_MONTHS[month]}`;
}

/** When the centre opens next, in a full sentence part: "šodien no 12:30", "on Monday 28 December at 08:30". */
function whenLong(next: NextOpening, now: LocalTime, lang: Lang): string {
  const ahead = daysBetween(now.date, next.date);
  if (lang === "lv") {
    if (ahead === 0) return `šodien no ${next.time}`;
    if (ahead === 1) return `rīt, ${longDay(next, lang)} no ${next.time}`;
    return `${longDay(next, lang)} no ${next.time}`;
  }
  if (lang === "ru") {
    if (ahead === 0) return `сегодня в ${next.time}`;
    if (ahead === 1) return `завтра, ${longDay(next, lang)} в ${next.time}`;
    return `${longDay(next, lang)} в ${next.time}`;
  }
  if (ahead === 0) return `today at ${next.time}`;
  if (ahead === 1) return `tomorrow (${longDay(next, lang)}) at ${next.time}`;
  return `on ${longDay(next, lang)} at ${next.time}`;
}

/** When the centre opens next, short: "pirmdien no 08:30", "(on Monday from 08:30)"; the date only beyond a week. */
function whenShort(next: NextOpening, now: LocalTime, lang: Lang): string {
  const ahead = daysBetween(now.date, next.date);
  const withinWeek = ahead < 7;
  if (lang === "lv") {
    if (ahead === 0) return `šodien no ${next.time}`;
    if (ahead === 1) return `rīt no ${next.time}`;
    return withinWeek ? `${LV_WEEKDAYS[next.weekday]} no ${next.time}` : `${longDay(next, lang)} no ${next.time}`;
  }
  if (lang === "ru") {
    if (ahead === 0) return `сегодня с ${next.time}`;
    if (ahead === 1) return `завтра с ${next.time}`;
    return withinWeek ? `${RU_WEEKDAYS[next.weekday]} с ${next.time}` : `${longDay(next, lang)} с ${next.time}`;
  }
  if (ahead === 0) return `today from ${next.time}`;
  if (ahead === 1) return `tomorrow from ${next.time}`;
  return withinWeek ? `on ${EN_WEEKDAYS[next.weekday]} from ${next.time}` : `on ${longDay(next, lang)} from ${next.time}`;
}

/** The holiday's name in `lang`, or a generic word when no name in that language is given. */
function holidayLabel(status: OpeningStatus, lang: Lang): string | undefined {
  if (!status.holiday && !status.holidayName) return undefined;
  const names = status.holidayName;
  if (lang === "lv") return names?.lv ?? status.holiday;
  if (lang === "ru") return names?.ru ?? "праздничный день";
  return names?.en ?? "public holiday";
}

/** Options for {@link describeOpening} and {@link waitingNotice}. */
export interface DescribeOptions {
  /** The phone number to call when the hours are not confirmed. @default INFORMATION_LINE */
  readonly informationLine?: string;
}

/**
 * A short, polite sentence or two for residents. Confirmed hours: open until when, or closed (and
 * why, on a holiday) and when it opens again. Unconfirmed hours: no time of day at all, only that
 * the hours are not confirmed and that the information line can tell them.
 */
export function describeOpening(status: OpeningStatus, lang: Lang, options: DescribeOptions = {}): string {
  const phone = options.informationLine ?? INFORMATION_LINE;
  if (!status.confirmed) {
    if (lang === "lv") return `Klientu centra darba laiks nav apstiprināts. To var uzzināt pa pašvaldības informatīvo tālruni ${phone}.`;
    if (lang === "ru") return `Часы работы центра обслуживания клиентов не подтверждены. Узнать их можно по информационному телефону самоуправления ${phone}.`;
    return `The client service centre's opening hours are not confirmed. You can ask for them on the municipality's information line ${phone}.`;
  }
  const label = holidayLabel(status, lang);
  const next = status.nextOpening;
  const parts: string[] = [];
  if (lang === "lv") {
    if (status.open) parts.push(`Klientu centrs šobrīd ir atvērts līdz ${status.closesAt}.`);
    else parts.push(`Klientu centrs šobrīd ir slēgts${label ? ` (${label})` : ""}.`);
    if (!status.open && next) parts.push(`Tas atkal strādās ${whenLong(next, status.now, lang)}.`);
    if (!status.open && !next) parts.push("Darba laiks tuvākajām divām nedēļām nav zināms.", `Lūdzu, zvaniet pa informatīvo tālruni ${phone}.`);
  } else if (lang === "ru") {
    if (status.open) parts.push(`Центр обслуживания клиентов сейчас открыт до ${status.closesAt}.`);
    else parts.push(`Центр обслуживания клиентов сейчас закрыт${label ? ` (${label})` : ""}.`);
    if (!status.open && next) parts.push(`Он снова откроется ${whenLong(next, status.now, lang)}.`);
    if (!status.open && !next) parts.push("Часы работы на ближайшие две недели неизвестны.", `Пожалуйста, позвоните по информационному телефону ${phone}.`);
  } else {
    if (status.open) parts.push(`The client service centre is open now until ${status.closesAt}.`);
    else parts.push(`The client service centre is closed now${label ? ` (${label})` : ""}.`);
    if (!status.open && next) parts.push(`It will open again ${whenLong(next, status.now, lang)}.`);
    if (!status.open && !next) parts.push("No opening hours are known for the next two weeks.", `Please call the information line ${phone}.`);
  }
  return parts.join(" ");
}

const LV_DAY_NAMES = ["svētdiena", "pirmdiena", "otrdiena", "trešdiena", "ceturtdiena", "piektdiena", "sestdiena"];
const RU_DAY_NAMES = ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"];

/**
 * From the calendar alone: on a public holiday or at the weekend, that staff usually answer on
 * working days; `undefined` on a working day.
 */
export function calendarNote(status: OpeningStatus, lang: Lang): string | undefined {
  const label = holidayLabel(status, lang);
  const day = status.now.weekday;
  if (lang === "lv") {
    if (label) return `Šodien ir svētku diena (${label}). Darbinieki parasti atbild darba dienās.`;
    return status.weekend ? `Šodien ir ${LV_DAY_NAMES[day]}. Darbinieki parasti atbild darba dienās.` : undefined;
  }
  if (lang === "ru") {
    if (label) return `Сегодня праздничный день (${label}). Сотрудники обычно отвечают в рабочие дни.`;
    return status.weekend ? `Сегодня ${RU_DAY_NAMES[day]}. Сотрудники обычно отвечают в рабочие дни.` : undefined;
  }
  if (label) return `Today is a public holiday (${label}). Staff usually answer on working days.`;
  return status.weekend ? `Today is ${EN_WEEKDAYS[day]}. Staff usually answer on working days.` : undefined;
}

/**
 * Whether a member of the centre's staff is online now. `after` words it as a contrast to a
 * calendar note ("but someone is online now").
 */
export function presenceNote(presence: StaffPresence, lang: Lang, after = false): string {
  if (lang === "lv") {
    if (presence.online) return after ? "Tomēr šobrīd tiešsaistē ir kāds no centra darbiniekiem." : "Šobrīd tiešsaistē ir kāds no centra darbiniekiem.";
    return "Šobrīd neviens centra darbinieks nav tiešsaistē. Darbinieks atbildēs, tiklīdz varēs.";
  }
  if (lang === "ru") {
    if (presence.online) return after ? "Но сейчас на связи есть сотрудник центра." : "Сейчас на связи есть сотрудник центра.";
    return "Сейчас никого из сотрудников центра нет на связи. Сотрудник ответит, как только сможет.";
  }
  if (presence.online) return after ? "But a member of the centre's staff is online now." : "A member of the centre's staff is online now.";
  return "No member of the centre's staff is online right now. Someone will answer as soon as they can.";
}

/**
 * What a resident is told about when to expect a person, after asking for one. Confirmed hours:
 * open or closed and when staff will answer ({@link describeOpening}, {@link expectedAnswer}), and
 * that someone is online when they are. Unconfirmed hours promise no time of day: the calendar
 * ({@link calendarNote}), whether someone is online ({@link presenceNote}; left out when presence
 * is not tracked) and the information line.
 */
export function waitingNotice(status: OpeningStatus, presence: StaffPresence | undefined, lang: Lang, options: DescribeOptions = {}): string {
  if (status.confirmed) {
    const parts = [describeOpening(status, lang, options), expectedAnswer(status, lang)];
    if (presence?.online) parts.push(presenceNote(presence, lang, !status.open));
    return parts.join(" ");
  }
  const calendar = calendarNote(status, lang);
  const parts = [
    ...(calendar ? [calendar] : []),
    ...(presence ? [presenceNote(presence, lang, calendar !== undefined)] : []),
    describeOpening(status, lang, options),
  ];
  return parts.join(" ");
}

/**
 * When a resident can expect a staff member's answer, from confirmed hours: during working hours
 * when the centre is open, otherwise when it opens again. Never promises a specific response time.
 */
export function expectedAnswer(status: KnownOpening, lang: Lang): string {
  const next = status.nextOpening;
  if (lang === "lv") {
    if (status.open) return "Darbinieks atbildēs darba laikā, parasti tajā pašā dienā.";
    return next ? `Darbinieks atbildēs, kad centrs atkal būs atvērts (${whenShort(next, status.now, lang)}).` : "Darbinieks atbildēs, kad centrs atkal būs atvērts.";
  }
  if (lang === "ru") {
    if (status.open) return "Сотрудник ответит в рабочее время, обычно в тот же день.";
    return next ? `Сотрудник ответит, когда центр снова откроется (${whenShort(next, status.now, lang)}).` : "Сотрудник ответит, когда центр снова откроется.";
  }
  if (status.open) return "A member of staff will reply during working hours, usually the same day.";
  return next ? `A member of staff will reply when the centre opens again (${whenShort(next, status.now, lang)}).` : "A member of staff will reply when the centre opens again.";
}
