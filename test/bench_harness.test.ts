/**
 * The benchmark harness's pieces (bench/): deterministic data, FLOP and step
 * counts, medians and target checks, the dispatch counter. No timing here:
 * timings live in `pnpm bench`, never in unit tests.
 */
import { describe, expect, it } from 'vitest';
import { tf } from 'keras-like';
import type { TrainResult } from '../bench/child.js';
import { binaryDataset, categoricalDataset, denseWeights, imageDataset, seededUniform } from '../bench/data.js';
import { countDispatches } from '../bench/dispatch-count.js';
import { recordKernelCalls, timeAlone } from '../bench/kernel-calls.js';
import {
  type BackendReport,
  checkTargets,
  crossBackendCheck,
  fastestTfjsLayersBackend,
  formatTable,
  optimizerStepRatios,
  type WorkloadReport,
  workloadSpeedup,
} from '../bench/report.js';
import { resultsMarkdown } from '../bench/markdown.js';
import { median, summarize } from '../bench/stats.js';
import { stepsPerEpoch, trainingFlopsPerEpoch, trainingWorkload } from '../bench/workloads.js';

describe('bench data', () => {
  it('is the same for the same seed, in every process', () => {
    const a = binaryDataset(768, 8, 1234);
    const b = binaryDataset(768, 8, 1234);
    expect(a.x).toEqual(b.x);
    expect(a.y).toEqual(b.y);
    expect(binaryDataset(768, 8, 99).x).not.toEqual(a.x);
  });

  it('draws uniform numbers in [0, 1)', () => {
    const uniform = seededUniform(7);
    const draws = Array.from({ length: 10_000 }, uniform);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    // The mean of U[0, 1) is 1/2; over 10⁴ draws its standard error is 1/√(12·10⁴) ≈ 0.003.
    expect(draws.reduce((s, v) => s + v, 0) / draws.length).toBeCloseTo(0.5, 1);
  });

  it('makes a Pima-shaped binary problem with both classes well represented', () => {
    const data = binaryDataset(768, 8, 1234);
    expect([data.n, data.features, data.classes, data.x.length, data.y.length]).toEqual([768, 8, 1, 6144, 768]);
    expect(data.y.every((v) => v === 0 || v === 1)).toBe(true);
    const positive = data.y.reduce((s, v) => s + v, 0) / data.n;
    expect(positive).toBeGreaterThan(0.3);
    expect(positive).toBeLessThan(0.7);
  });

  it('makes one-hot categorical targets', () => {
    const data = categoricalDataset(64, 784, 10, 1234);
    expect(data.x.length).toBe(64 * 784);
    for (let i = 0; i < data.n; i++) {
      const row = Array.from(data.y.subarray(i * 10, i * 10 + 10));
      expect(row.filter((v) => v === 1)).toHaveLength(1);
      expect(row.filter((v) => v === 0)).toHaveLength(9);
    }
    expect(categoricalDataset(64, 784, 10, 1234).y).toEqual(data.y);
  });

  it("makes W4's images: pixels in [0, 1), one-hot targets, a class signal in 4×4 blocks", () => {
    const data = imageDataset(512, 28, 10, 1234);
    expect([data.n, data.features, data.classes, data.x.length, data.y.length]).toEqual([512, 784, 10, 512 * 784, 5120]);
    expect(data.x.every((v) => v >= 0 && v < 1)).toBe(true);
    for (let i = 0; i < data.n; i++) expect(data.y.subarray(i * 10, i * 10 + 10).reduce((s, v) => s + v, 0)).toBe(1);
    expect(imageDataset(512, 28, 10, 1234).x).toEqual(data.x);
    // A strong signal: the nearest class mean on the 7×7 block averages labels nearly every sample whose
    // label was not replaced (90%), clearly more than on categoricalDataset's faint per-pixel prototypes.
    const blockAccuracy = (d: typeof data) => {
      const blocks = (i: number) =>
        Array.from({ length: 49 }, (_, b) => {
          let sum = 0;
          for (let r = 0; r < 4; r++) for (let q = 0; q < 4; q++) sum += d.x[i * 784 + (Math.floor(b / 7) * 4 + r) * 28 + (b % 7) * 4 + q]!;
          return sum / 16;
        });
      const label = (i: number) => d.y.subarray(i * 10, i * 10 + 10).indexOf(1);
      const means = Array.from({ length: 10 }, () => new Array<number>(49).fill(0));
      const counts = new Array<number>(10).fill(0);
      for (let i = 0; i < 256; i++) {
        blocks(i).forEach((v, b) => (means[label(i)]![b]! += v));
        counts[label(i)]!++;
      }
      let right = 0;
      for (let i = 256; i < d.n; i++) {
        const v = blocks(i);
        const distance = (c: number) => v.reduce((s, vb, b) => s + (vb - means[c]![b]! / counts[c]!) ** 2, 0);
        if (label(i) === [...means.keys()].reduce((best, c) => (distance(c) < distance(best) ? c : best), 0)) right++;
      }
      return right / (d.n - 256);
    };
    expect(blockAccuracy(data)).toBeGreaterThan(0.85);
    expect(blockAccuracy(data)).toBeGreaterThan(blockAccuracy(categoricalDataset(512, 784, 10, 1234)) + 0.15);
  });

  it('starts both contenders from Glorot-uniform kernels and zero biases', () => {
    const [first, second, third] = denseWeights([8, 12, 8, 1], 5678);
    expect([first!.kernel.length, second!.kernel.length, third!.kernel.length]).toEqual([96, 96, 8]);
    // Glorot uniform: |w| ≤ √(6 / (fan_in + fan_out)); for 8 → 12 that is √0.3 ≈ 0.548.
    expect(Math.max(...first!.kernel.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 20));
    expect(Array.from(first!.bias)).toEqual(new Array(12).fill(0));
    expect(denseWeights([8, 12, 8, 1], 5678)[0]!.kernel).toEqual(first!.kernel);
  });
});

