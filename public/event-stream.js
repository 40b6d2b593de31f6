/* global EventSource, setTimeout, clearTimeout */
/**
 * A server-sent event stream that comes back by itself, for the web chat (public/chat.js) and the
 * staff console's queue (public/staff/pages/queue.js).
 *
 * After a network drop the browser reconnects on its own. When the stream is closed for good (the
 * server refused it, e.g. after a restart or an expired session), it is opened again after 2 s,
 * then 4 s, … up to 60 s, and the wait starts again at 2 s once a stream opens.
 * @module
 */

const FIRST_DELAY_MS = 2000;
const LONGEST_DELAY_MS = 60000;

/**
 * Opens the stream and keeps it open until `close()`.
 * @param {object} options
 * @param {() => string | null} options.url the stream's address, asked at each (re)open; null: do not open
 * @param {Record<string, (event: MessageEvent) => void>} options.on handlers by event name ("message" for unnamed events)
 * @param {() => void} [options.onOpen] the stream is open (again)
 * @param {() => void} [options.onError] the stream failed; the browser or this module retries
 * @param {() => Promise<boolean>} [options.beforeReopen] runs before a refused stream is opened again; false: stay closed
 * @returns {{ close(): void }}
 */
export function followEvents({ url, on, onOpen, onError, beforeReopen }) {
  let source = null;
  let timer = 0;
  let delay = FIRST_DELAY_MS;
  let closed = false;

  const open = () => {
    if (closed || typeof EventSource === "undefined") return;
    const href = url();
    if (href === null) return;
    const current = new EventSource(href);
    source = current;
    const mine = (handler) => (event) => {
      if (source === current) handler(event);
    };
    current.addEventListener("open", mine(() => {
      delay = FIRST_DELAY_MS;
      if (onOpen) onOpen();
    }));
    for (const [name, handler] of Object.entries(on)) current.addEventListener(name, mine(handler));
    current.addEventListener("error", mine(() => {
      if (onError) onError();
      if (current.readyState !== EventSource.CLOSED) return;
      source = null;
      const wait = delay;
      delay = Math.min(delay * 2, LONGEST_DELAY_MS);
      timer = setTimeout(async () => {
        if (beforeReopen && !(await beforeReopen())) return;
        open();
      }, wait);
    }));
  };

  open();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (source) source.close();
      source = null;
    },
  };
}
