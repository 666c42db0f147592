/**
 * The states of stacked cells (`RNN([LSTMCell(8), GRUCell(4)], { return_state: true })`) as
 * Keras 3 hands them to the user: one entry per cell, nested.
 *
 * The engine keeps them flat (the layer's `forward` returns [output, h₁, c₁, h₂], its `backward`
 * takes one gradient per tensor, saving writes the flat list), so training and saving see one
 * list; only what the user receives from a call is nested, as Keras 3.16 nests it:
 *
 *   eager call            (out, [h₁, c₁], [h₂])   each cell's states as the loop carried them: a list
 *                                                for a built-in cell (its get_initial_state gives one),
 *                                                or as given in `initial_state` ([[h₁, c₁], h₂] →
 *                                                (out, [h₁, c₁], h₂); a flat list → a flat result)
 *   symbolic call         (out, [h₁, c₁], h₂)    from each cell's `state_size`: a list for LSTMCell's
 *                                                [units, units], one tensor for an integer (GRUCell,
 *                                                SimpleRNNCell)
 *
 * With one cell in the list Keras's StackedRNNCells unwraps it, so the eager result is flat
 * ((out, h) for [GRUCell(4)]; Keras 3.16 fails on [LSTMCell(n)] eagerly, keras-like gives (out, h, c)).
 * A cell of your own: a list if its `state_size` is a list, one tensor if it is a number (Keras
 * makes the zeros so when the cell has no `get_initial_state`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { isKerasTensor } from '../keras_tensor.js';
import { RecurrentCell } from './recurrent_cell.js';
import { StackedRNNCells, type RNNCellLike } from './user_cell.js';

/** A value, or a list of them: what a stacked RNN returns per cell. */
export type Nested<T> = T | Array<T | T[]>;

/** How one cell's states are given back: `count` tensors, in a list when `list`, else one tensor (count 1). */
export interface StateGroup {
  readonly count: number;
  readonly list: boolean;
}

/** Each cell's states as a list of its own; null for no nesting (the flat list). */
export type StateNesting = readonly StateGroup[] | null;

/** The stacked cells of `cell` (a list of two or more given to `RNN`), else null. */
export function stackedCells(cell: unknown): ReadonlyArray<RNNCellLike | RecurrentCell> | null {
  const user = (cell as { cell?: unknown }).cell;
  return user instanceof StackedRNNCells && user.cells.length > 1 ? user.cells : null;
}

function stateCount(cell: RNNCellLike | RecurrentCell): number {
  return typeof cell.state_size === 'number' ? 1 : cell.state_size.length;
}

/** Keras's own form of a cell's `state_size`: a list (LSTMCell's [units, units]) or an integer. */
function sizeIsList(cell: RNNCellLike | RecurrentCell): boolean {
  if (cell instanceof RecurrentCell) return cell.state_size.length > 1;
  return typeof cell.state_size !== 'number';
}

/** The symbolic call's nesting: from each cell's `state_size` (Keras's `compute_output_shape`). */
export function symbolicNesting(cells: ReadonlyArray<RNNCellLike | RecurrentCell>): StateNesting {
  return cells.map((c) => ({ count: stateCount(c), list: sizeIsList(c) }));
}

/** The eager call's nesting without `initial_state`: a list for every built-in cell (their zeros come as a list). */
export function eagerNesting(cells: ReadonlyArray<RNNCellLike | RecurrentCell>): StateNesting {
  return cells.map((c) => ({ count: stateCount(c), list: c instanceof RecurrentCell || sizeIsList(c) }));
}

/** A single state: a tensor, a KerasTensor, or nested numbers of rank 2 ([[…], […]], one row per sample). */
function isState(v: unknown): boolean {
  return v instanceof tf.Tensor || isKerasTensor(v) || (Array.isArray(v) && Array.isArray(v[0]));
}

/** A list of states (one cell's entry of a nested `initial_state`); rank-2 numbers alone are one state. */
function isStateList(v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length > 0 && v.every(isState);
}

