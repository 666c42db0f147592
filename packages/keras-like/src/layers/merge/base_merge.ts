/**
 * What Keras's merge layers share (keras/src/layers/merging/base_merge.py): a list of at least two
 * inputs of one shape, one output, and a mask that is the logical AND of the inputs' masks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../../errors.js';
import { Layer, shapeText, type LayerArgs, type Masks, type Shape } from '../layer.js';

export abstract class Merge extends Layer<tf.Tensor[]> {
  constructor(args: LayerArgs, defaultName: string) {
    super(args, defaultName);
    this.supports_masking = true;
  }

  override build(shapes: Shape[]): void {
    if (!Array.isArray(shapes) || !Array.isArray(shapes[0])) {
      throw new ValueError(`A merge layer should be called on a list of inputs. Received: input_shape=${JSON.stringify(shapes)} (not a list of shapes)`);
    }
    if (shapes.length < 2) {
      throw new ValueError(`A merge layer should be called on a list of at least 2 inputs. Got ${shapes.length} inputs. Full input_shape received: ${shapes.map((s) => shapeText(s)).join(', ')}`);
    }
    this.checkShapes(shapes);
    super.build(shapes);
  }

  /** Element-wise merges need inputs of one shape (the batch axis aside). */
  protected checkShapes(shapes: Shape[]): void {
    const [first, ...rest] = shapes;
    for (const shape of rest) {
      const same = shape.length === first!.length && shape.every((s, i) => i === 0 || s === null || first![i] === null || s === first![i]);
      if (!same) throw new ValueError(`Inputs have incompatible shapes. Received shapes ${shapeText(first!)} and ${shapeText(shape)}`);
    }
  }

  override compute_output_shape(shapes: Shape[]): Shape {
    return [...shapes[0]!];
  }

  /** The outputs' mask: a timestep is kept when every input keeps it. */
  override compute_mask(_inputs: tf.Tensor[], mask: Masks): Masks {
    const masks = (Array.isArray(mask) ? mask : [mask]).filter((m): m is tf.Tensor => m !== null && m !== undefined);
    if (masks.length === 0) return null;
    return masks.reduce((a, b) => tf.logicalAnd(a, b));
  }
}
