/** The part of gifenc (a pure-JS GIF encoder that ships no types) that animation.ts uses. */
declare module 'gifenc' {
  type Palette = number[][];
  interface FrameOptions {
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
  interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
  }
  interface GifEnc {
    GIFEncoder(): Encoder;
    quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number): Palette;
    applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: Palette): Uint8Array;
  }
  const gifenc: GifEnc;
  export default gifenc;
}
