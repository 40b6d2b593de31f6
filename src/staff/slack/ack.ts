/**
 * Answering Slack: within {@link ACK_TIMEOUT_MS} and with whatever a listener passed to `ack()`.
 * @module
 */

/** How long an inbound request may go unacknowledged before it is answered 404 (Bolt's value). */
export const ACK_TIMEOUT_MS = 3001;

/** A JSON response. */
export const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8" } });

/** The HTTP answer for what a listener passed to `ack()`. */
export function ackResponse(response: unknown): Response {
  if (response === undefined || response === null || response === "") return new Response(null, { status: 200 });
  if (typeof response === "string") return new Response(response, { status: 200, headers: { "content-type": "text/plain; charset=utf-8" } });
  return json(200, response);
}
