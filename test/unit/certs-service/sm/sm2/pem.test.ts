import assert from 'node:assert/strict';
import { PemError } from '@certhub/certs-service/dist/sm/sm2';
import { decodePemBlocks, decodePemOf, encodePem } from '@certhub/certs-service/dist/sm/sm2/pem';

describe('PEM armour', () => {
  it('writes 64-character lines and a final newline, and reads its own output', () => {
    const der = new Uint8Array(100).map((_, i) => i);
    const pem = encodePem('PUBLIC KEY', der);
    const lines = pem.trimEnd().split('\n');
    assert.equal(lines[0], '-----BEGIN PUBLIC KEY-----');
    assert.equal(lines[1]?.length, 64);
    assert.equal(lines.at(-1), '-----END PUBLIC KEY-----');
    assert.ok(pem.endsWith('\n'));
    assert.deepEqual(decodePemBlocks(pem), [{ label: 'PUBLIC KEY', der }]);
  });

  it('tolerates CRLF line ends and surrounding text, and picks the wanted label among several blocks', () => {
    const a = encodePem('EC PARAMETERS', Uint8Array.of(6, 1, 0));
    const b = encodePem('EC PRIVATE KEY', Uint8Array.of(1, 2, 3));
    const text = `comment\r\n${a.replaceAll('\n', '\r\n')}${b}trailer`;
    assert.deepEqual(decodePemOf(text, ['EC PRIVATE KEY']).der, Uint8Array.of(1, 2, 3));
  });

  it('throws PemError with the labels found when none is wanted', () => {
    assert.throws(
      () => decodePemOf(encodePem('CERTIFICATE', Uint8Array.of(1)), ['PUBLIC KEY']),
      (error: unknown) => {
        assert.ok(error instanceof PemError);
        assert.equal(error.code, 'MALFORMED_PEM');
        assert.deepEqual(error.context.found, ['CERTIFICATE']);
        return true;
      },
    );
  });

  it('refuses non-canonical base64 and an empty body', () => {
    // 'AB==' decodes but its unused bits are not zero, so it does not re-encode to itself.
    assert.throws(() => decodePemBlocks('-----BEGIN X-----\nAB==\n-----END X-----'), PemError);
    assert.throws(() => decodePemBlocks('-----BEGIN X-----\n\n-----END X-----'), PemError);
    assert.throws(() => decodePemBlocks('-----BEGIN X-----\nAAA\n-----END X-----'), PemError);
  });
});
