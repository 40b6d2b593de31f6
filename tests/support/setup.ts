/**
 * Runs before every test file (vitest `setupFiles`).
 *
 * Passwords are hashed at scrypt N = 2^10 in the test processes instead of 2^15: at full cost
 * hashing is most of the time of every login and account the suites make. Stored hashes carry
 * their own N, so verification is the same code; tests/staff/accounts.test.ts checks the default
 * cost, and the app processes the fault tests spawn hash at full cost.
 */
import { setPasswordCostForTests } from "../../src/staff/accounts.js";

setPasswordCostForTests(2 ** 10);
