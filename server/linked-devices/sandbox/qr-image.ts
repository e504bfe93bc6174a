import QRCode from 'qrcode';

/** Wide enough for a phone camera to read a WhatsApp-sized payload (~230 characters) off a screen. */
export const QR_IMAGE_WIDTH = 264;

/*
 * What a linked-device session's QR payload looks like on a page. Error correction L, as WhatsApp
 * Web uses: the payload is long, and a screen is not a crumpled label.
 */
const OPTIONS = { errorCorrectionLevel: 'L', margin: 2 } as const;

/** A `data:image/png;base64,…` URL, for an `<img>` or a JSON field. */
export function qrPngDataUrl(payload: string, width = QR_IMAGE_WIDTH): Promise<string> {
  return QRCode.toDataURL(payload, { ...OPTIONS, type: 'image/png', width });
}

/** An `<svg>` document that scales without blurring. */
export function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { ...OPTIONS, type: 'svg' });
}
