/**
 * Runs each example as a user would (`tsx examples/<name>.ts`, in a child process)
 * and checks that what it prints makes sense. Long trainings are shortened with
 * the EPOCHS variable every example reads.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
// Each run is a fresh process that trains; generous limits, for a busy CI machine.
const TIMEOUT = { timeout: 180_000 };
const S10_TIMEOUT = { timeout: 360_000 };

async function runExample(name: string, env: Record<string, string>): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(tsx, [`examples/${name}`], {
      cwd: root,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    // The wasm runtime re-throws an uncaught error from inside its one-line bundle, which
    // Node then prints in full: keep the readable lines, the error and its stack.
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    const readable = stderr.split('\n').filter((line) => line.length < 300).join('\n').trim();
    throw new Error(`examples/${name} failed:\n${readable}`);
  }
}

/** The number printed after `label` on its line. */
function printedNumber(output: string, label: string): number {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}\\s*(-?[0-9.]+(?:e[-+]?[0-9]+)?)`).exec(output);
  if (match === null) throw new Error(`"${label}" not found in the output:\n${output}`);
  return Number(match[1]);
}

describe('examples/pima-diabetes.ts (the README demo)', () => {
  it('prints the summary, one progress line per epoch and an accuracy above 70% after the full 150 epochs', TIMEOUT, async () => {
    // The notebook's full run (150 epochs, batch 10) takes seconds, so it is what runs here.
    const epochs = 150;
    const output = await runExample('pima-diabetes.ts', {});

    // 8·12+12 + 12·8+8 + 8·1+1 = 108 + 104 + 9 = 221 weights.
    expect(output).toMatch(/Total params: 221\b/);
    expect(output).toContain(`Epoch 1/${epochs}`);
    expect(output).toContain(`Epoch ${epochs}/${epochs}`);
    expect(output).toMatch(/77\/77 \[=+\] .* - loss: [0-9.]+ - accuracy: [0-9.]+/);
    // 65.1% of the rows are negatives: above 70% the network has learned something.
    expect(printedNumber(output, 'Accuracy:')).toBeGreaterThan(70);
    expect(output).toMatch(/\[6,148,72,35,0,33\.6,0\.627,50\] => [01] \(expected 1\)/);
  });
});

describe('examples/weight-height-regression.ts', () => {
  it('finds a slope within 10% of the least-squares slope', TIMEOUT, async () => {
    const output = await runExample('weight-height-regression.ts', { EPOCHS: '30' });
    // One neuron on one input: a weight and a bias.
    expect(output).toMatch(/Total params: 2\b/);

    // Least squares computed here, from the CSV: m = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)², b = ȳ − m·x̄.
    const rows = readFileSync(new URL('../examples/data/weight_height.csv', import.meta.url), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','));
    const heights = rows.map((row) => Number(row[1]));
    const weights = rows.map((row) => Number(row[2]));
    const meanX = heights.reduce((s, v) => s + v, 0) / heights.length;
    const meanY = weights.reduce((s, v) => s + v, 0) / weights.length;
    let sxy = 0;
    let sxx = 0;
    heights.forEach((x, i) => {
      sxy += (x - meanX) * (weights[i] - meanY);
      sxx += (x - meanX) ** 2;
    });
    const leastSquaresSlope = sxy / sxx;
    const leastSquaresIntercept = meanY - leastSquaresSlope * meanX;

    const slope = printedNumber(output, 'slope m =');
    const intercept = printedNumber(output, 'intercept b =');
    expect(Math.abs(slope - leastSquaresSlope) / leastSquaresSlope).toBeLessThan(0.1);
    expect(Math.abs(intercept - leastSquaresIntercept) / Math.abs(leastSquaresIntercept)).toBeLessThan(0.1);
    // The model's prediction at 70 in is the printed line evaluated there.
    const predicted = printedNumber(output, 'predicted weight at 70 in:');
    expect(predicted).toBeCloseTo(slope * 70 + intercept, 1);
  });
});

describe('examples/s10-optimizers.ts', () => {
  /** The comparison table and its note: the lines from its title to the end of the output. */
  function comparisonTable(output: string): string {
    const start = output.indexOf('Pima diabetes (standardised), 8-12-8-1 network');
    expect(start).toBeGreaterThanOrEqual(0);
    return output.slice(start).trim();
  }

  /** The table's body: the lines after title, header and rule, up to the first blank line. */
  function tableRows(table: string): string[] {
    const lines = table.split('\n').slice(3);
    const end = lines.indexOf('');
    return end === -1 ? lines : lines.slice(0, end);
  }

  it('runs every ported cell and prints the same comparison table twice with the same seed', S10_TIMEOUT, async () => {
    const env = { EPOCHS: '8', SEED: '3' };
    const first = await runExample('s10-optimizers.ts', env);
    const second = await runExample('s10-optimizers.ts', env);

    // The ported cells ran: the one-neuron regression found y = 2x + 1.
    const line = /one neuron, Adam\(0\.9\): m = (\S+), b = (\S+) /.exec(first);
    expect(line).not.toBeNull();
    expect(Number(line![1])).toBeCloseTo(2, 1);
    expect(Number(line![2])).toBeCloseTo(1, 1);
    expect(first).toContain('relu([-3, -1, 0, 2, 5]) = [0,0,0,2,5]');

    const table = comparisonTable(first);
    expect(comparisonTable(second)).toBe(table);
    const rows = tableRows(table);
    expect(rows.map((row) => row.split(/\s{2,}/)[0])).toEqual([
      'SGD(lr=0.01)',
      'SGD(lr=0.01, momentum=0.9)',
      'SGD(lr=0.01, momentum=0.9, nesterov)',
      'Adagrad(lr=0.01)',
      'Adadelta(lr=1.0, rho=0.95)',
      'Adam(lr=0.001)',
      'Adam(lr=0.001, amsgrad)',
      'SGD(lr=0.01, clipnorm=1)',
      'SGD(lr=0.01, clipvalue=0.5)',
    ]);
    for (const row of rows) {
      const [, loss, accuracy] = row.split(/\s{2,}/);
      expect(Number(loss)).toBeGreaterThan(0);
      expect(Number(accuracy)).toBeGreaterThan(0);
      expect(Number(accuracy)).toBeLessThanOrEqual(1);
    }

    // The lesson's first claim: momentum gets further than plain SGD in the same number of steps.
    const finalLoss = (label: string) => Number(rows.find((row) => row.startsWith(`${label}  `))!.split(/\s{2,}/)[1]);
    expect(finalLoss('SGD(lr=0.01, momentum=0.9)')).toBeLessThan(finalLoss('SGD(lr=0.01)'));

    // A different seed starts from other weights, so the numbers change.
    const other = await runExample('s10-optimizers.ts', { EPOCHS: '8', SEED: '4' });
    expect(tableRows(comparisonTable(other))).not.toEqual(rows);
  });
});

describe('examples/backprop-check.ts', () => {
  it('agrees with TensorFlow.js autodiff on δ, ∂C/∂b and ∂C/∂W', TIMEOUT, async () => {
    const output = await runExample('backprop-check.ts', {});

    for (const quantity of ['δ² (4×1)', 'δ¹ (4×3)', '∂C/∂b¹ (3)', '∂C/∂W¹ (2×3)']) expect(output).toContain(quantity);
    // Every check prints its difference; float32 round-off is far below 1e-5.
    const differences = [...output.matchAll(/max \|keras-like − autodiff\| = ([0-9.e+-]+)/g)].map((m) => Number(m[1]));
    expect(differences).toHaveLength(5);
    for (const difference of differences) expect(difference).toBeLessThan(1e-5);
    expect(printedNumber(output, 'max difference over all checks:')).toBeLessThan(1e-5);
    // The notebook's misprint (σ(z) for σ'(z)) is visibly not the gradient.
    expect(printedNumber(output, "With σ(z¹) in place of σ'(z¹): max |difference from autodiff| =")).toBeGreaterThan(1e-3);
  });
});

describe('examples/s14-cnn.ts (the S14 notebook: a Conv2D / MaxPooling2D network)', () => {
  it('prints Keras\'s summary of the CNN and reaches ≥ 90% test accuracy on the generated strokes', TIMEOUT, async () => {
    const output = await runExample('s14-cnn.ts', { EPOCHS: '4' });
    expect(output).toContain('x_train shape: [900, 16, 16, 1]');
    // Conv2D 3·3·1·32 + 32 = 320; Conv2D 3·3·32·64 + 64 = 18496; Dense 2·2·64·3 + 3 = 771.
    expect(output).toMatch(/\(None, 14, 14, 32\)\s+320\b/);
    expect(output).toMatch(/\(None, 5, 5, 64\)\s+18,?496\b/);
    expect(output).toMatch(/\(None, 256\)/);
    expect(output).toMatch(/Total params: 19,?587\b/);
    expect(printedNumber(output, 'Test accuracy:')).toBeGreaterThanOrEqual(90);
  });
});

describe('examples/s14-convolution.ts (S14\'s convolution cells and its three models)', () => {
  it("gives SciPy's convolve2d results, Keras's summaries, and trains model3 with EarlyStopping", TIMEOUT, async () => {
    const output = await runExample('s14-convolution.ts', { EPOCHS: '1', SAMPLES: '64' });
    // scipy.signal.convolve2d on the notebook's I and K (run with SciPy 1.17).
    expect(output).toContain("convolve2d(I, K, mode='valid'): [[4,3,4],[2,4,3],[2,3,4]]");
    expect(output).toContain("convolve2d(I, K, mode='valid'): [[-2,0,2],[-1,-1,0],[1,0,-2]]");
    expect(output).toContain("convolve2d(I, K, mode='same'): [[1,2,3,2,1],[-2,-2,0,2,2],[-1,-1,-1,0,0],[1,1,0,-2,-2],[0,-1,-2,-2,-1]]");
    expect(output).toContain('K (horizontal edges) max |response| = 3 on rows 3, 4, 9, 10');
    // Hand-derived parameter counts: 3·3·1·64 + 64 = 640; 3·3·64·32 + 32 = 18464; 24·24·32·100 + 100; 12·12·32·100 + 100.
    expect(output).toMatch(/\(None, 13, 13, 64\)\s+0\b/);
    expect(output).toMatch(/Total params: 266,610\b/);
    expect(output).toMatch(/\(None, 24, 24, 32\)\s+18464\b/);
    expect(output).toMatch(/Total params: 1,863,414\b/);
    expect(output).toMatch(/\(None, 12, 12, 32\)\s+0\b/);
    expect(output).toMatch(/Total params: 481,014\b/);
    expect(output).toMatch(/model3 trained 1 epochs; val_accuracy/);
  });
});

describe('examples/s16-rnn.ts', () => {
  it("builds the notebook's recurrent models, classifies the ten reviews and forecasts the series", TIMEOUT, async () => {
    const output = await runExample('s16-rnn.ts', { EPOCHS: '30' });
    // Parameters by Keras's formulas: Dense 3·2+2; LSTM(u) on f features 4·(u·(f+u)+u).
    const totals = [...output.matchAll(/Total params: ([0-9,]+)/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    expect(totals).toEqual([
      8, // Dense(2, input_dim=3)
      12, // RepeatVector → LSTM(1): 4·(1·2+1)
      12, // LSTM(1) on (10, 1)
      48, // LSTM(1) on (10, 10): 4·(1·11+1)
      5250, // LSTM(20) 1760 + LSTM(20) 3280 + TimeDistributed(Dense(10)) 210
      5250, // the same with RNN(LSTMCell(20))
      433, // Embedding(50, 8) 400 + Dense(1) on 32: 33
      336673, // Embedding(10000, 32) 320000 + LSTM(32) 8320 ×2 + Dense 33
      1316609, // Embedding(10000, 128) 1280000 + Conv1D(32, 7) 28704 + Dense on 247·32: 7905
    ]);
    // one_hot gives one integer in [1, 50) per word; pad_sequences makes 10 rows of 4.
    const encoded = JSON.parse(/^\[\[.*\]\]$/m.exec(output)![0]) as number[][];
    expect(encoded.map((d) => d.length)).toEqual([2, 2, 2, 2, 1, 1, 2, 2, 2, 4]);
    expect(encoded.flat().every((i) => Number.isInteger(i) && i >= 1 && i < 50)).toBe(true);
    // The notebook's tutorial reaches 100% (89.99% on some runs) on its ten training reviews.
    expect(printedNumber(output, 'Accuracy:')).toBeGreaterThanOrEqual(80);
    expect(output).toMatch(/\[ 1080, 3, 8 \] \[ 1080, 1 \] \[ 357, 3, 8 \] \[ 357, 1 \]/);
    expect(output).toContain('Epoch 30/30');
    const rmse = printedNumber(output, 'Test RMSE:');
    const naive = printedNumber(output, 'Naive (last hour) RMSE:');
    expect(rmse).toBeGreaterThan(0);
    // A trained forecaster is in the league of the naive one; an untrained one is off by the series' scale (~100).
    expect(rmse).toBeLessThan(1.5 * naive);
  });
});

describe('examples/s17-lstm-forecast.ts', () => {
  it('trains the LSTM on the airline series with EarlyStopping, forecasts the test months and plots them', TIMEOUT, async () => {
    // OUTPUT_DIR keeps the committed examples/output/s17-lstm-forecast.png as it is.
    const outputDir = mkdtempSync(join(tmpdir(), 's17-'));
    onTestFinished(() => rmSync(outputDir, { recursive: true, force: true }));
    const output = await runExample('s17-lstm-forecast.ts', { EPOCHS: '100', OUTPUT_DIR: outputDir });
    // LSTM(6) on 12 features: 4·(6·(12 + 6) + 6) = 456, then Dense(1) 7.
    expect(output).toMatch(/Total params: 463\b/);
    const rmse = printedNumber(output, 'Test RMSE:');
    const naive = printedNumber(output, 'Naive (last month) RMSE:');
    expect(rmse).toBeGreaterThan(0);
    // A trained forecaster is in the league of the naive one (43 vs 48 on the recorded run); an untrained one is off by ~200.
    expect(rmse).toBeLessThan(1.5 * naive);
    expect(output).toMatch(/wrote .*s17-lstm-forecast\.png/);
  });
});
