import { parseFilter } from '@scimkit/filter';
import { filterCorpus } from './corpus/filters.js';
import { PEER_PARSERS } from './adapters/peers.js';
const s2 = PEER_PARSERS.find((p) => p.name === 'scim2-parse-filter')!;
const texts = filterCorpus().map((f) => f.text);
const rows: [number, number, string][] = [];
for (const t of texts) {
  let ok = true; try { s2.parse(t); parseFilter(t, { lenient: true }); } catch { ok = false; }
  if (!ok) continue;
  const time = (fn: () => void) => { let best = Infinity; for (let r = 0; r < 5; r++) { const s = performance.now(); for (let k = 0; k < 20; k++) fn(); best = Math.min(best, performance.now() - s); } return best / 20 * 1000; };
  const a = time(() => parseFilter(t, { lenient: true })); const b = time(() => s2.parse(t));
  rows.push([a, b, t]);
}
rows.sort((x, y) => y[0] - x[0]);
for (const [a, b, t] of rows.slice(0, 12)) console.log(a.toFixed(1) + 'us', b.toFixed(1) + 'us', t.length, t.slice(0, 100));
console.log('total', rows.reduce((s, r) => s + r[0], 0).toFixed(0), rows.reduce((s, r) => s + r[1], 0).toFixed(0));
