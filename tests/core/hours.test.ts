import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { calendarNote, describeOpening, expectedAnswer, localTime, openingStatus, waitingNotice, type KnownOpening, type OpeningStatus, type WeeklyHours } from "../../src/core/hours.js";
import { parseCentres } from "../../src/knowledge/centres.js";
import { createHolidays, parseHolidays } from "../../src/knowledge/holidays.js";
import { ROOT } from "../helpers.js";
import { must } from "../support/must.js";

const HOLIDAYS = must(parseHolidays(readFileSync(path.join(ROOT, "knowledge/holidays.yaml"), "utf8"), "knowledge/holidays.yaml", "2026-11-22").holidays, "the shipped holidays");
const CENTRES = parseCentres(readFileSync(path.join(ROOT, "knowledge/centres.yaml"), "utf8"), "knowledge/centres.yaml").centres;

/** The shipped placeholder week, but confirmed, so that sentences carry no note. */
const HOURS: WeeklyHours = {
  confirmed: true,
  mon: [["08:30", "12:00"], ["12:30", "17:00"]],
  tue: [["08:30", "12:00"], ["12:30", "17:00"]],
  wed: [["08:30", "12:00"], ["12:30", "17:00"]],
  thu: [["08:30", "12:00"], ["12:30", "17:00"]],
  fri: [["08:30", "12:00"], ["12:30", "15:00"]],
};

/** The status from confirmed hours (the tests of unconfirmed hours use {@link openingStatus} directly). */
const status = (iso: string, hours: WeeklyHours = HOURS, holidays = HOLIDAYS): KnownOpening => {
  const s: OpeningStatus = openingStatus(hours, holidays, new Date(iso));
  if (!s.confirmed) throw new Error("expected confirmed hours");
  return s;
};
const all = (iso: string, hours: WeeklyHours = HOURS) => {
  const s = status(iso, hours);
  return { lv: describeOpening(s, "lv"), ru: describeOpening(s, "ru"), en: describeOpening(s, "en") };
};
const answers = (iso: string, hours: WeeklyHours = HOURS) => {
  const s = status(iso, hours);
  return { lv: expectedAnswer(s, "lv"), ru: expectedAnswer(s, "ru"), en: expectedAnswer(s, "en") };
};

