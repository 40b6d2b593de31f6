import { pgliteTarget } from "../support/databases.js";
import { runStoreContract } from "./contract.js";

runStoreContract(pgliteTarget);
