import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { AppError, asAppError, AuthError, ConfigError, DeskError, RequestError, SessionAuthError, SlackNetworkError } from "../../src/core/errors.js";
import { silentLogger } from "../../src/log.js";
import { errorResponse, onHttpError } from "../../src/server/errors.js";

const body = async (res: Response): Promise<unknown> => JSON.parse(await res.text()) as unknown;

describe("errors", () => {
  it("wrap anything thrown, keeping errors that already have a code", () => {
    const desk = new DeskError("closed", "the ticket is closed");
    expect(asAppError(desk)).toBe(desk);
    const wrapped = asAppError(new TypeError("x is undefined"));
    expect(wrapped).toBeInstanceOf(AppError);
    expect(wrapped.code).toBe("unknown");
    expect(wrapped.cause).toBeInstanceOf(TypeError);
    expect(asAppError("plain").message).toBe("plain");
  });

  it.each([
    [new RequestError("bad_request", "Send {}."), 400, "bad_request"],
    [new DeskError("unknown_centre", "there is no centre 'x'"), 400, "unknown_centre"],
    [new SessionAuthError(), 401, "unauthorized"],
    [new AuthError("invalid_credentials", "Wrong username or password."), 401, "invalid_credentials"],
    [new AuthError("csrf_failed", "No token."), 403, "csrf_failed"],
    [new DeskError("forbidden", "another centre"), 403, "forbidden"],
    [new RequestError("not_found", "Nothing here."), 404, "not_found"],
    [new DeskError("already_claimed", "Anna was first"), 409, "already_claimed"],
    [new RequestError("payload_too_large", "Too large."), 413, "payload_too_large"],
    [new AuthError("too_many_attempts", "Wait."), 429, "too_many_attempts"],
  ] as const)("answer %s with its status and code", async (error, status, code) => {
    const res = errorResponse(error);
    expect(res.status).toBe(status);
    expect(await body(res)).toEqual({ error: { code, message: error.message } });
  });

  it.each([new Error("SELECT failed: password=secret"), new ConfigError("PORT is not a number"), new SlackNetworkError("chat.postMessage", new Error("ECONNRESET"))])(
    "answer an internal error %s as a 500 that tells nothing of it", async (error) => {
      const res = errorResponse(error);
      expect(res.status).toBe(500);
      expect(await body(res)).toEqual({ error: { code: "internal", message: "Something went wrong on our side. Please try again." } });
    });

  it("map errors thrown in mounted routes once, in the parent's onError", async () => {
    const routes = new Hono();
    routes.get("/desk", () => {
      throw new DeskError("not_yours", "another member of staff holds this ticket");
    });
    const app = new Hono();
    app.onError(onHttpError(silentLogger));
    app.route("/", routes);
    const res = await app.request("/desk");
    expect(res.status).toBe(409);
    expect(await body(res)).toEqual({ error: { code: "not_yours", message: "another member of staff holds this ticket" } });
  });
});
