/**
 * A member of staff using the staff JSON API as the console does: a session cookie and the CSRF
 * token from the login answer on every POST.
 */
import { expect } from "vitest";
import { sessionCookie } from "./must.js";

/** An answer of the staff API: its status and JSON body (`{}` for 204). */
export interface StaffAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

/** A signed-in member of staff. */
export class StaffClient {
  private constructor(readonly url: string, readonly cookie: string, readonly csrf: string) {}

  /** Logs in (and expects it to work). */
  static async login(url: string, username: string, password: string): Promise<StaffClient> {
    const res = await StaffClient.tryLogin(url, username, password);
    expect(res.status).toBe(200);
    const cookie = sessionCookie(res);
    return new StaffClient(url, cookie, ((await res.json()) as { csrfToken: string }).csrfToken);
  }

  /** A login attempt; the raw response. */
  static tryLogin(url: string, username: string, password: string): Promise<Response> {
    return fetch(`${url}/api/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username, password }) });
  }

  /** A request to `/api/staff<path>`. */
  async call(method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<StaffAnswer> {
    const res = await fetch(`${this.url}/api/staff${path}`, {
      method,
      headers: { cookie: this.cookie, ...(method !== "GET" ? { "x-csrf-token": this.csrf, "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, json: res.status === 204 ? {} : ((await res.json()) as Record<string, unknown>) };
  }

  /** The numbers of the tickets a GET of `/tickets?<query>` lists, in its order. */
  async numbers(query: string): Promise<string[]> {
    const answer = await this.call("GET", `/tickets?${query}`);
    expect(answer.status).toBe(200);
    return (answer.json.tickets as { number: string }[]).map((t) => t.number);
  }
}
