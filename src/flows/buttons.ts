/**
 * Button ids of flow steps. They travel through Telegram's `callback_data` (at most 64 bytes),
 * so they are short and carry the flow and step they belong to: a press on an old message is
 * recognised and handled, not misapplied to the current step.
 * @module
 */

/** What an instruction step's standard buttons do. */
export type InstructionAction = "done" | "failed" | "repeat" | "back";

/** Builders for flow button ids. */
export const buttonId = {
  /** A choice of a `message` step. */
  choice: (flow: string, step: string, index: number): string => `f:${flow}:${step}:${index}`,
  /** A standard button of an `instruction` step. */
  instruction: (flow: string, step: string, action: InstructionAction): string => `f:${flow}:${step}:${action}`,
  /** "Back" on a message step. */
  back: (flow: string, step: string): string => `f:${flow}:${step}:back`,
  /** "Continue where we were" after a question in the middle of a flow. */
  resume: (flow: string): string => `f:${flow}:resume`,
} as const;

/** A parsed flow button id. */
export interface FlowButton {
  readonly flow: string;
  readonly step?: string;
  readonly action: number | InstructionAction | "resume";
}

/** Parses a flow button id; undefined for other buttons. */
export function parseFlowButton(id: string): FlowButton | undefined {
  const resume = /^f:([a-z0-9-]+):resume$/.exec(id);
  if (resume) return { flow: resume[1] as string, action: "resume" };
  const m = /^f:([a-z0-9-]+):([a-z0-9-]+):(\d{1,2}|done|failed|repeat|back)$/.exec(id);
  if (!m) return undefined;
  const action = m[3] as string;
  return { flow: m[1] as string, step: m[2] as string, action: /^\d+$/.test(action) ? Number(action) : (action as InstructionAction) };
}
