import assert from 'node:assert/strict';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { qrPayload, QrPayloadError, renderQrPng, renderQrSvg } from '@certhub/gateway/dist/qr';

const PAYLOAD = qrPayload(
  '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F',
  '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
);

/** Rasterises the SVG's path of dark modules (qrcode draws them as `M x y h n` runs) into RGBA for jsQR. */
function rasterise(svg: string, scale: number): { data: Uint8ClampedArray; size: number } {
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  assert.ok(viewBox !== null, 'SVG has a viewBox');
  const modules = Number(viewBox[1]);
  const size = modules * scale;
  const data = new Uint8ClampedArray(size * size * 4).fill(255);
  const path = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)?.[1];
  assert.ok(path !== undefined, 'SVG has a path of dark modules');
  let x = 0;
  let y = 0;
  for (const [, op, a, b] of path.matchAll(/([MmHhVv])(-?\d+(?:\.\d+)?)(?:\s+(-?\d+(?:\.\d+)?))?/g)) {
    const n = Number(a);
    if (op === 'M') [x, y] = [n, Number(b)];
    else if (op === 'm') [x, y] = [x + n, y + Number(b)];
    else if (op === 'h' || op === 'H') {
      const to = op === 'h' ? x + n : n;
      // Strokes run along y + 0.5; fill each whole module from x to `to` on row floor(y).
      for (let mx = Math.min(x, to); mx < Math.max(x, to); mx++) {
        for (let py = 0; py < scale; py++) {
          for (let px = 0; px < scale; px++) {
            const i = ((Math.floor(y) * scale + py) * size + (mx * scale + px)) * 4;
            data[i] = data[i + 1] = data[i + 2] = 0;
          }
        }
      }
      x = to;
    }
  }
  return { data, size };
}

describe('qr/render', () => {
  it('renders a PNG that decodes back to the payload', async () => {
    const png = PNG.sync.read(await renderQrPng(PAYLOAD));
    const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    assert.equal(code?.data, PAYLOAD);
  });

  it('renders an SVG whose modules decode back to the payload', async () => {
    const svg = await renderQrSvg(PAYLOAD);
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    const { data, size } = rasterise(svg, 4);
    assert.equal(jsQR(data, size, size)?.data, PAYLOAD);
  });

  it('honours scale and quiet zone', async () => {
    const small = PNG.sync.read(await renderQrPng(PAYLOAD, { scale: 2, margin: 1 }));
    const large = PNG.sync.read(await renderQrPng(PAYLOAD, { scale: 4, margin: 1 }));
    assert.equal(large.width, small.width * 2);
  });

  it('draws nothing for an invalid payload', async () => {
    await assert.rejects(renderQrSvg('certhub:1:junk:junk'), QrPayloadError);
    await assert.rejects(renderQrPng('hello'), QrPayloadError);
  });
});
