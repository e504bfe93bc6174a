import { describe, expect, it } from 'vitest';
import { newQrPayload } from '../../server/linked-devices/sandbox/emulated-creds.ts';
import { QR_IMAGE_WIDTH, qrPngDataUrl, qrSvg } from '../../server/linked-devices/sandbox/qr-image.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function png(dataUrl: string): Buffer {
  const prefix = 'data:image/png;base64,';
  expect(dataUrl.startsWith(prefix)).toBe(true);
  return Buffer.from(dataUrl.slice(prefix.length), 'base64');
}

describe('QR images of a pairing payload', () => {
  it('renders a square PNG of the requested width', async () => {
    const image = png(await qrPngDataUrl(newQrPayload()));
    expect(image.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    // The first chunk is IHDR: width and height, big-endian, right after its type.
    expect(image.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(image.readUInt32BE(16)).toBe(QR_IMAGE_WIDTH);
    expect(image.readUInt32BE(20)).toBe(QR_IMAGE_WIDTH);
    expect(png(await qrPngDataUrl('2@short', 400)).readUInt32BE(16)).toBe(400);
  });

  it('gives each payload its own image, and the same payload the same image', async () => {
    const [a, b] = [newQrPayload(), newQrPayload()];
    expect(await qrPngDataUrl(a)).not.toBe(await qrPngDataUrl(b));
    expect(await qrPngDataUrl(a)).toBe(await qrPngDataUrl(a));
    expect(await qrSvg(a)).not.toBe(await qrSvg(b));
  });

  it('renders an SVG document with a viewBox, so it scales', async () => {
    const svg = await qrSvg(newQrPayload());
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('<path');
  });
});
