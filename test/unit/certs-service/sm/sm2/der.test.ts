import assert from 'node:assert/strict';
import { DerError } from '@certhub/certs-service/dist/sm/sm2';
import {
  DER_TAG,
  DerReader,
  bigintToBytes,
  bytesToBigint,
  derBitString,
  derOctetString,
  derOid,
  derSequence,
  derUnsignedInteger,
} from '@certhub/certs-service/dist/sm/sm2/der';
import { fromHex, hex } from './vectors';

function derError(reason: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof DerError);
    assert.equal(error.code, 'MALFORMED_DER');
    assert.match(error.message, reason);
    assert.equal(typeof error.context.offset, 'number');
    return true;
  };
}

describe('strict DER codec', () => {
  it('encodes and decodes INTEGERs minimally, with a 00 pad before a high bit', () => {
    assert.equal(hex(derUnsignedInteger(0n)), '020100');
    assert.equal(hex(derUnsignedInteger(127n)), '02017f');
    assert.equal(hex(derUnsignedInteger(128n)), '02020080');
    assert.equal(hex(derUnsignedInteger(0x0102n)), '02020102');
    for (const value of [0n, 1n, 127n, 128n, 255n, 256n, 2n ** 255n + 7n]) {
      assert.equal(DerReader.of(derUnsignedInteger(value)).unsignedInteger('x'), value);
    }
  });

  it('refuses non-minimal, negative and empty INTEGERs', () => {
    assert.throws(() => DerReader.of(fromHex('02020001')).unsignedInteger('x'), derError(/non-minimal INTEGER/));
    assert.throws(() => DerReader.of(fromHex('020180')).unsignedInteger('x'), derError(/negative/));
    assert.throws(() => DerReader.of(fromHex('0200')).unsignedInteger('x'), derError(/empty/));
  });

  it('encodes OIDs and decodes them back (SM2 curve, id-ecPublicKey, SM2-with-SM3)', () => {
    // Encodings as OpenSSL writes them (see SM-VECTORS.md for 1.2.156.10197.1.501).
    assert.equal(hex(derOid('1.2.156.10197.1.301')), '06082a811ccf5501822d');
    assert.equal(hex(derOid('1.2.840.10045.2.1')), '06072a8648ce3d0201');
    assert.equal(hex(derOid('1.2.156.10197.1.501')), '06082a811ccf55018375');
    for (const oid of ['1.2.156.10197.1.301', '2.5.4.97', '1.2.3.4.5.6.7.8.1', '2.999.1']) {
      assert.equal(DerReader.of(derOid(oid)).oid('x'), oid);
    }
    assert.throws(() => DerReader.of(fromHex('06022a81')).oid('x'), derError(/truncated OBJECT IDENTIFIER/));
    assert.throws(() => DerReader.of(fromHex('06032a8001')).oid('x'), derError(/non-minimal/));
  });

  it('uses long-form lengths above 127 bytes and reads them back', () => {
    const content = new Uint8Array(300).fill(7);
    const der = derOctetString(content);
    assert.equal(hex(der.subarray(0, 4)), '0482012c');
    assert.deepEqual(DerReader.of(der).octetString('x'), content);
  });

  it('refuses indefinite, non-minimal and oversized lengths, and high tag numbers', () => {
    assert.throws(() => DerReader.of(fromHex('30800000')).sequence('x'), derError(/indefinite/));
    assert.throws(() => DerReader.of(fromHex('0481050102030405')).octetString('x'), derError(/non-minimal length/));
    assert.throws(() => DerReader.of(fromHex('048200050102030405')).octetString('x'), derError(/non-minimal length/));
    assert.throws(() => DerReader.of(fromHex('0485ffffffffff')).octetString('x'), derError(/too large/));
    assert.throws(() => DerReader.of(fromHex('1f0100')).element(0x1f, 'x'), derError(/high-tag-number/));
  });

  it('refuses truncation: missing element, short length, short content', () => {
    assert.throws(() => DerReader.of(new Uint8Array(0)).sequence('x'), derError(/truncated/));
    assert.throws(() => DerReader.of(fromHex('30')).sequence('x'), derError(/truncated/));
    assert.throws(() => DerReader.of(fromHex('3005020101')).sequence('x'), derError(/declares 5 bytes/));
    const inner = DerReader.of(fromHex('3003020101')).sequence('x');
    inner.unsignedInteger('first');
    assert.throws(() => inner.unsignedInteger('second'), derError(/truncated: expected second/));
  });

  it('refuses a wrong tag and trailing bytes, naming what was expected', () => {
    assert.throws(() => DerReader.of(fromHex('020101')).octetString('privateKey'), derError(/expected privateKey/));
    const reader = DerReader.of(fromHex('02010100'));
    reader.unsignedInteger('x');
    assert.throws(
      () => {
        reader.expectEnd('thing');
      },
      derError(/1 trailing byte\(s\) after thing/),
    );
  });

  it('reports offsets relative to the whole input inside nested structures', () => {
    const outer = DerReader.of(fromHex('3004' + '3002' + '0401'));
    const inner = outer.sequence('outer').sequence('inner');
    assert.throws(
      () => inner.octetString('x'),
      (error: unknown) => error instanceof DerError && error.context.offset === 4,
    );
  });

  it('handles BIT STRINGs of whole bytes only, and optional explicit tags', () => {
    const der = derSequence(derBitString(fromHex('04aa')), fromHex('a003020105'));
    const seq = DerReader.of(der).sequence('x');
    assert.equal(hex(seq.bitStringBytes('bits')), '04aa');
    assert.equal(seq.optionalExplicit(1, 'absent'), undefined);
    assert.equal(seq.optionalExplicit(0, 'present')?.unsignedInteger('v'), 5n);
    assert.throws(() => DerReader.of(fromHex('030201ff')).bitStringBytes('x'), derError(/unused bits/));
    assert.equal(DER_TAG.SEQUENCE, 0x30);
  });

  it('converts between big-endian bytes and integers, padding to a width', () => {
    assert.equal(bytesToBigint(fromHex('0102')), 0x102n);
    assert.equal(bytesToBigint(new Uint8Array(0)), 0n);
    assert.equal(hex(bigintToBytes(0x102n, 4)), '00000102');
    assert.throws(() => bigintToBytes(0x10000n, 2), RangeError);
  });
});