describe("openingStatus on ordinary days (winter time, UTC+2)", () => {
  it("is open on a weekday afternoon until the end of the interval", () => {
    // Monday 23 November 2026, 14:00 in Riga.
    expect(status("2026-11-23T14:00:00+02:00")).toEqual({
      open: true, confirmed: true, closesAt: "17:00", weekend: false, now: { date: "2026-11-23", weekday: 1, time: "14:00" },
    });
    expect(all("2026-11-23T14:00:00+02:00")).toEqual({
      lv: "Klientu centrs šobrīd ir atvērts līdz 17:00.",
      ru: "Центр обслуживания клиентов сейчас открыт до 17:00.",
      en: "The client service centre is open now until 17:00.",
    });
    expect(answers("2026-11-23T14:00:00+02:00")).toEqual({
      lv: "Darbinieks atbildēs darba laikā, parasti tajā pašā dienā.",
      ru: "Сотрудник ответит в рабочее время, обычно в тот же день.",
      en: "A member of staff will reply during working hours, usually the same day.",
    });
  });

  it("is closed in the lunch break and opens again the same day", () => {
    const s = status("2026-11-23T12:15:00+02:00");
    expect(s.open).toBe(false);
    expect(s.nextOpening).toEqual({ date: "2026-11-23", weekday: 1, time: "12:30" });
    expect(s.holiday).toBeUndefined();
    expect(all("2026-11-23T12:15:00+02:00")).toEqual({
      lv: "Klientu centrs šobrīd ir slēgts. Tas atkal strādās šodien no 12:30.",
      ru: "Центр обслуживания клиентов сейчас закрыт. Он снова откроется сегодня в 12:30.",
      en: "The client service centre is closed now. It will open again today at 12:30.",
    });
    expect(answers("2026-11-23T12:15:00+02:00")).toEqual({
      lv: "Darbinieks atbildēs, kad centrs atkal būs atvērts (šodien no 12:30).",
      ru: "Сотрудник ответит, когда центр снова откроется (сегодня с 12:30).",
      en: "A member of staff will reply when the centre opens again (today from 12:30).",
    });
  });

  it("opens at the first minute of an interval and closes at its last", () => {
    expect(status("2026-11-23T08:29:59+02:00")).toMatchObject({ open: false, nextOpening: { date: "2026-11-23", time: "08:30" } });
    expect(status("2026-11-23T08:30:00+02:00")).toMatchObject({ open: true, closesAt: "12:00" });
    expect(status("2026-11-23T11:59:59+02:00")).toMatchObject({ open: true, closesAt: "12:00" });
    expect(status("2026-11-23T12:00:00+02:00")).toMatchObject({ open: false, nextOpening: { time: "12:30" } });
    expect(status("2026-11-23T12:30:00+02:00")).toMatchObject({ open: true, closesAt: "17:00" });
    expect(status("2026-11-23T17:00:00+02:00")).toMatchObject({ open: false, nextOpening: { date: "2026-11-24" } });
  });

  it("is closed in the evening and opens tomorrow", () => {
    // Monday 23 November 2026, 18:00.
    expect(status("2026-11-23T18:00:00+02:00").nextOpening).toEqual({ date: "2026-11-24", weekday: 2, time: "08:30" });
    expect(all("2026-11-23T18:00:00+02:00")).toEqual({
      lv: "Klientu centrs šobrīd ir slēgts. Tas atkal strādās rīt, otrdien, 24. novembrī, no 08:30.",
      ru: "Центр обслуживания клиентов сейчас закрыт. Он снова откроется завтра, во вторник, 24 ноября, в 08:30.",
      en: "The client service centre is closed now. It will open again tomorrow (Tuesday 24 November) at 08:30.",
    });
    expect(answers("2026-11-23T18:00:00+02:00")).toEqual({
      lv: "Darbinieks atbildēs, kad centrs atkal būs atvērts (rīt no 08:30).",
      ru: "Сотрудник ответит, когда центр снова откроется (завтра с 08:30).",
      en: "A member of staff will reply when the centre opens again (tomorrow from 08:30).",
    });
  });

  it("uses the date in Riga, not in UTC, after midnight", () => {
    // 22:30 UTC on Monday is 00:30 on Tuesday in Riga.
    const s = status("2026-11-23T22:30:00Z");
    expect(s.now).toEqual({ date: "2026-11-24", weekday: 2, time: "00:30" });
    expect(s.nextOpening).toEqual({ date: "2026-11-24", weekday: 2, time: "08:30" });
    expect(describeOpening(s, "lv")).toBe("Klientu centrs šobrīd ir slēgts. Tas atkal strādās šodien no 08:30.");
  });

  it("is closed after the shorter Friday and at the weekend, and opens on Monday", () => {
    expect(status("2026-11-20T15:30:00+02:00").nextOpening).toEqual({ date: "2026-11-23", weekday: 1, time: "08:30" });
    // Saturday 21 November 2026.
    const s = status("2026-11-21T11:00:00+02:00");
    expect(s).toMatchObject({ open: false, nextOpening: { date: "2026-11-23", weekday: 1, time: "08:30" } });
    expect(s.holiday).toBeUndefined();
    expect(all("2026-11-21T11:00:00+02:00")).toEqual({
      lv: "Klientu centrs šobrīd ir slēgts. Tas atkal strādās pirmdien, 23. novembrī, no 08:30.",
      ru: "Центр обслуживания клиентов сейчас закрыт. Он снова откроется в понедельник, 23 ноября, в 08:30.",
      en: "The client service centre is closed now. It will open again on Monday 23 November at 08:30.",
    });
    expect(answers("2026-11-21T11:00:00+02:00")).toEqual({
      lv: "Darbinieks atbildēs, kad centrs atkal būs atvērts (pirmdien no 08:30).",
      ru: "Сотрудник ответит, когда центр снова откроется (в понедельник с 08:30).",
      en: "A member of staff will reply when the centre opens again (on Monday from 08:30).",
    });
  });
});

