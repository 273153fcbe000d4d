import type { RasterImage } from '@typedlearn/data';

/** Pen width as a fraction of the canvas side: MNIST's strokes are about 1/10 of the digit box. */
const PEN_WIDTH = 0.08;
const INK = '#111';
const PAPER = '#fff';

/**
 * A canvas to draw on with a mouse, a finger or a pen, through Pointer Events: one stroke per
 * pointer from down to up, with the pointer captured so a stroke may leave the canvas and
 * come back. Dark ink on white paper, like a digit written on paper.
 */
export class DrawingPad {
  private readonly canvas: HTMLCanvasElement;
  private readonly context: CanvasRenderingContext2D;
  private readonly onDraw: () => void;
  /** Last point of each pointer drawing a stroke, in canvas pixels. */
  private readonly strokes = new Map<number, { x: number; y: number }>();
  private frameRequested = false;
  private blank = true;

  /**
   * Draws on `canvas`, calling `onDraw` after the drawing changed: at most once per animation
   * frame, however many pointer events arrived before it (not for {@link clear}).
   */
  constructor(canvas: HTMLCanvasElement, onDraw: () => void) {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('this browser has no 2D canvas');
    this.canvas = canvas;
    this.context = context;
    this.onDraw = onDraw;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.lineWidth = PEN_WIDTH * canvas.width;
    context.strokeStyle = INK;
    context.fillStyle = INK;
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

  /** Wipes the drawing. */
  clear(): void {
    this.strokes.clear();
    this.context.save();
    this.context.fillStyle = PAPER;
    this.context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    this.context.restore();
    this.blank = true;
  }

  /** The drawing's pixels (RGBA), for `prepareDigitImage`. */
  image(): RasterImage {
    const { width, height } = this.canvas;
    const { data } = this.context.getImageData(0, 0, width, height);
    return { width, height, channels: 4, data };
  }

  private start(event: PointerEvent): void {
    if (event.button !== 0) return; // the primary button, a touch contact or the pen tip
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
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
    this.strokes.delete(event.pointerId);
  }

  /** Calls `onDraw` on the next animation frame, once however many points arrive before it. */
  private requestDrawCall(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      if (!this.blank) this.onDraw();
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
