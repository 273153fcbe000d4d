import { galleryDigits, type GalleryDigit } from 'virtual:mnist-gallery';
import { DIGIT_SIDE } from '../../src/serve/digit-predictor.js';
import { digitOnPaper } from './ink-on-paper.js';

/**
 * Fills `container` with one button per gallery digit (real MNIST test digits, built into the
 * page): a thumbnail in the pad's ink on paper, named for screen readers; pressing it (click,
 * Enter or Space) calls `onPick` with its digit.
 */
export function showGallery(container: HTMLElement, onPick: (digit: GalleryDigit) => void): void {
  for (const digit of galleryDigits) {
    const button = document.createElement('button');
    button.type = 'button';
    button.title = `MNIST test digit no. ${digit.testIndex}, a ${digit.label}`;
    button.setAttribute('aria-label', `Try ${button.title}`);
    const thumbnail = document.createElement('canvas');
    thumbnail.width = DIGIT_SIDE;
    thumbnail.height = DIGIT_SIDE;
    thumbnail
      .getContext('2d')
      ?.putImageData(digitOnPaper(digit.pixels, DIGIT_SIDE, DIGIT_SIDE, DIGIT_SIDE), 0, 0);
    button.append(thumbnail);
    button.addEventListener('click', () => onPick(digit));
    container.append(button);
  }
}
