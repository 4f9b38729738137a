import sharp from 'sharp';

/**
 * Prepares a page image for recognition: strongly red pixels (a red 发文机关标志, a red seal over the
 * signature and date) become white, then the page becomes greyscale PNG. Black text under a seal stays:
 * where ink overlaps the red, the pixel is dark, not red.
 */

/** Raw pixels, as a PDF image XObject decodes to. */
export interface RawImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  /** Resolution, so Tesseract scales its expectations of glyph size (it warns and guesses without it). */
  dpi?: number;
}

/** Red dominates both green and blue by this much (0–255): seal red, not orange-brown text or grey. */
const RED_MARGIN = 60;
const RED_MIN = 120;

/** Whitens strongly red pixels in place (RGB or RGBA); returns how many were whitened. */
export function whitenRed(data: Uint8Array | Uint8ClampedArray, channels: number): number {
  if (channels < 3) return 0;
  let count = 0;
  for (let i = 0; i + 2 < data.length; i += channels) {
    const r = data[i] as number;
    const g = data[i + 1] as number;
    const b = data[i + 2] as number;
    if (r >= RED_MIN && r - g >= RED_MARGIN && r - b >= RED_MARGIN) {
      data[i] = 255;
      data[i + 1] = 255;
      data[i + 2] = 255;
      count++;
    }
  }
  return count;
}

export interface PreparedImage {
  png: Buffer;
  width: number;
  height: number;
}

/** Preprocesses raw pixels (PDF images) for OCR. */
export async function prepareRaw(
  image: RawImage,
  options: { dropRed?: boolean } = {},
): Promise<PreparedImage> {
  const data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  if (options.dropRed !== false) whitenRed(data, image.channels);
  const png = await sharp(data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .greyscale()
    .withMetadata({ density: image.dpi ?? guessDpi(image.width) })
    .png({ compressionLevel: 1 })
    .toBuffer();
  return { png, width: image.width, height: image.height };
}

/** Without a stated resolution, assume the image is as wide as an A4 page (8.27 in). */
const guessDpi = (width: number): number => Math.min(600, Math.max(70, Math.round(width / 8.27)));

/** Number of pages of an image file (multi-page TIFF faxes have several). */
export async function imagePages(bytes: Uint8Array): Promise<number> {
  const meta = await sharp(bytes).metadata();
  return meta.pages ?? 1;
}

/** Decodes one page of an image file (PNG, JPEG, TIFF…), turned upright by its EXIF orientation. */
export async function decodeImagePage(bytes: Uint8Array, page: number): Promise<RawImage> {
  const image = sharp(bytes, { page: page - 1 });
  const { density } = await image.metadata();
  const { data, info } = await image.rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const raw: RawImage = {
    data,
    width: info.width,
    height: info.height,
    channels: info.channels as RawImage['channels'],
  };
  // Screenshots and phone photos say 72 dpi whatever their size: only believe a print resolution.
  if (density && density >= 100) raw.dpi = density;
  return raw;
}
