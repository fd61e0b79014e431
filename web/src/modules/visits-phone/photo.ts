/**
 * A visit's photo on the phone. By default it is drawn on a canvas no larger than 1600 px on its long
 * side and encoded again as JPEG: smaller to send on a poor line, and the re-encoding carries none
 * of the original's metadata (EXIF, GPS location). With "keep location" the original file is sent as
 * it is (the server keeps its location only then).
 */
export const PHOTO_MAX_SIDE = 1600;

export function base64OfBytes(bytes: Uint8Array): string {
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(s);
}

/**
 * The file chosen is not a picture by its first bytes ('not_image'), or, to be sent as it is (keep
 * location), a picture the server does not take ('format': HEIC, GIF…): the phone says which instead
 * of "could not be read".
 */
export class PhotoNotImage extends Error {
  constructor(readonly reason: 'not_image' | 'format') {
    super(reason === 'format' ? 'not JPEG, PNG or WebP' : 'not an image');
    this.name = 'PhotoNotImage';
  }
}

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((c, i) => b[at + i] === c.charCodeAt(0));

/**
 * What picture the bytes begin with: 'jpeg' | 'png' | 'webp' (what the server takes), 'other' for a
 * picture the phone can draw and re-encode (GIF, BMP, HEIC/HEIF/AVIF from a camera), null for a file
 * that is no picture (a PDF, a document, a video).
 */
export function pictureKind(b: Uint8Array): 'jpeg' | 'png' | 'webp' | 'other' | null {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b[0] === 0x89 && ascii(b, 1, 'PNG')) return 'png';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp';
  if (ascii(b, 0, 'GIF8') || ascii(b, 0, 'BM')) return 'other';
  if (ascii(b, 4, 'ftyp') && ['heic', 'heix', 'hevc', 'heif', 'mif1', 'msf1', 'avif'].some((brand) => ascii(b, 8, brand))) return 'other';
  return null;
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

/** The size a picture of w × h is drawn at (the long side at most `max`). */
export function fitWithin(w: number, h: number, max = PHOTO_MAX_SIDE): { width: number; height: number } {
  const scale = Math.min(1, max / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

async function decode(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number; close: () => void }> {
  if (typeof createImageBitmap === 'function') {
    // the orientation the camera wrote is applied, as the worker saw the picture
    const bmp = await createImageBitmap(file, { imageOrientation: 'from-image' });
    return { source: bmp, width: bmp.width, height: bmp.height, close: () => bmp.close() };
  }
  const url = URL.createObjectURL(file);
  const img = new Image();
  img.src = url;
  await img.decode();
  return { source: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
}

/**
 * The photo as sent: { dataBase64, bytes }. Throws PhotoNotImage for a file that is no picture (or,
 * kept as it is, not one the server takes: JPEG, PNG or WebP).
 */
export async function preparePhoto(file: File, keepLocation: boolean): Promise<{ dataBase64: string; bytes: number }> {
  const kind = pictureKind(await bytesOf(file.slice(0, 16)));
  if (kind === null) throw new PhotoNotImage('not_image');
  if (keepLocation && kind === 'other') throw new PhotoNotImage('format');
  if (keepLocation) {
    const b = await bytesOf(file);
    return { dataBase64: base64OfBytes(b), bytes: b.length };
  }
  const img = await decode(file);
  try {
    const { width, height } = fitWithin(img.width, img.height);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no canvas');
    g.drawImage(img.source, 0, 0, width, height);
    const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('not encoded'))), 'image/jpeg', 0.85));
    const b = await bytesOf(blob);
    return { dataBase64: base64OfBytes(b), bytes: b.length };
  } finally {
    img.close();
  }
}
