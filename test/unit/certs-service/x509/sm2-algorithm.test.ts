import assert from 'node:assert/strict';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { CertificateFormatError } from '@certhub/certs-service';
import { Sm2Algorithm, Sm2SignatureFormatter } from '@certhub/certs-service/dist/x509/sm2-algorithm';

const hex = (bytes: ArrayBuffer | Uint8Array): string =>
  Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

describe('x509 / Sm2Algorithm (SM2 in @peculiar/x509)', () => {
  const algorithm = new Sm2Algorithm();

  it('encodes SM2-with-SM3 as OID 1.2.156.10197.1.501 with parameters absent (SM-VECTORS.md: 300a06082a811ccf55018375)', () => {
    const id = algorithm.toAsnAlgorithm({ name: 'SM2', hash: { name: 'SM3' } });
    assert.ok(id);
    assert.equal(hex(AsnConvert.serialize(id)), '300a06082a811ccf55018375');
  });

  it('encodes an SM2 key as id-ecPublicKey with namedCurve 1.2.156.10197.1.301', () => {
    const id = algorithm.toAsnAlgorithm({ name: 'SM2', namedCurve: 'SM2' });
    assert.ok(id);
    // SEQUENCE { OID 1.2.840.10045.2.1, OID 1.2.156.10197.1.301 }, as OpenSSL writes SM2 SubjectPublicKeyInfo.
    assert.equal(hex(AsnConvert.serialize(id)), '301306072a8648ce3d020106082a811ccf5501822d');
  });

  it('refuses SM2 paired with another hash, and passes other algorithms on (null)', () => {
    assert.equal(algorithm.toAsnAlgorithm({ name: 'SM2', hash: { name: 'SHA-256' } }), null);
    assert.equal(algorithm.toAsnAlgorithm({ name: 'ECDSA', hash: { name: 'SHA-256' } }), null);
    assert.equal(algorithm.toAsnAlgorithm({ name: 'ECDSA', namedCurve: 'P-256' }), null);
  });

  it('maps the ASN.1 forms back to WebCrypto-style algorithms', () => {
    const sig = AsnConvert.parse(bytes('300a06082a811ccf55018375'), AlgorithmIdentifier);
    assert.deepEqual(algorithm.toWebAlgorithm(sig), { name: 'SM2', hash: { name: 'SM3' } });
    const key = AsnConvert.parse(bytes('301306072a8648ce3d020106082a811ccf5501822d'), AlgorithmIdentifier);
    assert.deepEqual(algorithm.toWebAlgorithm(key), { name: 'SM2', namedCurve: 'SM2' });
    // P-256 (1.2.840.10045.3.1.7) is EC's business, not ours.
    const p256 = AsnConvert.parse(bytes('301306072a8648ce3d020106082a8648ce3d030107'), AlgorithmIdentifier);
    assert.equal(algorithm.toWebAlgorithm(p256), null);
  });
});

describe('x509 / Sm2SignatureFormatter (r||s ⇄ DER SEQUENCE{r, s})', () => {
  const formatter = new Sm2SignatureFormatter();
  const sm2 = { name: 'SM2', hash: { name: 'SM3' } };
  // r and s of the GM/T 0003.5 Annex A example (SM-VECTORS.md); both have the top bit set, so DER needs a 00 pad.
  const r = 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3';
  const s = 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';
  const der = `3046022100${r}022100${s}`;

  it('DER-encodes r||s with sign padding and decodes it back', () => {
    const asn = formatter.toAsnSignature(sm2, bytes(r + s));
    assert.ok(asn);
    assert.equal(hex(asn), der);
    const web = formatter.toWebSignature(sm2, bytes(der));
    assert.ok(web);
    assert.equal(hex(web), r + s);
  });

  it('keeps short integers minimal and left-pads them back to 32 bytes', () => {
    const small = '00'.repeat(31) + '01' + '00'.repeat(30) + '7fff';
    const asn = formatter.toAsnSignature(sm2, bytes(small));
    assert.ok(asn);
    assert.equal(hex(asn), '3007020101' + '02027fff');
    assert.equal(hex(formatter.toWebSignature(sm2, new Uint8Array(asn)) ?? new ArrayBuffer(0)), small);
  });

  it('rejects trailing bytes, non-minimal integers, oversized integers and non-DER input', () => {
    const cases = {
      trailingByte: der + '00',
      nonMinimalInteger: `304702220000${r}022100${s}`,
      integerOver256Bits: `3046022101${r}022100${s}`,
      notASequence: '0102',
    };
    for (const [name, bad] of Object.entries(cases)) {
      assert.throws(() => formatter.toWebSignature(sm2, bytes(bad)), CertificateFormatError, name);
    }
  });

  it('rejects an r||s that is not 64 bytes', () => {
    assert.throws(() => formatter.toAsnSignature(sm2, bytes('00'.repeat(63))), CertificateFormatError);
  });

  it('leaves ECDSA to the library formatter (null)', () => {
    const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' };
    assert.equal(formatter.toAsnSignature(ecdsa, bytes(r + s)), null);
    assert.equal(formatter.toWebSignature(ecdsa, bytes(der)), null);
  });
});