describe('bench workloads', () => {
  it('counts steps as ceil(samples / batch)', () => {
    expect(stepsPerEpoch(trainingWorkload('W1', false))).toBe(77); // 768 / 10 = 76.8
    expect(stepsPerEpoch(trainingWorkload('W2', false))).toBe(64); // 8192 / 128
    expect(stepsPerEpoch(trainingWorkload('W2', true))).toBe(16); // 2048 / 128, for 2 epochs
  });

  it('counts training FLOPs as 3 × 2·m·n·k per matMul', () => {
    // W1 per sample: 2·(8·12 + 12·8 + 8·1) = 400 forward, ×3 = 1200; × 768 samples.
    expect(trainingFlopsPerEpoch(trainingWorkload('W1', false))).toBe(921_600);
    // W2 per sample: 2·(784·256 + 256·256 + 256·10) = 537 600, ×3 = 1 612 800; × 8192 samples.
    expect(trainingFlopsPerEpoch(trainingWorkload('W2', false))).toBe(13_212_057_600);
  });
});

function run(contender: TrainResult['contender'], wallMs: number, evalAccuracy: number, maxRssMB: number): TrainResult {
  return {
    kind: 'train',
    contender,
    workload: 'W1',
    backend: 'wasm',
    wallMs,
    cpuMs: wallMs * 0.9,
    steps: 1540,
    msPerStep: wallMs / 1540,
    stepsPerSec: 1540_000 / wallMs,
    maxRssMB,
    finalLoss: 0.4,
    finalAccuracy: evalAccuracy,
    evalAccuracy,
    gflops: 0.001,
    tensorsRetained: 12,
    stepsPerEpoch: 77,
  };
}

