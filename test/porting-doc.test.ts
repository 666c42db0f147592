/**
 * The worked port at the end of docs/porting.md (§13, the Pima notebook) is real
 * code: its TypeScript cells, joined in order, run as one script.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');

describe('docs/porting.md §13', () => {
  it('runs as written, cell after cell', { timeout: 180_000 }, async () => {
    const guide = readFileSync(join(root, 'docs/porting.md'), 'utf8');
    const section = guide.slice(guide.indexOf('## 13.'), guide.indexOf('## 14.'));
    const cells = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(cells).toHaveLength(8);
    // Fewer epochs: this checks that the code runs, not how well it learns (test/examples.test.ts does).
    const script = cells.join('\n').replaceAll('epochs: 150', 'epochs: 3');

    // Inside the repository, so that 'keras-like' resolves; the CSV under the notebook's name.
    const dir = mkdtempSync(join(root, '.porting-test-'));
    try {
      copyFileSync(join(root, 'examples/data/pima_indians_diabetes.csv'), join(dir, 'pima-indians-diabetes.csv'));
      writeFileSync(join(dir, 'notebook.ts'), script);
      const { stdout } = await promisify(execFile)(tsx, ['notebook.ts'], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });

      expect(stdout).toMatch(/Total params: 221\b/);
      expect(stdout).toContain('Epoch 3/3');
      expect(stdout).toMatch(/Accuracy: \d+\.\d\d\n/);
      expect(stdout.match(/^\[[0-9.,]+\] => [01] \(expected [01]\)$/gm)).toHaveLength(5);
      // Cell 8 wrote a PNG (its 8-byte signature).
      expect(readFileSync(join(dir, 'accuracy.png')).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
