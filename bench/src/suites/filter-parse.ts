import type { FilterParser } from '../adapters/peers.js';
import { PEER_PARSERS } from '../adapters/peers.js';
import type { ScimkitAdapters } from '../adapters/scimkit.js';
import { filterCorpus } from '../corpus/filters.js';
import { budgetFor, type Recorder, type RunOptions } from '../harness.js';

const SUITE = 'filter-parse';

/** Which corpus filters a parser accepts (untimed). */
export function accepted(parser: FilterParser, texts: readonly string[]): boolean[] {
  return texts.map((text) => {
    try {
      parser.parse(text);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Parses the ≥200-filter corpus. Every library is timed on the filters ALL of them accept
 * (apples to apples); libraries that accept the whole corpus are also timed on all of it.
 */
export async function runFilterParse(
  recorder: Recorder,
  options: RunOptions,
  scimkit: ScimkitAdapters,
): Promise<void> {
  const texts = filterCorpus().map((f) => f.text);
  const parsers: FilterParser[] = [...(scimkit.parser ? [scimkit.parser] : []), ...PEER_PARSERS];
  const acceptance = new Map(parsers.map((p) => [p.name, accepted(p, texts)]));
  const common = texts.filter((_, i) => parsers.every((p) => acceptance.get(p.name)![i]));
  console.log(`\n# ${SUITE}: ${texts.length} filters, ${common.length} accepted by every parser`);
  for (const p of parsers) {
    const rejected = acceptance.get(p.name)!.filter((ok) => !ok).length;
    if (rejected > 0) console.log(`  ${p.name} rejects ${rejected} of ${texts.length}`);
  }
  const budget = budgetFor(options);
  const commonCase = `common corpus (${common.length} filters)`;
  for (const p of parsers) {
    await recorder.run(
      {
        suite: SUITE,
        case: commonCase,
        library: p.name,
        unit: `parse ${common.length} filters`,
        ...(p.note ? { note: p.note } : {}),
      },
      {
        fn: () => {
          for (let i = 0; i < common.length; i++) p.parse(common[i]!);
        },
      },
      budget,
    );
  }
  const fullCase = `full corpus (${texts.length} filters)`;
  const entries = [];
  for (const p of parsers) {
    const rejected = acceptance.get(p.name)!.filter((ok) => !ok).length;
    const base = { suite: SUITE, case: fullCase, library: p.name, unit: `parse ${texts.length} filters` };
    if (rejected > 0) {
      recorder.skip(base, `rejects ${rejected} of ${texts.length} filters`);
      continue;
    }
    entries.push({
      base,
      spec: {
        fn: () => {
          for (let i = 0; i < texts.length; i++) p.parse(texts[i]!);
        },
      },
    });
  }
  await recorder.runCase(entries, budget);
}
