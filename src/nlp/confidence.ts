/**
 * Calibrated confidence: the probability that the first-ranked guide is the right one for a
 * question, from a small logistic model over what retrieval measured (how much of the question
 * the guide covers, its score, its lead over the next guide, how long the question is).
 *
 * The weights are fitted on the held-in part of the development corpus by `cli eval
 * --calibration --fit <files…>` (logistic regression, L2), and the bands — answer, ask "Vai Jūs
 * jautājat par …?", or say "I don't know" — are chosen on the same part from the table that
 * `eval --calibration` prints: a direct answer must be right ≥ 95 % of the time, and fewer than
 * 5 % of in-scope questions may end in "I don't know". The README shows the table.
 * @module
 */

/** What retrieval measured for a question's best guides. */
export interface RankSignals {
  /** IDF-weighted share of the question's words the first guide matches (0–1). */
  readonly coverage: number;
  /** BM25+ score of the first guide. */
  readonly score: number;
  /** Score of the second guide (0 when there is none). */
  readonly second: number;
  /** Coverage of the second guide (0 when there is none). */
  readonly secondCoverage: number;
  /** Number of informative words in the question. */
  readonly words: number;
  /** Distinct question words the first guide matched. */
  readonly matched: number;
  /** Share of the question's words (by weight) that no guide contains at all (0–1). */
  readonly unknown?: number;
}

/** The model's inputs, in the order of {@link Calibration.weights}. */
export const FEATURE_NAMES = ["coverage", "log score", "lead", "coverage lead", "log words", "matched share", "unknown share"] as const;

/** Turns signals into the model's features. */
export function features(s: RankSignals): number[] {
  const lead = s.score > 0 ? (s.score - s.second) / s.score : 0;
  return [
    s.coverage,
    Math.log1p(Math.max(0, s.score)),
    lead,
    s.coverage - s.secondCoverage,
    Math.log1p(s.words),
    s.words > 0 ? Math.min(1, s.matched / s.words) : 0,
    s.unknown ?? 0,
  ];
}

/** A fitted model and its bands. */
export interface Calibration {
  readonly bias: number;
  readonly weights: readonly number[];
  /** Answer directly at or above this probability. */
  readonly answer: number;
  /** Below `answer` and at or above this: offer the two or three best guides. */
  readonly clarify: number;
}

/**
 * Fitted by `npm run --silent cli -- eval --calibration --fit` on the held-in part of
 * `../shared/eval/dev.jsonl`, `../shared/eval/dev2.jsonl`, `tests/fixtures/questions-own.jsonl`
 * and `tests/fixtures/questions-blind-a.jsonl`.
 */
export const CALIBRATION: Calibration = {
  bias: -6.413,
  weights: [0.915, 1.064, 2.937, -0.640, 0.422, 1.074, -3.090],
  answer: 0.7,
  clarify: 0.5,
};

/** Probability (0–1) that the first guide is right. */
export function confidence(s: RankSignals, model: Calibration = CALIBRATION): number {
  const f = features(s);
  const z = f.reduce((sum, x, i) => sum + x * (model.weights[i] ?? 0), model.bias);
  return 1 / (1 + Math.exp(-z));
}

/** The decision for a probability. */
export type Band = "answer" | "clarify" | "none";

/** The band a probability falls in. */
export function band(p: number, model: Calibration = CALIBRATION): Band {
  return p >= model.answer ? "answer" : p >= model.clarify ? "clarify" : "none";
}

/**
 * Fits the logistic model by gradient descent with a little L2 regularisation. Features are
 * standardised while fitting and the weights mapped back, so the result applies to raw features.
 */
export function fitLogistic(rows: readonly (readonly number[])[], labels: readonly boolean[], l2 = 0.01, steps = 4000): { bias: number; weights: number[] } {
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  const mean = Array.from({ length: k }, (_, j) => rows.reduce((s, r) => s + (r[j] ?? 0), 0) / Math.max(1, n));
  const sd = Array.from({ length: k }, (_, j) => Math.sqrt(rows.reduce((s, r) => s + ((r[j] ?? 0) - (mean[j] ?? 0)) ** 2, 0) / Math.max(1, n)) || 1);
  const x = rows.map((r) => r.map((v, j) => (v - (mean[j] ?? 0)) / (sd[j] ?? 1)));
  let b = 0;
  let w = new Array<number>(k).fill(0);
  const rate = 0.5;
  for (let step = 0; step < steps; step++) {
    let gb = 0;
    const gw = new Array<number>(k).fill(0);
    for (const [i, xi] of x.entries()) {
      const z = xi.reduce((s, v, j) => s + v * (w[j] ?? 0), b);
      const err = 1 / (1 + Math.exp(-z)) - (labels[i] ? 1 : 0);
      gb += err;
      for (const [j, v] of xi.entries()) gw[j] = (gw[j] ?? 0) + err * v;
    }
    b -= (rate * gb) / n;
    w = w.map((wj, j) => wj - rate * ((gw[j] ?? 0) / n + l2 * wj));
  }
  const weights = w.map((v, j) => v / (sd[j] ?? 1));
  const bias = b - w.reduce((s, v, j) => s + (v * (mean[j] ?? 0)) / (sd[j] ?? 1), 0);
  return { bias, weights };
}