describe('bench statistics and targets', () => {
  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('summarizes runs by their medians and keeps the dispatch counts per step', () => {
    const runs = [run('keras-like', 1000, 0.8, 200), run('keras-like', 3000, 0.82, 210), run('keras-like', 1200, 0.81, 190)];
    runs[0]!.dispatchesPerEpoch = {
      kernels: 770,
      syncReads: 1,
      asyncReads: 0,
      byKernel: { _FusedMatMul: 462, Adam: 308 },
      msByKernel: { _FusedMatMul: 77, Adam: 154 },
    };
    const summary = summarize(runs);
    expect(summary.runs).toBe(3);
    expect(summary.wallMs).toBe(1200);
    expect(summary.evalAccuracy).toBe(0.81);
    expect(summary.maxRssMB).toBe(200);
    expect(summary.dispatches?.kernelsPerStep).toBe(10); // 770 / 77
    expect(summary.dispatches?.topKernels).toEqual([['_FusedMatMul', 6], ['Adam', 4]]);
    expect(summary.dispatches?.slowestKernels).toEqual([['Adam', 2], ['_FusedMatMul', 1]]); // ms / 77 steps
    expect(summary.dispatches?.kernelMsPerStep).toBe(3);
  });

  it('checks the issue 8 targets from the medians', () => {
    const contenders = {
      'keras-like': summarize([run('keras-like', 1000, 0.8, 200)]),
      'tfjs-layers': summarize([run('tfjs-layers', 5000, 0.81, 190)]),
    };
    const w1: WorkloadReport = {
      id: 'W1',
      description: 'W1',
      steps: 1540,
      flopsPerEpoch: 921_600,
      contenders,
      unavailable: {},
      speedup: workloadSpeedup({ contenders }),
      cpuSpeedup: workloadSpeedup({ contenders }, 'cpuMs'),
    };
    expect(w1.speedup).toBe(5);
    expect(w1.cpuSpeedup).toBeCloseTo(5); // 4500 / 900
    const checks = checkTargets('wasm', [w1], null);
    expect(checks.map((c) => c.met)).toEqual([true, true, true]); // 5× ≥ 4×; 200 ≤ 1.1·190; 1 point ≤ 2
    expect(checks[0]!.measured).toBe('5.00×');

    const missing = checkTargets('wasm', [{ ...w1, contenders: { 'tfjs-layers': contenders['tfjs-layers'] }, speedup: null, cpuSpeedup: null }], null);
    expect(missing.map((c) => c.met)).toEqual([null, null, null]);
  });

  describe('the cross-backend W1 target', () => {
    const report = (backend: string, ours: number, theirs: number) =>
      ({
        backend,
        workloads: [
          {
            id: 'W1',
            contenders: {
              'keras-like': summarize([run('keras-like', ours, 0.8, 200)]),
              'tfjs-layers': summarize([run('tfjs-layers', theirs, 0.8, 200)]),
            },
            speedup: theirs / ours,
          },
        ],
      }) as unknown as BackendReport;

    it('takes the ratio from the alternated cross-backend block, against tfjs-layers on its fastest backend', () => {
      const wasm = report('wasm', 1000, 6000);
      wasm.crossBackend = {
        oursBackend: 'wasm',
        theirsBackend: 'cpu',
        ours: summarize([run('keras-like', 800, 0.8, 200)]),
        theirs: summarize([run('tfjs-layers', 3600, 0.8, 200)]),
        speedup: 4.5, // 3600 / 800
      };
      const cpu = report('cpu', 900, 3000); // tfjs-layers's fastest: 3000 ms on cpu against 6000 on wasm
      expect(fastestTfjsLayersBackend([cpu, wasm])).toBe('cpu');
      const check = crossBackendCheck([cpu, wasm], 'wasm');
      expect(check.measured).toBe('4.50× (tfjs-layers fastest on cpu)');
      expect(check.met).toBe(true);
    });

    it('does not divide medians of runs that were not alternated', () => {
      // 3000 / 1000 would be a ratio of runs minutes apart: reported as not measured instead.
      const check = crossBackendCheck([report('cpu', 900, 3000), report('wasm', 1000, 6000)], 'wasm');
      expect(check.measured).toBe('not measured side by side (tfjs-layers fastest on cpu)');
      expect(check.met).toBeNull();
    });

    it("uses the default backend's own alternated W1 block when tfjs-layers is fastest there", () => {
      const check = crossBackendCheck([report('cpu', 900, 5000), report('wasm', 1000, 4200)], 'wasm');
      expect(check.measured).toBe('4.20× (tfjs-layers fastest on wasm)');
      expect(check.met).toBe(true);
    });
  });

  it('reads W3 ratios back from bench/optimizer-step.ts output and checks the ≥ 1× target', () => {
    const output = [
      'W3 optimizer step: Adam, backend wasm, 4 alternating blocks (quick)',
      '',
      '~1M parameters (784x1024, 1024, 1024x192, 192)',
      '  keras-like optimizers.Adam     2.10 ms per step (median of 4 blocks)',
      '  tf.train.adam                  2.52 ms per step (median of 4 blocks)',
      '  ratio tf.train.adam / keras-like: 1.20x',
      '',
      'classroom net 8-12-8-1 (221 parameters)',
      '  ratio tf.train.adam / keras-like: 0.95x',
    ].join('\n');
    const ratios = optimizerStepRatios(output);
    expect(ratios).toEqual([
      { workload: '~1M parameters (784x1024, 1024, 1024x192, 192)', ratio: 1.2 },
      { workload: 'classroom net 8-12-8-1 (221 parameters)', ratio: 0.95 },
    ]);
    const [w3] = checkTargets('wasm', [], null, { output, ratios });
    expect(w3).toMatchObject({ measured: '1.20×', met: true });
  });

  it('aligns table columns', () => {
    expect(formatTable(['name', 'ms'], [['a', '1.5'], ['long', '10.25']]).split('\n')).toEqual([
      'name     ms',
      '----  -----',
      'a       1.5',
      'long  10.25',
    ]);
  });
});

