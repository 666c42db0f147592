/**
 * docs/backprop.md points each equation at lines of keras-like (`dense.ts#L146`).
 * Lines move when code changes; this test fails when a link no longer lands on
 * the code it names, so the doc is fixed in the same change.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

// What each link of the doc must land on, in the order the links appear.
const EXPECTED: ReadonlyArray<readonly [file: string, code: string]> = [
  ['models/train_step.ts', 'export function trainStep('],
  ['layers/dense.ts', 'override forward('],
  ['models/train_step.ts', 'loss.gradient(y, outputs'],
  ['losses/regression.ts', 'scaled(c, 2 / lastDim(p))'],
  ['layers/dense.ts', 'backwardThroughActivation('],
  ['layers/activation.ts', 'activation.backward(dA'],
  ['activations/builtins.ts', 'tf.mul(a, tf.sub(1, a))'],
  ['activations/builtins.ts', 'tf.step(z)'],
  ['layers/dense.ts', 'BP4: ∂C/∂W = a_prevᵀ · δ'],
  ['layers/dense.ts', 'sumOverRows(delta)'],
  ['layers/dense.ts', 'delta, this.kernel!'],
  ['models/train_step.ts', 'accumulate(dValues, step.inputs[i]!'],
  ['models/train_step.ts', 'export function backpropGraph('],
  ['losses/probabilistic.ts', 'tf.sub(a, smooth(y))'],
  ['models/train_step.ts', 'fusedHere.layer.backwardFromDelta('],
  ['layers/dense.ts', 'backwardFromDelta(delta'],
  ['layers/conv2d.ts', 'override forward('],
  ['layers/conv2d.ts', 'backwardThroughActivation('],
  ['layers/conv2d.ts', 'BP4: ∂C/∂W = x ⋆ δ'],
  ['layers/conv_ops.ts', 'export function conv2dWeightGradients('],
  ['layers/conv_ops.ts', 'function filterGradientFromPatches('],
  ['layers/conv_ops.ts', 'function filterGradientAsConvolution('],
  ['layers/conv2d.ts', 'conv2dWeightGradients(saved.x, delta, this.kernel!.shape, g, this.use_bias)'],
  ['layers/conv_ops.ts', 'tf.sum(tf.reshape(delta, [-1, filters]), 0)'],
  ['layers/conv_ops.ts', 'tf.sum(deltaT, 1)'],
  ['layers/conv2d.ts', 'conv2dBackpropInput(delta, this.kernel!'],
  ['layers/conv_ops.ts', 'export function conv2dBackpropInput('],
  ['layers/conv_ops.ts', 'function rot180Transposed('],
  ['layers/base_pooling.ts', 'maxPoolBackprop(x, pass.saved!'],
  ['layers/base_pooling.ts', 'averagePoolBackprop(x, dy'],
  ['layers/base_conv_transpose.ts', 'const z = conv2d(spread, flipKernel'],
  ['layers/base_conv_transpose.ts', 'backwardThroughActivation('],
  ['layers/base_conv_transpose.ts', 'flipKernel(dWFlipped!)'],
  ['layers/base_conv_transpose.ts', 'conv2dWeightGradients(saved.spread, delta'],
  ['layers/base_conv_transpose.ts', "tf.conv2d(padded as tf.Tensor4D, kernel as tf.Tensor4D, g.strides"],
  ['layers/depthwise_conv.ts', 'const z = depthwiseConv2d(x, kernel'],
  ['layers/depthwise_conv.ts', 'backwardThroughActivation('],
  ['layers/depthwise_conv.ts', 'depthwiseBackpropFilter(saved.x, delta'],
  ['layers/depthwise_ops.ts', 'export function depthwiseBackpropFilter('],
  ['layers/depthwise_conv.ts', 'tf.sum(tf.reshape(delta'],
  ['layers/depthwise_conv.ts', 'depthwiseBackpropInput(delta, kernel'],
  ['layers/depthwise_ops.ts', 'export function depthwiseBackpropInput('],
  ['layers/separable_conv.ts', 'const u = depthwiseConv2d('],
  ['layers/separable_conv.ts', 'backwardThroughActivation('],
  ['layers/separable_conv.ts', 'const deltaU = '],
  ['layers/separable_conv.ts', 'depthwiseBackpropFilter(saved.x, deltaU'],
  ['layers/separable_conv.ts', 'tf.matMul(rows, delta, true, false)'],
  ['layers/separable_conv.ts', 'depthwiseBackpropInput(deltaU'],
  ['layers/zero_padding1d.ts', 'outputs: tf.pad(inputs'],
  ['layers/zero_padding1d.ts', 'inputGradient: tf.slice(dOutputs'],
  ['layers/cropping.ts', 'outputs: tf.slice(inputs'],
  ['layers/cropping.ts', 'inputGradient: tf.pad(dOutputs'],
  ['layers/up_sampling.ts', 'repeatAlong(repeatAlong(x'],
  ['layers/up_sampling.ts', 'sumRepeatsAlong(sumRepeatsAlong(dy'],
  ['layers/up_sampling.ts', 'multiplyAlong(bilinearMatrix(w'],
  ['layers/up_sampling.ts', 'multiplyAlong(tf.transpose(bilinearMatrix(w'],
  ['layers/spatial_dropout.ts', 'outputs: tf.mul(inputs, mask)'],
  ['layers/spatial_dropout.ts', 'tf.mul(dOutputs, pass.saved)'],
  ['layers/rnn/lstm_cell.ts', 'const deltaO = sigma.backward(tf.mul(dh, tape.tanhC)'],
  ['layers/rnn/lstm_cell.ts', 'const dc = tf.add(dcNext'],
  ['layers/rnn/lstm_cell.ts', 'const deltaF = sigma.backward(tf.mul(dc, tape.cPrev)'],
  ['layers/rnn/lstm_cell.ts', 'dStates: [dhPrev, tf.mul(dc, tape.f)]'],
  ['layers/rnn/lstm_cell.ts', 'this.recurrentKernelGradient(tapes.map((t) => t.hPrev), dProjected'],
  ['layers/rnn/lstm_cell.ts', 'const carry = tanh.backward(o, c, tanhC)'],
  ['layers/rnn/lstm_cell.ts', 'const dc = tf.add(dcNext, tf.mul(dh, tape.local.carry))'],
  ['layers/rnn/lstm_cell.ts', 'const delta = tf.mul(tf.concat([dc, dc, dc, dh], 1), tape.local.gates)'],
  ['layers/rnn/lstm_cell.ts', 'dStates: [dhPrev, tf.mul(dc, tape.f)]'],
  ['layers/rnn/simple_rnn_cell.ts', 'tf.mul(dStates[0]!, tape.derivative)'],
  ['layers/rnn/gru_cell.ts', 'const deltaH = this.activation.backward'],
  ['layers/rnn/gru_cell.ts', 'tf.mul(deltaH, tape.r)'],
  ['layers/rnn/gru_cell.ts', 'const aH = this.activation.backward(tf.sub(1, z)'],
  ['layers/rnn/gru_cell.ts', 'const dRecurrent = tf.mul(dhByGate, tape.local.recurrent)'],
  ['layers/rnn/gru_cell.ts', 'private stepBackwardResetBefore('],
  ['layers/rnn/rnn.ts', 'override backward(dOutputList'],
  ['layers/rnn/rnn.ts', 'plus(d, dOut)'],
  ['layers/rnn/rnn.ts', 'const dProjected = tf.concat'],
  ['layers/rnn/rnn.ts', 'cell.inputGradient(sequence, dProjected)'],
  ['layers/rnn/bidirectional.ts', 'private unmerge('],
  ['layers/rnn/bidirectional.ts', 'tf.reverse(dYRev'],
  ['layers/rnn/bidirectional.ts', 'tf.add(dxForward'],
  ['models/train_step.ts', 'export function backpropGraph('],
];

describe('docs/backprop.md', () => {
  const links = [...read('docs/backprop.md').matchAll(/\]\(\.\.\/packages\/keras-like\/src\/([^)#]+)#L(\d+)(?:-L(\d+))?\)/g)].map((m) => ({
    file: m[1],
    first: Number(m[2]),
    last: Number(m[3] ?? m[2]),
  }));

  it('links each equation to the line of keras-like that computes it', () => {
    expect(links.map((link) => link.file)).toEqual(EXPECTED.map(([file]) => file));
    links.forEach((link, i) => {
      const source = read(`packages/keras-like/src/${link.file}`).split('\n');
      const [, code] = EXPECTED[i];
      // Say where the code went, so fixing the doc is one edit.
      const now = source.flatMap((line, n) => (line.includes(code) ? [`#L${n + 1}`] : [])).join(', ') || 'nowhere';
      expect(
        source.slice(link.first - 1, link.last).join('\n'),
        `link ${i + 1}: ${link.file}#L${link.first}-L${link.last} should show ${code} (it is now at ${now})`,
      ).toContain(code);
    });
  });
});