describe("openingStatus on public holidays", () => {
  it("is closed on Wednesday 18 November 2026 and names the holiday", () => {
    const s = status("2026-11-18T10:00:00+02:00");
    expect(s).toMatchObject({ open: false, holiday: "Latvijas Republikas proklamēšanas diena", nextOpening: { date: "2026-11-19", weekday: 4, time: "08:30" } });
    expect(all("2026-11-18T10:00:00+02:00")).toEqual({
      lv: "Klientu centrs šobrīd ir slēgts (Latvijas Republikas proklamēšanas diena). Tas atkal strādās rīt, ceturtdien, 19. novembrī, no 08:30.",
      ru: "Центр обслуживания клиентов сейчас закрыт (День провозглашения Латвийской Республики). Он снова откроется завтра, в четверг, 19 ноября, в 08:30.",
      en: "The client service centre is closed now (Proclamation Day of the Republic of Latvia). It will open again tomorrow (Thursday 19 November) at 08:30.",
    });
  });

  it("on the evening before a holiday, skips it", () => {
    expect(status("2026-11-17T18:00:00+02:00").nextOpening).toEqual({ date: "2026-11-19", weekday: 4, time: "08:30" });
    expect(status("2026-11-17T18:00:00+02:00").holiday).toBeUndefined();
  });

  it("is closed on Christmas Eve 2026 and opens on Monday 28 December", () => {
    const s = status("2026-12-24T10:00:00+02:00");
    expect(s).toMatchObject({ open: false, holiday: "Ziemassvētku vakars", nextOpening: { date: "2026-12-28", weekday: 1, time: "08:30" } });
    expect(all("2026-12-24T10:00:00+02:00")).toEqual({
      lv: "Klientu centrs šobrīd ir slēgts (Ziemassvētku vakars). Tas atkal strādās pirmdien, 28. decembrī, no 08:30.",
      ru: "Центр обслуживания клиентов сейчас закрыт (Сочельник). Он снова откроется в понедельник, 28 декабря, в 08:30.",
      en: "The client service centre is closed now (Christmas Eve). It will open again on Monday 28 December at 08:30.",
    });
    expect(answers("2026-12-24T10:00:00+02:00")).toEqual({
      lv: "Darbinieks atbildēs, kad centrs atkal būs atvērts (pirmdien no 08:30).",
      ru: "Сотрудник ответит, когда центр снова откроется (в понедельник с 08:30).",
      en: "A member of staff will reply when the centre opens again (on Monday from 08:30).",
    });
    expect(describeOpening(status("2026-12-25T10:00:00+02:00"), "lv")).toBe(
      "Klientu centrs šobrīd ir slēgts (Pirmie Ziemassvētki). Tas atkal strādās pirmdien, 28. decembrī, no 08:30.",
    );
  });

  it("skips New Year's Eve and New Year's Day", () => {
    // Wednesday 30 December 2026, evening: 31 December (Thu) and 1 January (Fri) are holidays.
    expect(status("2026-12-30T18:00:00+02:00").nextOpening).toEqual({ date: "2027-01-04", weekday: 1, time: "08:30" });
    expect(expectedAnswer(status("2026-12-30T18:00:00+02:00"), "lv")).toBe("Darbinieks atbildēs, kad centrs atkal būs atvērts (pirmdien no 08:30).");
  });

  it("is closed on Tuesday 4 May 2027 (summer time, UTC+3) and open on the Monday before", () => {
    const s = status("2027-05-04T10:00:00+03:00");
    expect(s).toMatchObject({ open: false, holiday: "Latvijas Republikas Neatkarības deklarācijas pasludināšanas diena", nextOpening: { date: "2027-05-05", weekday: 3, time: "08:30" } });
    expect(describeOpening(s, "en")).toBe("The client service centre is closed now (Restoration of Independence Day). It will open again tomorrow (Wednesday 5 May) at 08:30.");
    // No Cabinet transfer of working days is modelled: Monday 3 May 2027 is an ordinary day.
    expect(status("2027-05-03T10:00:00+03:00")).toMatchObject({ open: true, closesAt: "12:00" });
  });

  it("gives the date when the next opening is more than a week away", () => {
    // Open on Mondays only; Monday 4 May 2026 is a holiday, so from Tuesday 28 April the next is 11 May.
    const mondays: WeeklyHours = { confirmed: true, mon: [["08:30", "12:00"]], tue: [], wed: [], thu: [], fri: [] };
    const s = status("2026-04-28T10:00:00+03:00", mondays);
    expect(s.nextOpening).toEqual({ date: "2026-05-11", weekday: 1, time: "08:30" });
    expect(answers("2026-04-28T10:00:00+03:00", mondays)).toEqual({
      lv: "Darbinieks atbildēs, kad centrs atkal būs atvērts (pirmdien, 11. maijā, no 08:30).",
      ru: "Сотрудник ответит, когда центр снова откроется (в понедельник, 11 мая, с 08:30).",
      en: "A member of staff will reply when the centre opens again (on Monday 11 May from 08:30).",
    });
    // Exactly 14 days ahead is still found; 15 is not.
    expect(status("2026-04-27T13:00:00+03:00", mondays).nextOpening?.date).toBe("2026-05-11");
    const fortnight = createHolidays([...HOLIDAYS.list, { date: "2026-05-11", name: { lv: "Tests", en: "Test" } }]);
    expect(status("2026-04-27T13:00:00+03:00", mondays, fortnight).nextOpening).toBeUndefined();
  });

  it("falls back to a generic word when a holiday has no name in Russian", () => {
    const plain = createHolidays([{ date: "2026-11-25", name: { lv: "Ārkārtas brīvdiena", en: "Extraordinary day off" } }]);
    const s = status("2026-11-25T10:00:00+02:00", HOURS, plain);
    expect(s.holiday).toBe("Ārkārtas brīvdiena");
    expect(describeOpening(s, "ru")).toBe("Центр обслуживания клиентов сейчас закрыт (праздничный день). Он снова откроется завтра, в четверг, 26 ноября, в 08:30.");
    expect(describeOpening(s, "en")).toBe("The client service centre is closed now (Extraordinary day off). It will open again tomorrow (Thursday 26 November) at 08:30.");
  });
});

