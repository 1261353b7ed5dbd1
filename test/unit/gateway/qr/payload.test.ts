import assert from 'node:assert/strict';
import { parseQrPayload, qrPayload, QrPayloadError } from '@certhub/gateway/dist/qr';

const LICENSE_ID = '1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F';
const DOC_HASH = '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0';

function reason(text: string): string {
  try {
    parseQrPayload(text);
  } catch (error) {
    assert.ok(error instanceof QrPayloadError);
    assert.equal(error.code, 'INVALID_QR_PAYLOAD');
    return error.context.reason;
  }
  assert.fail('expected a QrPayloadError');
}

describe('qr/payload', () => {
  it('writes certhub:1:<licenseId>:<docHash> (DESIGN.md §3) and reads it back', () => {
    const payload = qrPayload(LICENSE_ID, DOC_HASH);
    assert.equal(payload, `certhub:1:${LICENSE_ID}:${DOC_HASH}`);
    assert.deepEqual(parseQrPayload(payload), { licenseId: LICENSE_ID, docHash: DOC_HASH });
  });

  it('ignores the whitespace scanners append', () => {
    assert.equal(parseQrPayload(` certhub:1:${LICENSE_ID}:${DOC_HASH}\n`).licenseId, LICENSE_ID);
  });

  it('refuses to write a payload for an invalid license ID or hash', () => {
    assert.throws(() => qrPayload(LICENSE_ID.replace(/F$/, 'G'), DOC_HASH), QrPayloadError);
    assert.throws(() => qrPayload(LICENSE_ID, DOC_HASH.toUpperCase()), QrPayloadError);
  });

  it('names what is wrong with a malformed payload', () => {
    assert.equal(reason(`https://x/${LICENSE_ID}`), 'PREFIX');
    assert.equal(reason(`certhub:2:${LICENSE_ID}:${DOC_HASH}`), 'VERSION');
    assert.equal(reason(`certhub:1:${LICENSE_ID}`), 'STRUCTURE');
    assert.equal(reason(`certhub:1:${LICENSE_ID}:${DOC_HASH}:x`), 'STRUCTURE');
    assert.equal(reason(`certhub:1:${LICENSE_ID.replace(/F$/, 'G')}:${DOC_HASH}`), 'LICENSE_ID');
    assert.equal(reason(`certhub:1:${LICENSE_ID}:${DOC_HASH.slice(1)}`), 'DOC_HASH');
    assert.equal(reason(`certhub:1:${'9'.repeat(300)}`), 'STRUCTURE');
  });
});
