/**
 * Group commit: items submitted while earlier batches are in flight are sent together in the
 * next batch. Under light load every item goes alone at once; under heavy load many turns share
 * one database round trip. One bad item never fails the others: when a batch fails with an error
 * that {@link BatcherOptions.isolate} says may be the fault of one item, the batch is split in
 * halves and retried until the bad item fails alone (with its own error) and the rest succeed.
 * @module
 */

/** Options for {@link Batcher}. */
export interface BatcherOptions {
  /** Batches in flight at once. @default 1 */
  readonly maxInFlight?: number;
  /** Largest batch. @default 200 */
  readonly maxBatch?: number;
  /**
   * True when `error` may come from one item of the batch (bad data), so that the batch is
   * retried in parts; false for errors that would fail any batch (the database is away).
   * @default () => true
   */
  readonly isolate?: (error: unknown) => boolean;
  /** Wraps the error of an item that failed on its own (e.g. as a typed "bad input" error). */
  readonly itemError?: (error: unknown, item: unknown) => unknown;
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
  readonly #isolate: (error: unknown) => boolean;
  readonly #itemError: (error: unknown, item: unknown) => unknown;
  #queue: Pending<I, O>[] = [];
  #inFlight = 0;

  constructor(run: (items: I[]) => Promise<O[]>, options: BatcherOptions = {}) {
    this.#run = run;
    this.#maxInFlight = options.maxInFlight ?? 1;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#isolate = options.isolate ?? (() => true);
    this.#itemError = options.itemError ?? ((error) => error);
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
      void this.#settle(batch).finally(() => {
        this.#inFlight--;
        this.#pump();
      });
    }
  }

  /** Runs a batch; on an item's error, runs its halves apart until the bad item is alone. */
  async #settle(batch: Pending<I, O>[]): Promise<void> {
    let results: O[];
    try {
      results = await this.#run(batch.map((p) => p.item));
    } catch (error) {
      if (batch.length > 1 && this.#isolate(error)) {
        const half = Math.ceil(batch.length / 2);
        await this.#settle(batch.slice(0, half));
        await this.#settle(batch.slice(half));
        return;
      }
      const only = batch.length === 1 && this.#isolate(error);
      for (const p of batch) p.reject(only ? this.#itemError(error, p.item) : error);
      return;
    }
    batch.forEach((p, i) => (i < results.length ? p.resolve(results[i] as O) : p.reject(new Error("batch returned too few results"))));
  }
}
