import { describe, it } from "vitest";
import pg from "pg";
import { openDatabase } from "../../src/store/database.js";
import { runStoreContract } from "./contract.js";

const URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function reachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const available = await reachable();
if (!available && process.env.CI) throw new Error(`CI needs PostgreSQL at ${URL} for the storage contract tests`);

if (available) {
  // Each run works in its own schema, dropped afterwards.
  const schema = `test_${process.pid}_${Date.now()}`;
  runStoreContract("PostgreSQL server", async () => {
    const admin = new pg.Client({ connectionString: URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const db = await openDatabase({ kind: "postgres", url: URL, schema });
    return {
      ...db,
      close: async () => {
        await db.pool.query(`DROP SCHEMA ${schema} CASCADE`);
        await db.close();
      },
    };
  });
} else {
  describe("ConversationStore on PostgreSQL server", () => {
    it.skip(`skipped: no PostgreSQL at ${URL} on this machine (the PGlite run covers the contract)`, () => {});
  });
}
