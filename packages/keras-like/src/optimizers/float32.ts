/**
 * Keras's float32 scalars. Keras 3 casts an optimizer's hyperparameters to the variable's
 * dtype before using them (`ops.cast(self.beta_1, variable.dtype)`), so the learning rate,
 * β and the powers βᵗ of the bias corrections are float32 values computed by float32 ops.
 * A float64 computation of the same formula differs where it shows: 1 − 0.999ᵗ is
 * 0.000999987 from β₂ held as float32, not 0.001, a 1.3e-5 relative change of Adam's
 * first step. The rules round such scalars with `f32` where Keras computes them in float32
 * (docs/optimizers.md, "float32 scalars"); per-element arithmetic stays in float64 and is
 * rounded once when stored, which is within one float32 rounding of Keras's element ops.
 */
export const f32 = Math.fround;

/** `ops.power(ops.cast(base, 'float32'), t)`: the power of a float32 base, rounded to float32. */
export function powF32(base: number, t: number): number {
  return f32(f32(base) ** t);
}
