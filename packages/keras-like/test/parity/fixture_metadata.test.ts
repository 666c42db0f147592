/**
 * Every golden fixture says what produced it (scripts/keras-golden/common.py's header): the Keras
 * version and commit, and the backend its script runs on — torch when the script's first line
 * says `(keras-golden: torch)`, as run.sh picks it — with, on torch, the version common.py
 * records (`1.13.0a0 (Debian python3-torch 1.13.1+dfsg-4)`: Debian's 1.13.1 reports its
 * pre-release tag). A fixture written by hand or by an older script fails here (issue 17: seq2seq.json
 * recorded "1.13.1 (Debian)").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFixture } from './golden.js';

const FIXTURES = new URL('../../../../test/fixtures/keras/', import.meta.url);
const SCRIPTS = new URL('../../../../scripts/keras-golden/', import.meta.url);
const all = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));
const read = (module: string) => JSON.parse(readFileSync(new URL(`${module}.json`, FIXTURES), 'utf8')) as Record<string, unknown>;
// datasets, images and preprocessing predate common.py's header: flat keras_version / keras_commit / numpy_version.
const modules = all.filter((m) => read(m).format === 'keras-golden/1');
const older = all.filter((m) => !modules.includes(m));

describe('golden fixtures record what produced them', () => {
  const commits = new Set([...modules.map((m) => loadFixture(m).keras.commit), ...older.map((m) => read(m).keras_commit)]);
  it('one Keras 3.16.0 commit for all', () => {
    expect(modules.length).toBeGreaterThan(20);
    expect(older.sort()).toEqual(['datasets', 'images', 'preprocessing']);
    for (const m of older) expect([read(m).keras_version, read(m).numpy_version]).toEqual(['3.16.0', '1.24.2']);
    expect([...commits]).toHaveLength(1);
    expect([...commits][0]).toMatch(/^[0-9a-f]{40}$/);
  });
  for (const module of modules) {
    it(`${module}.json: its script, Keras's version and the backend the script runs on`, () => {
      const fixture = loadFixture(module);
      expect(fixture.module).toBe(module);
      expect(fixture.generated_by).toBe(`scripts/keras-golden/${module}.py`);
      const script = readFileSync(new URL(`${module}.py`, SCRIPTS), 'utf8');
      const torch = script.split('\n', 1)[0]!.includes('keras-golden: torch');
      const keras = fixture.keras as typeof fixture.keras & { torch?: string };
      expect(keras.version).toBe('3.16.0');
      expect(keras.backend).toBe(torch ? 'torch' : 'numpy');
      expect(keras.numpy).toBe('1.24.2');
      expect(keras.promotion).toBe('weak');
      if (torch) expect(keras.torch).toMatch(/^\d+\.\d+\.\d+\S* \(Debian python3-torch \d+\.\d+\.\d+\S*\)$/);
      else expect(keras.torch).toBeUndefined();
    });
  }
});
