/**
 * The console's memory: the last exchanges, bounded by count and by size so that a console left
 * open for hours under real traffic holds steady; the oldest go first.
 */
import type { ExchangeRecord } from './exchange.js';

/** Bounds of the exchange history. */
export interface HistoryOptions {
  /** Most exchanges kept. @defaultValue 1000 */
  maxEntries?: number;
  /** Most characters kept, counted over each record's JSON form. @defaultValue 33554432 (32 Mi) */
  maxSize?: number;
}

/** What a listener is told: an exchange was added, or the history was cleared. */
export type HistoryEvent = { type: 'exchange'; record: ExchangeRecord } | { type: 'cleared' };

interface Entry {
  record: ExchangeRecord;
  size: number;
}

function bound(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

/** A bounded, ordered list of exchange records with change listeners. */
export class ExchangeHistory {
  readonly #maxEntries: number;
  readonly #maxSize: number;
  /** Oldest first; ids increase along it. */
  #entries: Entry[] = [];
  #size = 0;
  #dropped = 0;
  #nextId = 1;
  readonly #listeners = new Set<(event: HistoryEvent) => void>();

  constructor(options: HistoryOptions = {}) {
    this.#maxEntries = bound(options.maxEntries, 1000);
    this.#maxSize = bound(options.maxSize, 32 * 1024 * 1024);
  }

  /**
   * Adds a record under the next id (ids increase in the order records are added), drops the
   * oldest beyond the bounds, and tells the listeners.
   */
  add(fields: Omit<ExchangeRecord, 'id'>): ExchangeRecord {
    const record: ExchangeRecord = { id: this.#nextId++, ...fields };
    const size = JSON.stringify(record).length;
    this.#entries.push({ record, size });
    this.#size += size;
    while (
      this.#entries.length > this.#maxEntries ||
      (this.#size > this.#maxSize && this.#entries.length > 1)
    ) {
      const oldest = this.#entries.shift()!;
      this.#size -= oldest.size;
      this.#dropped++;
    }
    this.#tell({ type: 'exchange', record });
    return record;
  }

  /** The record with this id, if still kept. */
  get(id: number): ExchangeRecord | undefined {
    let low = 0;
    let high = this.#entries.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const candidate = this.#entries[middle]!.record;
      if (candidate.id === id) return candidate;
      if (candidate.id < id) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** The records kept with an id above `after` (all with 0), oldest first. */
  since(after = 0): ExchangeRecord[] {
    return this.#entries.filter((entry) => entry.record.id > after).map((entry) => entry.record);
  }

  /** Forgets every record and tells the listeners. */
  clear(): void {
    this.#entries = [];
    this.#size = 0;
    this.#tell({ type: 'cleared' });
  }

  #tell(event: HistoryEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // One broken listener (a page gone away) must not stop the others or the recording.
      }
    }
  }

  /** Calls `listener` on every addition and clearing until the returned function is called. */
  subscribe(listener: (event: HistoryEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** How many records are kept. */
  get length(): number {
    return this.#entries.length;
  }

  /** How many characters the kept records take (their JSON form). */
  get size(): number {
    return this.#size;
  }

  /** How many records were dropped to stay within the bounds since the start. */
  get dropped(): number {
    return this.#dropped;
  }
}
