/**
 * Group commit: items submitted while earlier batches are in flight are sent together in the
 * next batch. Under light load every item goes alone at once; under heavy load many turns share
 * one database round trip.
 * @module
 */

/** Options for {@link Batcher}. */
export interface BatcherOptions {
  /** Batches in flight at once. @default 1 */
  readonly maxInFlight?: number;
  /** Largest batch. @default 200 */
  readonly maxBatch?: number;
}

interface Pending<I, O> {
  readonly item: I;
  readonly resolve: (value: O) => void;
  readonly reject: (error: unknown) => void;
}

/** Batches calls to `run`, which must return one result per item, in order. */
export class Batcher<I, O> {
  readonly #run: (items: I[]) => Promise<O[]>;
  readonly #maxInFlight: number;
  readonly #maxBatch: number;
  #queue: Pending<I, O>[] = [];
  #inFlight = 0;

  constructor(run: (items: I[]) => Promise<O[]>, options: BatcherOptions = {}) {
    this.#run = run;
    this.#maxInFlight = options.maxInFlight ?? 1;
    this.#maxBatch = options.maxBatch ?? 200;
  }

  /** Queues an item; resolves with its result. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#inFlight++;
      this.#run(batch.map((p) => p.item)).then(
        (results) => batch.forEach((p, i) => (i < results.length ? p.resolve(results[i] as O) : p.reject(new Error("batch returned too few results")))),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      ).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }
}
