/**
 * Slack's request signatures (`X-Slack-Signature`, `X-Slack-Request-Timestamp`).
 * @module
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Requests signed longer ago than this (or this far in the future) are rejected, as Slack advises. */
export const SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

/**
 * Checks Slack's `X-Slack-Signature` (`v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<body>`) and that
 * `X-Slack-Request-Timestamp` is within {@link SIGNATURE_MAX_AGE_SECONDS} of `nowMs`.
 */
export function isValidSlackSignature(args: { signingSecret: string; body: string; timestamp: string | null; signature: string | null; nowMs?: number }): boolean {
  const { signingSecret, body, timestamp, signature } = args;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const ageSeconds = Math.abs(Math.floor((args.nowMs ?? Date.now()) / 1000) - Number(timestamp));
  if (ageSeconds > SIGNATURE_MAX_AGE_SECONDS) return false;
  const expected = Buffer.from(`v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
