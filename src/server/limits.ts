/**
 * Request limits of one instance: a sliding-window rate limiter whose memory is bounded (the
 * least recently seen keys are evicted one by one, never all windows at once), and the client
 * address behind a trusted reverse proxy.
 * @module
 */
import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";

/**
 * Allows `limit` events per `windowMs` and key, counted over a sliding window (the previous
 * window's count weighted by how much of it still overlaps). Keeps at most `maxKeys` keys: when
 * full, the key seen least recently is forgotten (it starts afresh if it comes back).
 */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number; previous: number }>();
  constructor(private readonly limit: number, private readonly windowMs: number, private readonly maxKeys = 50_000) {}

  /** Counts one event for `key`; false when it is over the limit (the event is not counted then). */
  allow(key: string, now = Date.now()): boolean {
    let w = this.#windows.get(key);
    if (w) {
      this.#windows.delete(key);
      const elapsed = now - w.start;
      if (elapsed >= 2 * this.windowMs) w = { start: now, count: 0, previous: 0 };
      else if (elapsed >= this.windowMs) w = { start: w.start + this.windowMs, count: 0, previous: w.count };
    } else {
      w = { start: now, count: 0, previous: 0 };
      while (this.#windows.size >= this.maxKeys) {
        const oldest = this.#windows.keys().next().value;
        if (oldest === undefined) break;
        this.#windows.delete(oldest);
      }
    }
    this.#windows.set(key, w);
    const overlap = Math.max(0, 1 - (now - w.start) / this.windowMs);
    if (w.count + w.previous * overlap >= this.limit) return false;
    w.count++;
    return true;
  }

  /** Keys remembered now (tests). */
  get size(): number {
    return this.#windows.size;
  }
}

/**
 * The client's address: the socket's peer, or — behind `trustProxy` reverse proxies — the
 * address the outermost trusted proxy saw (counted from the right of `X-Forwarded-For`, since
 * anything further left was written by the client itself).
 */
export function clientAddress(c: Context, trustProxy: number): string {
  let peer = "unknown";
  try {
    peer = getConnInfo(c).remote.address ?? "unknown";
  } catch {
    /* not served by node (tests calling fetch directly) */
  }
  if (trustProxy <= 0) return peer;
  const forwarded = (c.req.header("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return forwarded[forwarded.length - trustProxy] ?? forwarded[0] ?? peer;
}

/** Where the app is served from, as far as the request shows it. */
export interface Origins {
  /** The public address (`PUBLIC_URL`), when set. */
  readonly publicUrl?: string;
  /** Reverse proxies whose `X-Forwarded-*` headers are trusted. */
  readonly trustProxy: number;
}

/** True when the client reached us over https (`PUBLIC_URL` on https, or a trusted TLS proxy said so). */
export function isHttps(c: Context, origins: Origins): boolean {
  if (origins.publicUrl?.startsWith("https://")) return true;
  if (origins.trustProxy > 0 && (c.req.header("x-forwarded-proto") ?? "").split(",")[0]?.trim() === "https") return true;
  return new URL(c.req.url).protocol === "https:";
}

/**
 * True when a browser request comes from our own pages: its `Origin` (or, without one, its
 * `Referer`) is this server's origin or `PUBLIC_URL`'s. Requests with neither header do not come
 * from a browser page (browsers send `Origin` with every POST) and pass.
 */
export function isSameOrigin(c: Context, origins: Origins): boolean {
  const origin = c.req.header("origin");
  const referer = c.req.header("referer");
  let claimed: string | undefined;
  if (origin !== undefined) claimed = origin;
  else if (referer !== undefined) {
    try {
      claimed = new URL(referer).origin;
    } catch {
      return false;
    }
  }
  if (claimed === undefined) return true;
  const own = new URL(c.req.url);
  const allowed = new Set([own.origin]);
  if (origins.publicUrl) allowed.add(new URL(origins.publicUrl).origin);
  const host = c.req.header("host");
  if (host) {
    allowed.add(`${own.protocol}//${host}`);
    if (origins.trustProxy > 0) {
      const proto = (c.req.header("x-forwarded-proto") ?? "").split(",")[0]?.trim();
      const forwardedHost = (c.req.header("x-forwarded-host") ?? host).split(",")[0]?.trim();
      if (proto) allowed.add(`${proto}://${forwardedHost}`);
    }
  }
  return allowed.has(claimed);
}