describe("openingStatus across summer-time changes", () => {
  it("reads the clock in Riga on the last Sunday of March 2026", () => {
    // At 01:00 UTC clocks go from 03:00 EET to 04:00 EEST.
    expect(localTime(new Date("2026-03-29T00:59:00Z")).time).toBe("02:59");
    expect(localTime(new Date("2026-03-29T01:00:00Z")).time).toBe("04:00");
    expect(status("2026-03-29T01:00:00Z").nextOpening).toEqual({ date: "2026-03-30", weekday: 1, time: "08:30" });
  });

  it("opens at 08:30 local time before and after the March change", () => {
    // 06:00 UTC is 08:00 on Friday (UTC+2) but 09:00 on Monday (UTC+3).
    expect(status("2026-03-27T06:00:00Z")).toMatchObject({ open: false, nextOpening: { date: "2026-03-27", time: "08:30" } });
    expect(status("2026-03-30T06:00:00Z")).toMatchObject({ open: true, closesAt: "12:00", now: { time: "09:00" } });
    // 14:59 UTC is 16:59 on Thursday (open) but 17:59 on Monday (closed).
    expect(status("2026-03-26T14:59:00Z")).toMatchObject({ open: true, closesAt: "17:00" });
    expect(status("2026-03-30T14:59:00Z")).toMatchObject({ open: false, nextOpening: { date: "2026-03-31", time: "08:30" } });
  });

  it("reads the clock in Riga on the last Sunday of October 2026", () => {
    // At 01:00 UTC clocks go back from 04:00 EEST to 03:00 EET: 03:30 happens twice.
    expect(localTime(new Date("2026-10-25T00:30:00Z"))).toEqual({ date: "2026-10-25", weekday: 0, time: "03:30" });
    expect(localTime(new Date("2026-10-25T01:30:00Z"))).toEqual({ date: "2026-10-25", weekday: 0, time: "03:30" });
    expect(status("2026-10-25T01:30:00Z").nextOpening).toEqual({ date: "2026-10-26", weekday: 1, time: "08:30" });
  });

  it("opens at 08:30 local time before and after the October change", () => {
    // 06:00 UTC is 09:00 on Friday (UTC+3) but 08:00 on Monday (UTC+2).
    expect(status("2026-10-23T06:00:00Z")).toMatchObject({ open: true, now: { time: "09:00" } });
    expect(status("2026-10-26T06:00:00Z")).toMatchObject({ open: false, now: { time: "08:00" }, nextOpening: { date: "2026-10-26", time: "08:30" } });
    expect(status("2026-10-26T06:30:00Z")).toMatchObject({ open: true, closesAt: "12:00" });
  });

  it("skips Easter 2027, whose Sunday is the day the clocks change", () => {
    // Thursday 25 March 2027, 18:00 EET: Good Friday, the weekend and Easter Monday follow.
    const s = status("2027-03-25T16:00:00Z");
    expect(s.nextOpening).toEqual({ date: "2027-03-30", weekday: 2, time: "08:30" });
    expect(describeOpening(s, "lv")).toBe("Klientu centrs šobrīd ir slēgts. Tas atkal strādās otrdien, 30. martā, no 08:30.");
    expect(status("2027-03-26T10:00:00+02:00").holiday).toBe("Lielā Piektdiena");
    expect(status("2027-03-29T10:00:00+03:00").holiday).toBe("Otrās Lieldienas");
    // Tuesday 30 March 2027, 06:00 UTC is 09:00 EEST.
    expect(status("2027-03-30T06:00:00Z")).toMatchObject({ open: true, closesAt: "12:00" });
  });
});