describe('bench markdown', () => {
  it('renders a result file as the tables of docs/performance.md', () => {
    const contenders = {
      'keras-like': summarize([run('keras-like', 1000, 0.8, 200)]),
      'tfjs-layers': summarize([run('tfjs-layers', 5000, 0.81, 190)]),
    };
    const w1: WorkloadReport = { id: 'W1', description: 'W1', steps: 1540, flopsPerEpoch: 921_600, contenders, unavailable: {}, speedup: 5, cpuSpeedup: 5 };
    const report: BackendReport = {
      schema: 1,
      date: '2026-11-27',
      backend: 'wasm',
      quick: true,
      repeats: 3,
      machine: {
        cpuModel: 'AMD EPYC',
        cores: 2,
        totalMemoryGB: 8,
        platform: 'linux x64',
        node: 'v20.20.2',
        tfjsCore: '4.22.0',
        tfjsLayers: '4.22.0',
        commit: 'abc1234',
        dirty: false,
        loadAverage: 0.5,
      },
      probe: {
        matMulGflops: 18,
        transposeFlagGflops: 1,
        explicitTransposeGflops: 8,
        biasGradientSumMicros: 500,
        biasGradientMatMulMicros: 35,
        dispatchMicros: 10,
        opMicros: { 'add [10,8]': 10 },
      },
      workloads: [w1],
      optimizerStep: null,
      targets: checkTargets('wasm', [w1], null),
    };
    const md = resultsMarkdown([report]);
    expect(md).toContain('commit `abc1234`');
    expect(md).toContain('| wasm | 18.00 | 1.00 | 8.00 | 500 | 35 | 10.0 |');
    expect(md).toContain('| W1 | wasm | keras-like | 1.00 | 0.90 | 0.649 | 1540 | 200 |');
    expect(md).toContain('| W1 | wasm | **ratio** | **5.00×** | **5.00×** |');
    expect(md).toContain('| W1 on wasm: keras-like ≥ 4× faster than tfjs-layers | 5.00× | met |');

    // With the alternated cross-backend block: its runs get rows of their own.
    report.crossBackend = {
      oursBackend: 'wasm',
      theirsBackend: 'cpu',
      ours: summarize([run('keras-like', 800, 0.8, 200)]),
      theirs: summarize([run('tfjs-layers', 3600, 0.8, 200)]),
      speedup: 4.5,
    };
    const across = resultsMarkdown([report]);
    expect(across).toContain('| W1 | cpu | tfjs-layers | 3.60 |');
    expect(across).toContain('| W1 | wasm / cpu | **ratio across backends** | **4.50×** |');
  });
});

describe('bench dispatch counter', () => {
  it('counts kernels and host reads, then leaves the engine as it was', async () => {
    const a = tf.ones([2, 2]);
    const before = tf.memory().numTensors;
    const { runKernel, readSync, read } = tf.engine();
    const counts = await countDispatches(tf, async () => {
      const b = tf.add(a, a); // one kernel
      const c = tf.matMul(b, b); // one more
      c.dataSync(); // one blocking read
      await c.data(); // one promised read
      tf.dispose([b, c]);
    });
    expect(counts).toMatchObject({ kernels: 2, syncReads: 1, asyncReads: 1 });
    expect(counts.byKernel.Add).toBe(1);
    expect(counts.msByKernel.Add).toBeGreaterThanOrEqual(0);
    expect(tf.engine().runKernel).toBe(runKernel);
    expect(tf.engine().readSync).toBe(readSync);
    expect(tf.engine().read).toBe(read);
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
  });
});

describe('bench kernel calls (W4 conv share)', () => {
  it('records each distinct call of the named kernels, then runs one alone on fresh inputs without leaking', async () => {
    const x = tf.ones([2, 5, 5, 3]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 3, 4]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const { runKernel } = tf.engine();
    const calls = await recordKernelCalls(tf, new Set(['Conv2D']), async () => {
      // Two calls of the same convolution, one with another stride, and a kernel not asked for.
      tf.dispose([tf.conv2d(x, w, 1, 'valid'), tf.conv2d(x, w, 1, 'valid'), tf.conv2d(x, w, 2, 'same'), tf.add(x, x)]);
    });
    expect(tf.engine().runKernel).toBe(runKernel);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ kernel: 'Conv2D', inputs: { x: { shape: [2, 5, 5, 3], dtype: 'float32' }, filter: { shape: [3, 3, 3, 4] } }, outputSize: 2 * 3 * 3 * 4 });
    expect(calls[0]!.attrs).toMatchObject({ strides: 1, pad: 'valid' });
    expect(calls[0]!.ms).toHaveLength(2);
    expect(calls[1]).toMatchObject({ outputSize: 2 * 3 * 3 * 4, attrs: { strides: 2, pad: 'same' } });
    expect(timeAlone(tf, calls[1]!, 1)).toBeGreaterThanOrEqual(0);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w]);
  });

  it('takes the mean of the middle two as the median of an even count', () => {
    expect(median([1, 4])).toBe(2.5);
    expect(median([3, 1, 2])).toBe(2);
  });
});
