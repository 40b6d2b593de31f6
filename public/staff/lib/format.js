/* global document */
/**
 * Numbers, dates and times as the console writes them (Latvian conventions, local time).
 */
import { el, str } from "./dom.js";

export const pad = (n) => (n < 10 ? `0${n}` : String(n));

/** An ISO time as a Date, or null. */
export function parseTime(iso) {
  const date = new Date(str(iso));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "12.03.2026. 14:05" (local time). */
export function exactTime(date) {
  return `${pad(date.getDate())}.${pad(date.getMonth() + 1)}.${date.getFullYear()}. ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** An ISO time as "12.03.2026. 14:05", or "". */
export function timeText(iso) {
  const date = parseTime(iso);
  return date ? exactTime(date) : "";
}

/** "tikko", "pirms 3 min", "pirms 2 st.", "vakar 14:05", "12.03. 14:05". */
export function relativeTime(date, now) {
  const seconds = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (seconds < 60) return "tikko";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `pirms ${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `pirms ${hours} st.`;
  const today = new Date(now);
  today.setHours(0, 0, 0, 0);
  const yesterday = today.getTime() - 86400000;
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  if (date.getTime() >= yesterday) return `vakar ${clock}`;
  return `${pad(date.getDate())}.${pad(date.getMonth() + 1)}. ${clock}`;
}

/** A <time> with the relative time as text and the exact one in its title; kept fresh by {@link refreshTimes}. */
export function timeEl(iso, prefix) {
  const date = parseTime(iso);
  const node = el("time", "time");
  if (!date) return node;
  node.dateTime = date.toISOString();
  node.title = exactTime(date);
  node.setAttribute("data-rel", "");
  if (prefix) node.setAttribute("data-prefix", prefix);
  node.textContent = `${prefix || ""}${relativeTime(date, Date.now())}`;
  return node;
}

/** Updates every relative time on the page. */
export function refreshTimes() {
  const now = Date.now();
  for (const node of document.querySelectorAll("time[data-rel]")) {
    const date = parseTime(node.getAttribute("datetime"));
    if (date) node.textContent = `${node.getAttribute("data-prefix") || ""}${relativeTime(date, now)}`;
  }
}

/** "2026-07-10" → "10.07.2026." (the date as written). */
export function lvDate(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(str(ymd));
  return m ? `${m[3]}.${m[2]}.${m[1]}.` : str(ymd);
}

/** A local date as "YYYY-MM-DD". */
export function isoDate(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export const numberFormat = new Intl.NumberFormat("lv-LV");
export const decimalFormat = new Intl.NumberFormat("lv-LV", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
export const isNum = (n) => typeof n === "number" && Number.isFinite(n);
/** A count as "1 234", or "–". */
export const num = (n) => (isNum(n) ? numberFormat.format(n) : "–");

/** A share from 0 to 1 as "85 %", or "–" (null: nothing to measure). */
export function percent(share) {
  if (!isNum(share)) return "–";
  return `${numberFormat.format(Math.round(share * 100))} %`;
}

/** Latvian plural: 1, 21, 31 … take the singular (but not 11). */
export function plural(n, one, many) {
  return Math.abs(n) % 10 === 1 && Math.abs(n) % 100 !== 11 ? one : many;
}

/** Minutes as "14 min", "2 st. 40 min", "1 d. 3 st.". */
export function duration(minutes) {
  if (!isNum(minutes)) return "–";
  const total = Math.max(0, Math.round(minutes));
  if (total < 60) return `${total} min`;
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const mins = total % 60;
  if (days > 0) return hours > 0 ? `${days} d. ${hours} st.` : `${days} d.`;
  return mins > 0 ? `${hours} st. ${mins} min` : `${hours} st.`;
}
