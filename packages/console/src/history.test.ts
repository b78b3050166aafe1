import { describe, expect, it } from 'vitest';
import type { ExchangeRecord } from './exchange.js';
import { ExchangeHistory, type HistoryEvent } from './history.js';

function fields(path: string, body = ''): Omit<ExchangeRecord, 'id'> {
  return {
    time: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
    method: 'GET',
    path,
    resource: 'Users',
    status: 200,
    principal: 'bearer 00000000',
    source: 'client',
    step: 'Reconciliation',
    request: { headers: [] },
    response: { headers: [], ...(body ? { body: { text: body, json: false, truncated: false } } : {}) },
    changes: [],
  };
}

describe('ExchangeHistory', () => {
  it('numbers records in the order they are added and finds them by id', () => {
    const history = new ExchangeHistory();
    const first = history.add(fields('/a'));
    const second = history.add(fields('/b'));
    expect([first.id, second.id]).toEqual([1, 2]);
    expect(history.get(2)?.path).toBe('/b');
    expect(history.get(3)).toBeUndefined();
    expect(history.since(1).map((record) => record.path)).toEqual(['/b']);
    expect(history.since().map((record) => record.path)).toEqual(['/a', '/b']);
  });

  it('drops the oldest records beyond maxEntries and counts them', () => {
    const history = new ExchangeHistory({ maxEntries: 3 });
    for (let i = 1; i <= 10; i++) history.add(fields(`/${i}`));
    expect(history.since().map((record) => record.path)).toEqual(['/8', '/9', '/10']);
    expect(history.length).toBe(3);
    expect(history.dropped).toBe(7);
    expect(history.get(7)).toBeUndefined();
    expect(history.get(8)?.path).toBe('/8');
  });

  it('drops the oldest records beyond maxSize, but always keeps the newest', () => {
    const history = new ExchangeHistory({ maxSize: 2000 });
    for (let i = 1; i <= 20; i++) history.add(fields(`/${i}`, 'x'.repeat(400)));
    expect(history.size).toBeLessThanOrEqual(2000);
    expect(history.length).toBeGreaterThan(0);
    expect(history.length).toBeLessThan(20);
    expect(history.since().at(-1)?.path).toBe('/20');
    expect(history.dropped + history.length).toBe(20);

    const tiny = new ExchangeHistory({ maxSize: 10 });
    tiny.add(fields('/big', 'x'.repeat(5000)));
    expect(tiny.length).toBe(1);
  });

  it('stays within its bounds over a long run (a console open for hours)', () => {
    const history = new ExchangeHistory({ maxEntries: 500, maxSize: 200_000 });
    for (let i = 1; i <= 50_000; i++) history.add(fields(`/Users/${i}`, i % 7 === 0 ? 'y'.repeat(2000) : ''));
    expect(history.length).toBeLessThanOrEqual(500);
    expect(history.size).toBeLessThanOrEqual(200_000);
    expect(history.since().at(-1)?.id).toBe(50_000);
    expect(history.dropped + history.length).toBe(50_000);
  });

  it('tells listeners about additions and clearing until they unsubscribe; ids go on after clearing', () => {
    const history = new ExchangeHistory();
    const seen: HistoryEvent['type'][] = [];
    const unsubscribe = history.subscribe((event) => seen.push(event.type));
    history.add(fields('/a'));
    history.clear();
    expect(history.length).toBe(0);
    expect(history.size).toBe(0);
    const after = history.add(fields('/b'));
    expect(after.id).toBe(2);
    unsubscribe();
    history.add(fields('/c'));
    expect(seen).toEqual(['exchange', 'cleared', 'exchange']);
  });

  it('ignores bounds that are not positive numbers', () => {
    const history = new ExchangeHistory({ maxEntries: 0, maxSize: Number.NaN });
    for (let i = 0; i < 5; i++) history.add(fields(`/${i}`));
    expect(history.length).toBe(5);
  });
});