describe("unconfirmed hours", () => {
  const centre = CENTRES?.centres[0];
  if (!centre) throw new Error("knowledge/centres.yaml has no centre");
  const shipped = centre.hours;
  /** A placeholder week that nobody confirmed: it must never show. */
  const placeholder: WeeklyHours = { ...HOURS, confirmed: false };
  const CLOCK = /\d{1,2}[:.]\d{2}/;
  const unknown = (iso: string, hours: WeeklyHours | undefined = placeholder) => openingStatus(hours, HOLIDAYS, new Date(iso));

  it("ships no confirmed hours in centres.yaml, and no placeholder week", () => {
    expect(shipped?.confirmed).toBe(false);
    expect(CENTRES.centres.every((c) => !c.hours?.confirmed && [c.hours?.mon, c.hours?.fri].every((d) => (d ?? []).length === 0))).toBe(true);
  });

  it("gives only the calendar, never open, closes at or opens at", () => {
    const s = unknown("2026-11-23T14:00:00+02:00");
    expect(s).toEqual({ confirmed: false, weekend: false, now: { date: "2026-11-23", weekday: 1, time: "14:00" } });
    expect(unknown("2026-11-23T14:00:00+02:00", undefined)).toEqual(s);
    expect(unknown("2026-11-21T11:00:00+02:00")).toMatchObject({ confirmed: false, weekend: true });
    expect(unknown("2026-12-24T10:00:00+02:00")).toMatchObject({ confirmed: false, weekend: false, holiday: "Ziemassvētku vakars" });
  });

  it("says in every language that the hours are not confirmed and whom to ask, with no time of day", () => {
    const s = unknown("2026-11-23T14:00:00+02:00");
    expect({ lv: describeOpening(s, "lv"), ru: describeOpening(s, "ru"), en: describeOpening(s, "en") }).toEqual({
      lv: "Klientu centra darba laiks nav apstiprināts. To var uzzināt pa pašvaldības informatīvo tālruni 63022238.",
      ru: "Часы работы центра обслуживания клиентов не подтверждены. Узнать их можно по информационному телефону самоуправления 63022238.",
      en: "The client service centre's opening hours are not confirmed. You can ask for them on the municipality's information line 63022238.",
    });
  });

  it("tells a resident on a working day whether someone is online, with no clock time and no 'open now'", () => {
    const s = unknown("2026-11-23T14:00:00+02:00");
    for (const lang of ["lv", "ru", "en"] as const) {
      for (const online of [true, false]) {
        const text = waitingNotice(s, { online }, lang);
        expect(text).not.toMatch(CLOCK);
        expect(text).not.toMatch(/open now|atvērts|slēgts|открыт|закрыт|strādās|opens?\b|closes?\b/i);
        expect(text).toContain("63022238");
      }
    }
    expect(waitingNotice(s, { online: true }, "lv")).toBe(
      "Šobrīd tiešsaistē ir kāds no centra darbiniekiem. Klientu centra darba laiks nav apstiprināts. To var uzzināt pa pašvaldības informatīvo tālruni 63022238.");
    expect(waitingNotice(s, { online: false }, "en")).toBe(
      "No member of the centre's staff is online right now. Someone will answer as soon as they can. The client service centre's opening hours are not confirmed. You can ask for them on the municipality's information line 63022238.");
    expect(waitingNotice(s, { online: true }, "ru")).toMatch(/^Сейчас на связи есть сотрудник центра\./);
  });

  it("leaves presence out when it is not tracked", () => {
    expect(waitingNotice(unknown("2026-11-23T14:00:00+02:00"), undefined, "en")).toBe(
      "The client service centre's opening hours are not confirmed. You can ask for them on the municipality's information line 63022238.");
  });

  it("says on a public holiday that it is one and that staff usually answer on working days", () => {
    const s = unknown("2026-12-24T10:00:00+02:00");
    expect(waitingNotice(s, { online: false }, "lv")).toBe(
      "Šodien ir svētku diena (Ziemassvētku vakars). Darbinieki parasti atbild darba dienās. Šobrīd neviens centra darbinieks nav tiešsaistē. Darbinieks atbildēs, tiklīdz varēs. Klientu centra darba laiks nav apstiprināts. To var uzzināt pa pašvaldības informatīvo tālruni 63022238.");
    expect(calendarNote(s, "ru")).toBe("Сегодня праздничный день (Сочельник). Сотрудники обычно отвечают в рабочие дни.");
    expect(calendarNote(s, "en")).toBe("Today is a public holiday (Christmas Eve). Staff usually answer on working days.");
    expect(waitingNotice(s, { online: true }, "en")).toBe(
      "Today is a public holiday (Christmas Eve). Staff usually answer on working days. But a member of the centre's staff is online now. The client service centre's opening hours are not confirmed. You can ask for them on the municipality's information line 63022238.");
  });

  it("says at the weekend which day it is and that staff usually answer on working days", () => {
    expect(calendarNote(unknown("2026-11-21T11:00:00+02:00"), "lv")).toBe("Šodien ir sestdiena. Darbinieki parasti atbild darba dienās.");
    expect(calendarNote(unknown("2026-11-22T11:00:00+02:00"), "ru")).toBe("Сегодня воскресенье. Сотрудники обычно отвечают в рабочие дни.");
    expect(calendarNote(unknown("2026-11-22T11:00:00+02:00"), "en")).toBe("Today is Sunday. Staff usually answer on working days.");
    // Saturday in Riga although still Friday in UTC.
    expect(unknown("2026-11-20T22:30:00Z")).toMatchObject({ weekend: true, now: { weekday: 6 } });
    expect(calendarNote(unknown("2026-11-23T11:00:00+02:00"), "lv")).toBeUndefined();
  });

  it("takes another information line when given", () => {
    expect(describeOpening(unknown("2026-11-23T14:00:00+02:00"), "en", { informationLine: "12345678" })).toContain("information line 12345678.");
  });
});

