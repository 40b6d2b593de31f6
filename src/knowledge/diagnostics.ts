/**
 * Problems found in content files, reported as `file:line: message`.
 * @module
 */

/** How bad a problem is: errors stop content from going live, warnings do not. */
export type Severity = "error" | "warning";

/** One problem at one place in a content file. */
export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly severity: Severity;
  readonly message: string;
}

/** Formats a diagnostic as `file:line: message` (warnings say so). */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}: ${d.severity === "warning" ? "warning: " : ""}${d.message}`;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
