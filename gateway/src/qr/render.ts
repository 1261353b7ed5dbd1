import QRCode from 'qrcode';
import { parseQrPayload } from './payload';

/*
 * QR images of a payload, for the license face and GET /v1/licenses/{id}/qr.svg (and .png). Error correction M
 * (15 %) survives a printed, slightly soiled code while keeping the symbol small for a ~100-character payload.
 */

export interface QrImageOptions {
  /** Pixels per module (PNG) — the SVG scales freely. Default 8. */
  readonly scale?: number;
  /** Quiet zone in modules; the QR standard asks for 4. */
  readonly margin?: number;
}

const ERROR_CORRECTION = 'M';

function checked(payload: string): string {
  // Only a valid payload is drawn: a code that scans to garbage is worse than an error.
  parseQrPayload(payload);
  return payload;
}

/** SVG text of the QR code for `payload` (a `certhub:1:…` string). */
export async function renderQrSvg(payload: string, options: QrImageOptions = {}): Promise<string> {
  return QRCode.toString(checked(payload), {
    type: 'svg',
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: options.margin ?? 4,
  });
}

/** PNG bytes of the QR code for `payload`. */
export async function renderQrPng(payload: string, options: QrImageOptions = {}): Promise<Buffer> {
  return QRCode.toBuffer(checked(payload), {
    type: 'png',
    errorCorrectionLevel: ERROR_CORRECTION,
    margin: options.margin ?? 4,
    scale: options.scale ?? 8,
  });
}
