import { describe, expect, it } from 'vitest';
import { checkExamples, extractBlocks, formatFailures } from '../docs-examples.mjs';

const root = new URL('../..', import.meta.url).pathname;
const fixtures = ['tools/test/__fixtures__/guide.md', 'tools/test/__fixtures__/source.ts'];

describe('checkExamples', () => {
  it('compiles every ts block of the guides, READMEs and TSDoc comments', () => {
    const { blocks, failures } = checkExamples({ root });
    expect(blocks.length).toBeGreaterThan(100);
    expect(blocks.some((block) => block.file === 'docs/server.md')).toBe(true);
    expect(blocks.some((block) => block.file === 'packages/server/src/adapters/node.ts')).toBe(true);
    expect(formatFailures(failures), 'code blocks of the documentation that do not compile').toBe('');
  });

  it('names file, line and TypeScript error of a block that does not compile', () => {
    const { failures } = checkExamples({ root, files: fixtures });
    const found = failures.map(
      ({ file, line, code }) => `${file.replace('tools/test/__fixtures__/', '')}:${line} ${code}`,
    );
    expect(found.sort()).toEqual([
      'guide.md:16 TS2322', // continued: `filter` is known, but its kind is no number
      'guide.md:24 TS1109', // partial, but not even TypeScript
      'guide.md:34 TS2345', // parseFilter(42)
      'source.ts:13 TS2552', // undefinedName, in a TSDoc example that continues the one before
      'source.ts:20 continued', // a continued example with nothing before it in its comment...
      'source.ts:21 TS2304', // ...is compiled alone, without the imports of the other comment
      'source.ts:21 TS2304',
    ]);
    const wrongArgument = failures.find((failure) => failure.line === 34);
    expect(wrongArgument?.message).toContain("Argument of type 'number'");
  });
});

describe('extractBlocks', () => {
  it('reads ts fences of markdown with their markers and first code line', () => {
    const blocks = extractBlocks(
      'x.md',
      '# x\n\n```ts\nconst a = 1;\n```\n\n```ts partial continued\nb\n```\n',
    );
    expect(blocks).toEqual([
      { file: 'x.md', line: 4, code: 'const a = 1;', partial: false, continued: false, scope: 'x.md' },
      { file: 'x.md', line: 8, code: 'b', partial: true, continued: true, scope: 'x.md' },
    ]);
  });

  it('reads ts fences of doc comments only, without their leading asterisks', () => {
    const source = [
      '// ```ts',
      '/**',
      ' * @example',
      ' * ```ts',
      ' * const a = 1;',
      ' *   const b = 2;',
      ' * ```',
      ' */',
      'const c = "```ts";',
    ].join('\n');
    const [block, ...rest] = extractBlocks('x.ts', source);
    expect(rest).toEqual([]);
    expect(block).toMatchObject({ line: 5, code: 'const a = 1;\n  const b = 2;' });
  });
});
