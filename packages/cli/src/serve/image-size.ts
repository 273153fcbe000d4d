/** Width and height of an image in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The size a PNG or JPEG declares in its header, read without decoding anything, so that a
 * small file that would decompress into a huge picture can be refused first. Undefined
 * when the bytes are neither format or the header is cut short (the decoder then reports
 * what is wrong).
 */
export function declaredImageSize(bytes: Uint8Array): ImageSize | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) {
    // The IHDR chunk comes first (PNG spec, section 5.6): width and height at bytes 16 and 20.
    return bytes.length >= 24
      ? { width: view.getUint32(16), height: view.getUint32(20) }
      : undefined;
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegFrameSize(bytes, view);
  return undefined;
}

/**
 * Walks the JPEG's marker segments (ITU T.81, annex B) to the first start-of-frame segment,
 * whose body holds precision (1 byte), height and width (2 bytes each, big-endian).
 */
function jpegFrameSize(bytes: Uint8Array, view: DataView): ImageSize | undefined {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte before a marker
      continue;
    }
    if (isStandaloneMarker(marker)) {
      at += 2;
      continue;
    }
    if (marker === 0xda) return undefined; // start of scan before any frame header
    if (isStartOfFrame(marker)) {
      return at + 9 <= bytes.length
        ? { height: view.getUint16(at + 5), width: view.getUint16(at + 7) }
        : undefined;
    }
    at += 2 + view.getUint16(at + 2); // the segment length counts its own two bytes
  }
  return undefined;
}

/** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** TEM and RST0..RST7 carry no length. */
function isStandaloneMarker(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
}