describe("waitingNotice with confirmed hours", () => {
  it("says open or closed, when staff will reply, and that someone is online when they are", () => {
    expect(waitingNotice(status("2026-11-23T14:00:00+02:00"), { online: false }, "lv")).toBe(
      "Klientu centrs šobrīd ir atvērts līdz 17:00. Darbinieks atbildēs darba laikā, parasti tajā pašā dienā.");
    expect(waitingNotice(status("2026-11-21T11:00:00+02:00"), { online: true }, "en")).toBe(
      "The client service centre is closed now. It will open again on Monday 23 November at 08:30. A member of staff will reply when the centre opens again (on Monday from 08:30). But a member of the centre's staff is online now.");
  });
});

describe("hours edge cases", () => {
  it("merges touching intervals and ignores their order", () => {
    const hours: WeeklyHours = { confirmed: true, mon: [["12:00", "16:00"], ["08:00", "12:00"]], tue: [], wed: [], thu: [], fri: [] };
    expect(status("2026-11-23T11:30:00+02:00", hours)).toMatchObject({ open: true, closesAt: "16:00" });
  });

  it("opens on Saturday when the centre has Saturday hours", () => {
    const hours: WeeklyHours = { ...HOURS, sat: [["09:00", "13:00"]] };
    expect(status("2026-11-21T10:00:00+02:00", hours)).toMatchObject({ open: true, closesAt: "13:00" });
    expect(status("2026-11-20T18:00:00+02:00", hours).nextOpening).toEqual({ date: "2026-11-21", weekday: 6, time: "09:00" });
  });

  it("says honestly when no opening is known in the next two weeks", () => {
    const none: WeeklyHours = { confirmed: true, mon: [], tue: [], wed: [], thu: [], fri: [] };
    const s = status("2026-11-23T14:00:00+02:00", none);
    expect(s).toMatchObject({ open: false });
    expect(s.nextOpening).toBeUndefined();
    expect(describeOpening(s, "lv")).toBe("Klientu centrs šobrīd ir slēgts. Darba laiks tuvākajām divām nedēļām nav zināms. Lūdzu, zvaniet pa informatīvo tālruni 63022238.");
    expect(describeOpening(s, "ru")).toBe("Центр обслуживания клиентов сейчас закрыт. Часы работы на ближайшие две недели неизвестны. Пожалуйста, позвоните по информационному телефону 63022238.");
    expect(describeOpening(s, "en")).toBe("The client service centre is closed now. No opening hours are known for the next two weeks. Please call the information line 63022238.");
    expect(answers("2026-11-23T14:00:00+02:00", none)).toEqual({
      lv: "Darbinieks atbildēs, kad centrs atkal būs atvērts.",
      ru: "Сотрудник ответит, когда центр снова откроется.",
      en: "A member of staff will reply when the centre opens again.",
    });
  });
});