/**
 * `initial_state` as the flat list the layer runs on, and the nesting it was given in. A stacked
 * RNN takes one entry per cell, each a state or a list of states ([[h₁, c₁], [h₂]], [[h₁, c₁], h₂]),
 * or the flat list of every cell's states; any other RNN one state or a list of them.
 */
export function flattenStates(given: unknown, cells: ReadonlyArray<RNNCellLike | RecurrentCell> | null): { flat: unknown[]; nesting: StateNesting } {
  if (!Array.isArray(given) || given.length === 0) return { flat: [given], nesting: null };
  if (cells !== null && given.length === cells.length && given.some(isStateList)) {
    const nesting = given.map((entry): StateGroup => (isStateList(entry) ? { count: entry.length, list: true } : { count: 1, list: false }));
    return { flat: given.flatMap((entry) => (isStateList(entry) ? entry : [entry])), nesting };
  }
  return given.every(isState) ? { flat: [...given], nesting: null } : { flat: [given], nesting: null };
}

/**
 * The layer's result [output, ...flat states] with the states nested per cell. Flat when there is
 * no nesting, or when the counts do not add up (a flat `initial_state` of another length fails
 * the layer's own check first).
 */
export function nestStates<T>(result: T | T[], nesting: StateNesting): Nested<T> {
  if (nesting === null || !Array.isArray(result)) return result;
  const [output, ...states] = result;
  return [output!, ...groupStates(states, nesting)];
}

/** Flat states grouped per cell: a list for a group with `list`, else its one tensor (flat without nesting). */
function groupStates<T>(states: T[], nesting: StateNesting): Array<T | T[]> {
  if (nesting === null || nesting.reduce((n, g) => n + g.count, 0) !== states.length) return states;
  let offset = 0;
  return nesting.map((g) => {
    const part = states.slice(offset, offset + g.count);
    offset += g.count;
    return g.list ? part : part[0]!;
  });
}

/** One direction of a Bidirectional: its flat states, the nesting they came in, and their count. */
export interface DirectionStates {
  readonly flat: unknown[];
  readonly nesting: StateNesting;
}

/**
 * Bidirectional's `initial_state` over stacked cells, as Keras 3 splits it: the top-level list in
 * half, the first half the forward layer's (one entry per cell), the second the backward layer's:
 * [[h₁, c₁], [h₂], [h₁ᵇ, c₁ᵇ], [h₂ᵇ]] or [[h₁, c₁], h₂, [h₁ᵇ, c₁ᵇ], h₂ᵇ]. Null when the list is not
 * nested per cell (a flat list, which the caller splits by the forward layer's state count).
 */
export function splitDirections(
  given: unknown,
  forwardCells: ReadonlyArray<RNNCellLike | RecurrentCell> | null,
  backwardCells: ReadonlyArray<RNNCellLike | RecurrentCell> | null,
): [DirectionStates, DirectionStates] | null {
  if (forwardCells === null || backwardCells === null || !Array.isArray(given) || !given.some(isStateList)) return null;
  const half = Math.floor(given.length / 2);
  return [flattenStates(given.slice(0, half), forwardCells), flattenStates(given.slice(half), backwardCells)];
}

/**
 * Bidirectional's result [...outputs, ...forward states, ...backward states] (`outputs` merged
 * outputs: 1, or 2 when merge_mode is null), each direction's states nested per cell as its RNN
 * returns them: (y, [h₁, c₁], [h₂], [h₁ᵇ, c₁ᵇ], [h₂ᵇ]).
 */
export function nestDirections<T>(result: T[], outputs: number, forwardCount: number, forward: StateNesting, backward: StateNesting): Array<T | T[]> {
  const states = result.slice(outputs);
  return [...result.slice(0, outputs), ...groupStates(states.slice(0, forwardCount), forward), ...groupStates(states.slice(forwardCount), backward)];
}
