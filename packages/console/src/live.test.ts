import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, readEvents, startHarness } from '../test/harness.js';
import type { ExchangeSummary } from './exchange.js';
import { joinerMoverLeaver } from './story.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function events(h: Harness, headers: Record<string, string> = {}) {
  return fetch(`${h.consoleUrl}api/events`, {
    headers: { authorization: `Bearer ${h.scimConsole.token}`, ...headers },
  });
}

const summaries = (list: { event: string; data: string }[]) =>
  list
    .filter((event) => event.event === 'exchange')
    .map((event) => JSON.parse(event.data) as ExchangeSummary);

describe('the live stream', () => {
  it('says hello, replays what is kept, then streams each exchange as it completes (no polling)', async () => {
    harness = await startHarness();
    await harness.scim('/ServiceProviderConfig');
    await harness.recorded(1);
    const response = await events(harness);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const later = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await harness!.scim('/Users?filter=userName%20eq', {});
    })();
    const { events: received, raw } = await readEvents(response, (list) => summaries(list).length >= 2);
    await later;
    expect(received[0]!.event).toBe('hello');
    expect(JSON.parse(received[0]!.data)).toMatchObject({
      demo: { available: true, running: false },
      maxEntries: 1000,
    });
    const [replayed, live] = summaries(received);
    expect(replayed).toMatchObject({
      id: 1,
      method: 'GET',
      path: '/scim/v2/ServiceProviderConfig',
      status: 200,
    });
    expect(live).toMatchObject({
      id: 2,
      status: 400,
      error: { scimType: 'invalidFilter' },
      step: 'Reconciliation',
    });
    expect(raw).toContain('id: 2\nevent: exchange\n');
    expect(raw).not.toContain(harness.scimToken);
  });

  it('resumes after Last-Event-ID with only what the page missed', async () => {
    harness = await startHarness();
    for (let i = 0; i < 3; i++) await harness.scim('/ServiceProviderConfig');
    await harness.recorded(3);
    const { events: received } = await readEvents(await events(harness, { 'last-event-id': '2' }), (list) =>
      list.some((event) => event.event === 'exchange'),
    );
    expect(summaries(received).map((summary) => summary.id)).toEqual([3]);
  });

  it('runs the demo on request and streams its progress and every exchange in order', async () => {
    // The first creation waits until the test has seen that a second run is refused.
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    harness = await startHarness({ server: { onCreated: () => gate } });
    const stream = await events(harness);
    const started = await fetch(`${harness.consoleUrl}api/demo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.scimConsole.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ hardDelete: true }),
    });
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ running: true, step: 'Discovery' });
    const again = await fetch(`${harness.consoleUrl}api/demo`, {
      method: 'POST',
      headers: { authorization: `Bearer ${harness.scimConsole.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ message: 'The demo is already running.' });
    open();
    const { events: received } = await readEvents(stream, (list) =>
      list.some((event) => event.event === 'demo' && JSON.parse(event.data).running === false),
    );
    const exchanges = summaries(received);
    expect(exchanges.map((summary) => `${summary.method} ${summary.status} ${summary.step}`)).toEqual([
      'GET 200 Discovery',
      'GET 200 Discovery',
      'GET 200 Discovery',
      'POST 201 Group push',
      'POST 201 Joiner',
      'PATCH 200 Group join',
      'PATCH 200 Mover',
      'GET 200 Reconciliation',
      'PATCH 200 Leaver',
      'DELETE 204 Hard delete',
      'GET 404 Hard delete',
    ]);
    expect(
      exchanges.every((summary) => summary.source === 'demo' && summary.principal === 'console demo'),
    ).toBe(true);
    expect(exchanges[8]!.changes).toMatchObject([
      { kind: 'patched', deactivated: true, resourceType: 'User' },
    ]);
    expect(harness.scimConsole.demo).toMatchObject({ running: false, runs: 1 });
    expect(harness.scimConsole.demo.error).toBeUndefined();
    const steps = received
      .filter((event) => event.event === 'demo')
      .map((event) => JSON.parse(event.data).step);
    expect(steps.filter((step, i) => step !== undefined && step !== steps[i - 1])).toEqual(
      joinerMoverLeaver({ hardDelete: true }).map((entry) => entry.step),
    );

    // A second run works against the same server: it uses identifiers of its own.
    await harness.scimConsole.runDemo();
    expect(harness.scimConsole.demo).toMatchObject({ running: false, runs: 2 });
    expect(harness.scimConsole.demo.error).toBeUndefined();
  });

  it('has no demo without a SCIM token for it', async () => {
    harness = await startHarness({ console: { demo: undefined as never } });
    const { createScimConsole } = await import('./console.js');
    const bare = createScimConsole();
    expect(bare.demo.available).toBe(false);
    await expect(bare.runDemo()).rejects.toThrow('needs a SCIM token');
  });

  it('ends open streams when the console closes', async () => {
    harness = await startHarness();
    const response = await events(harness);
    const reading = readEvents(response, () => false, 5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    harness.scimConsole.close();
    const { events: received } = await reading;
    expect(received.map((event) => event.event)).toEqual(['hello']);
  });
});
