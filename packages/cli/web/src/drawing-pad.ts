import type { RasterImage } from '@typedlearn/data';
import { cssGrey, digitOnPaper, INK_GREY, PAPER_GREY } from './ink-on-paper.js';

/** Pen width as a fraction of the canvas side: MNIST's strokes are about 1/10 of the digit box. */
const PEN_WIDTH = 0.08;
/**
 * How many changes {@link DrawingPad.undo} can take back. Each costs a copy of the canvas (for
 * the page's 280 x 280 pad, 280 x 280 x 4 bytes = 306 KiB), so about 12 MiB at most.
 */
const UNDO_STEPS = 40;

/** What a {@link DrawingPad} tells its page. */
export interface DrawingPadEvents {
  /**
   * The drawing changed under the pen: called on the next animation frame, once however many
   * pointer events arrived before it, and once more after each stroke ends. Not called for
   * {@link DrawingPad.clear}, {@link DrawingPad.undo} and {@link DrawingPad.showDigit}, whose
   * callers know.
   */
  onDraw: () => void;
  /** A stroke ended: the pen or finger lifted (pointerup), or the browser cancelled it. */
  onStrokeEnd: () => void;
}

/** The pad as it was before one change, to go back to. */
interface Snapshot {
  pixels: ImageData;
  blank: boolean;
}

/**
 * A canvas to draw on with a mouse, a finger or a pen, through Pointer Events: one stroke per
 * pointer from down to up, with the pointer captured so a stroke may leave the canvas and
 * come back. Dark ink on white paper, like a digit written on paper.
 *
 * Undo keeps a copy of the canvas's pixels from before each change (a stroke, a clear, a shown
 * digit) and puts it back: the picture returns to exactly what it was, pixel for pixel, so the
 * model reads it exactly as before.
 */
export class DrawingPad {
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly events: DrawingPadEvents;
  /** Last point of each pointer drawing a stroke, in canvas pixels. */
  private readonly strokes = new Map<number, { x: number; y: number }>();
  /** The pad before each change that undo can take back, the latest last. */
  private readonly history: Snapshot[] = [];
  private frameRequested = false;
  private blank = true;

  /** Draws on `canvas`, telling the page through `events`. */
  constructor(canvas: HTMLCanvasElement, events: DrawingPadEvents) {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('this browser has no 2D canvas');
    this.canvas = canvas;
    this.context = context;
    this.events = events;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.lineWidth = PEN_WIDTH * canvas.width;
    context.strokeStyle = cssGrey(INK_GREY);
    context.fillStyle = cssGrey(INK_GREY);
    this.clear();
    canvas.addEventListener('pointerdown', (event) => this.start(event));
    canvas.addEventListener('pointermove', (event) => this.move(event));
    canvas.addEventListener('pointerup', (event) => this.end(event));
    canvas.addEventListener('pointercancel', (event) => this.end(event));
  }

  /** True until something is drawn (and again after {@link clear}). */
  get isBlank(): boolean {
    return this.blank;
  }

  /** True when there is a change for {@link undo} to take back. */
  get canUndo(): boolean {
    return this.history.length > 0;
  }

  /** Wipes the drawing; undo brings it back. */
  clear(): void {
    if (!this.blank) this.remember();
    this.context.save();
    this.context.fillStyle = cssGrey(PAPER_GREY);
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.context.restore();
    this.blank = true;
  }

  /**
   * Replaces the drawing with an MNIST digit (`side` x `side` grey levels, ink = 255), scaled
   * up to fill the pad, in its ink on paper (see `digitOnPaper`); undo brings the drawing back.
   */
  showDigit(pixels: Uint8Array, side: number): void {
    this.remember();
    const { width, height } = this.canvas;
    this.context.putImageData(digitOnPaper(pixels, side, width, height), 0, 0);
    this.blank = false;
  }

  /**
   * Takes back the last change: the pad returns to exactly how it was when the last stroke
   * began (a stroke still being drawn ends there), or before the last clear or shown digit.
   */
  undo(): void {
    const before = this.history.pop();
    if (before === undefined) return;
    this.strokes.clear();
    this.context.putImageData(before.pixels, 0, 0);
    this.blank = before.blank;
  }

  /** The drawing's pixels (RGBA), for `prepareDigitImage`. */
  image(): RasterImage {
    const { width, height } = this.canvas;
    const { data } = this.context.getImageData(0, 0, width, height);
    return { width, height, channels: 4, data };
  }

  /** Keeps the pad as it is now for {@link undo}, forgetting the oldest beyond {@link UNDO_STEPS}. */
  private remember(): void {
    const { width, height } = this.canvas;
    this.history.push({
      pixels: this.context.getImageData(0, 0, width, height),
      blank: this.blank,
    });
    if (this.history.length > UNDO_STEPS) this.history.shift();
  }

  private start(event: PointerEvent): void {
    if (event.button !== 0) return; // the primary button, a touch contact or the pen tip
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    this.remember();
    const point = this.toCanvas(event);
    this.strokes.set(event.pointerId, point);
    // A dot, so that a tap leaves a mark.
    this.context.beginPath();
    this.context.arc(point.x, point.y, this.context.lineWidth / 2, 0, 2 * Math.PI);
    this.context.fill();
    this.blank = false;
    this.requestDrawCall();
  }

  private move(event: PointerEvent): void {
    let last = this.strokes.get(event.pointerId);
    if (last === undefined) return;
    // Browsers deliver at most one pointermove per frame; the coalesced events between
    // hold the full path of a fast stroke.
    const points = event.getCoalescedEvents?.() ?? [];
    this.context.beginPath();
    this.context.moveTo(last.x, last.y);
    let moved = false;
    for (const sample of points.length > 0 ? points : [event]) {
      const point = this.toCanvas(sample);
      // A move that stays put paints nothing new (stroking it would darken the dot's
      // anti-aliased rim, so a mouse and a finger would leave different pictures).
      if (point.x === last.x && point.y === last.y) continue;
      this.context.lineTo(point.x, point.y);
      last = point;
      moved = true;
    }
    if (!moved) return;
    this.context.stroke();
    this.strokes.set(event.pointerId, last);
    this.requestDrawCall();
  }

  private end(event: PointerEvent): void {
    if (!this.strokes.delete(event.pointerId)) return;
    this.events.onStrokeEnd();
    this.requestDrawCall();
  }

  /** Calls `onDraw` on the next animation frame, once however many points arrive before it. */
  private requestDrawCall(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.events.onDraw();
    });
  }

  /** The event's position in canvas pixels (the canvas may be shown smaller or larger). */
  private toCanvas(event: PointerEvent): { x: number; y: number } {
    const box = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) * this.canvas.width) / box.width,
      y: ((event.clientY - box.top) * this.canvas.height) / box.height,
    };
  }
}
