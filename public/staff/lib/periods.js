/* global URLSearchParams */
/**
 * The "No" – "Līdz" period forms of "Neatbildētie" and "Rādītāji": default periods, checking
 * what was typed, the query string and download links that follow the dates as they are picked.
 */
import { isoDate, lvDate } from "./format.js";
import { appUrl } from "./session.js";

/**
 * Wires a period form. `defaults()` gives `{ from: Date, to: Date }`; `downloads` are
 * `[link, basePath, fileName, extraQuery]`, kept pointing at the period shown.
 */
export function periodForm({ from, to, defaults, downloads = [] }) {
  const form = {
    /** Puts the default period in the fields (after a login). */
    reset() {
      const today = new Date();
      const period = defaults(today);
      from.value = isoDate(period.from);
      to.value = isoDate(period.to);
      for (const input of [from, to]) input.max = isoDate(today);
      form.links();
    },
    /** The period typed, or `{ error, input }`. */
    read() {
      for (const input of [from, to]) input.removeAttribute("aria-invalid");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(from.value)) {
        from.setAttribute("aria-invalid", "true");
        return { error: "Ierakstiet sākuma datumu.", input: from };
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(to.value)) {
        to.setAttribute("aria-invalid", "true");
        return { error: "Ierakstiet beigu datumu.", input: to };
      }
      if (from.value > to.value) {
        from.setAttribute("aria-invalid", "true");
        return { error: "Sākuma datums ir pēc beigu datuma. Pārbaudiet laika posmu.", input: from };
      }
      return { from: from.value, to: to.value };
    },
    /** Points the download links at the period typed. */
    links() {
      const period = form.read();
      if (period.error) return;
      for (const [link, base, name, extra] of downloads) {
        link.href = appUrl(`${base}?${periodQuery(period, extra)}`);
        link.setAttribute("download", `${name}-${period.from}-${period.to}.${extra && extra.format === "csv" ? "csv" : "json"}`);
      }
    },
  };
  for (const input of [from, to]) input.addEventListener("change", () => form.links());
  return form;
}

/** "from=…&to=…" and any extra parameters. */
export function periodQuery(period, extra) {
  const query = new URLSearchParams({ from: period.from, to: period.to });
  if (extra) for (const [key, value] of Object.entries(extra)) query.set(key, value);
  return query.toString();
}

/** "10.07.2026.–09.08.2026.". */
export function periodText(period) {
  return `${lvDate(period.from)}–${lvDate(period.to)}`;
}
