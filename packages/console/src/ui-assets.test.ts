import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UI_ASSETS } from './ui-assets.generated.js';

const root = fileURLToPath(new URL('..', import.meta.url));

describe('the embedded console page', () => {
  it('is what ui/ holds (run `pnpm --filter @scimkit/console embed-ui` after changing ui/)', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/embed-ui.mjs', '--check'], { cwd: root, stdio: 'pipe' }),
    ).not.toThrow();
    expect(UI_ASSETS['console.js']?.body).toBe(readFileSync(`${root}/ui/console.js`, 'utf8'));
  });

  it('renders network data as text only: no HTML sinks, no eval, no inline script or style', () => {
    const script = UI_ASSETS['console.js']!.body;
    for (const sink of [
      'innerHTML',
      'outerHTML',
      'insertAdjacentHTML',
      'document.write',
      'eval(',
      'new Function',
      "setAttribute('style'",
    ]) {
      expect(script).not.toContain(sink);
    }
    const html = UI_ASSETS['index.html']!.body;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/);
  });
});
