/** The part of gifenc (a pure-JS GIF encoder that ships no types) that animation.ts uses. */
declare module 'gifenc' {
  export type Palette = number[][];
  export interface FrameOptions {
    palette?: Palette;
    /** Milliseconds this frame stays on screen. */
    delay?: number;
    /** -1 plays once, 0 loops forever. */
    repeat?: number;
    /** Whether pixels of `transparentIndex` show the frame below. */
    transparent?: boolean;
    transparentIndex?: number;
    /** GIF disposal method: 1 keeps this frame under the next. */
    dispose?: number;
  }
  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
  }
  export function GIFEncoder(): Encoder;
  export function applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette): Uint8Array;
  /** Node loads the CommonJS build, whose exports all sit under `default`. */
  const commonJsExports: { GIFEncoder: typeof GIFEncoder; applyPalette: typeof applyPalette } | undefined;
  export default commonJsExports;
}
