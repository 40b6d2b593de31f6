import { openDatabase } from "../../src/store/database.js";
import { runStoreContract } from "./contract.js";

runStoreContract("PGlite (embedded)", () => openDatabase({ kind: "pglite" }));
