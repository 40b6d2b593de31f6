/**
 * Figures of the fault suite for the closing notes: with FAULT_REPORT=1 each fault test prints
 * one line (the fault, what residents saw, what was lost or doubled); silent otherwise.
 */
export function reportFault(fault: string, seen: string, lostOrDoubled: string): void {
  if (process.env.FAULT_REPORT) process.stdout.write(`FAULT | ${fault} | ${seen} | ${lostOrDoubled}\n`);
}
