import { describe, it } from "vitest";
import { PG_URL, serverTarget } from "../support/databases.js";
import { runStoreContract } from "./contract.js";

// Each run works in its own schema, dropped afterwards; CI requires the server.
const server = await serverTarget("contract");
if (server) {
  runStoreContract(server);
} else {
  describe("ConversationStore on PostgreSQL server", () => {
    it.skip(`skipped: no PostgreSQL at ${PG_URL} on this machine (the PGlite run covers the contract)`, () => undefined);
  });
}
