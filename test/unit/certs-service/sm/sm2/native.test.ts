import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { weierstrassN } from '@noble/curves/abstract/weierstrass';
import {
  loadNativeSm2,
  loadNativeSm2From,
  NATIVE_SM2_ADDON_PATH,
  nativeSm2Diagnostics,
  NativeSm2UnavailableError,
  Sm2EngineSettingError,
  type NativeSm2,
  type NativeSm2Diagnostics,
} from '@certhub/certs-service/dist/sm/sm2/native-binding';

// The SM2 recommended curve (GB/T 32918.5), for an independent reference built on @noble/curves.
const n = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const Sm2Point = weierstrassN({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  n,
  h: 1n,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
});

const DEFAULT_ID = new TextEncoder().encode('1234567812345678');
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const toBig = (bytes: Uint8Array): bigint => BigInt('0x' + (hex(bytes) || '0'));
const to32 = (value: bigint): Uint8Array => fromHex(value.toString(16).padStart(64, '0'));
const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

function invert(a: bigint, m: bigint): bigint {
  // Fermat: m is prime.
  let result = 1n;
  let base = mod(a, m);
  for (let e = m - 2n; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % m;
    base = (base * base) % m;
  }
  return result;
}

/** e = SM3(Z || M), Z per GB/T 32918.2 §5.5, computed with Node's SM3 and the reference curve constants. */
function digestE(point: Uint8Array, id: Uint8Array, message: Uint8Array): bigint {
  const curve = fromHex(
    'fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc' +
      '28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93' +
      '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7' +
      'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0',
  );
  const bits = id.length * 8;
  const z = createHash('sm3')
    .update(Uint8Array.of(bits >> 8, bits & 0xff))
    .update(id)
    .update(curve)
    .update(point.subarray(1))
    .digest();
  return toBig(createHash('sm3').update(z).update(message).digest());
}

function referenceVerify(point: Uint8Array, id: Uint8Array, message: Uint8Array, raw: Uint8Array): boolean {
  const r = toBig(raw.subarray(0, 32));
  const s = toBig(raw.subarray(32));
  if (r < 1n || r >= n || s < 1n || s >= n) return false;
  const t = mod(r + s, n);
  if (t === 0n) return false;
  const P = Sm2Point.fromBytes(point);
  const x1 = Sm2Point.BASE.multiply(s).add(P.multiply(t)).toAffine().x;
  return mod(digestE(point, id, message) + x1, n) === r;
}

function referenceSign(d: bigint, point: Uint8Array, id: Uint8Array, message: Uint8Array): Uint8Array {
  const e = digestE(point, id, message);
  for (;;) {
    const k = mod(toBig(randomBytes(40)), n - 1n) + 1n;
    const r = mod(e + Sm2Point.BASE.multiply(k).toAffine().x, n);
    if (r === 0n || r + k === n) continue;
    const s = mod(invert(1n + d, n) * (k - r * d), n);
    if (s !== 0n) return new Uint8Array([...to32(r), ...to32(s)]);
  }
}

function randomKey(): { d: Uint8Array; point: Uint8Array } {
  const d = mod(toBig(randomBytes(40)), n - 2n) + 1n; // [1, n-2] as SM2 requires
  return { d: to32(d), point: Sm2Point.BASE.multiply(d).toBytes(false) };
}

// Minimal DER for SM2Signature ::= SEQUENCE { r INTEGER, s INTEGER } (values < 2^256, so short lengths).
function derInteger(bytes: Uint8Array): number[] {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const body = [...bytes.subarray(i)];
  if ((body[0] ?? 0) & 0x80) body.unshift(0);
  return [0x02, body.length, ...body];
}
const rawToDer = (raw: Uint8Array): Uint8Array => {
  const body = [...derInteger(raw.subarray(0, 32)), ...derInteger(raw.subarray(32))];
  return Uint8Array.from([0x30, body.length, ...body]);
};
function derToRaw(der: Uint8Array): Uint8Array {
  assert.equal(der[0], 0x30);
  const out = new Uint8Array(64);
  let at = 2;
  for (const offset of [0, 32]) {
    assert.equal(der[at], 0x02);
    const length = der[at + 1]!;
    const value = der.subarray(at + 2, at + 2 + length);
    const trimmed = value[0] === 0 ? value.subarray(1) : value;
    out.set(trimmed, offset + 32 - trimmed.length);
    at += 2 + length;
  }
  return out;
}

const openssl = (args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8', stdio: 'pipe' });

/** d and 04||x||y from `openssl pkey -text`, so the keys under test come from OpenSSL itself. */
function opensslKey(file: string): { d: Uint8Array; point: Uint8Array } {
  const text = openssl(['pkey', '-in', file, '-noout', '-text']);
  const block = (label: string): Uint8Array => {
    const match = new RegExp(`${label}:\\n((?:\\s+[0-9a-f:]+\\n)+)`).exec(text);
    assert.ok(match?.[1], `no ${label} in openssl output`);
    return fromHex(match[1].replace(/[\s:]/g, ''));
  };
  const priv = block('priv');
  return { d: to32(toBig(priv)), point: block('pub') };
}

describe('SM2 native addon (certs-service/native via native-binding)', function () {
  let sm2: NativeSm2;
  let dir: string;

  before(function () {
    if (!existsSync(NATIVE_SM2_ADDON_PATH) || process.env.CERTHUB_SM2_ENGINE === 'js') {
      // Machines without a C toolchain build no addon; the JS engine covers them and its own tests run.
      this.skip();
    }
    const loaded = loadNativeSm2();
    assert.ok(loaded, 'the built addon must load');
    sm2 = loaded;
    dir = mkdtempSync(join(tmpdir(), 'certhub-native-'));
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the GM/T 0003.5 Annex A signature on the recommended curve and rejects it for another message', function () {
    // d, P, ID, M, r, s from GM/T 0003.5-2012 / OpenSSL test/sm2_internal_test.c (see /work/shared/SM-VECTORS.md).
    const point = fromHex(
      '04' +
        '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
        'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
    );
    const signature = fromHex(
      'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3' +
        'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
    );
    const verifier = sm2.createVerifier(point);
    const message = new TextEncoder().encode('message digest');
    assert.equal(sm2.verify(verifier, DEFAULT_ID, message, signature), true);
    assert.equal(sm2.verify(verifier, DEFAULT_ID, new TextEncoder().encode('message digesT'), signature), false);
    assert.equal(sm2.verify(verifier, new TextEncoder().encode('1234567812345679'), message, signature), false);
  });

  it('signs so that `openssl dgst -sm3 -verify -sigopt distid:…` accepts it, for the default and another ID', function () {
    const keyFile = join(dir, 'native-sign.key');
    const pubFile = join(dir, 'native-sign.pub');
    openssl(['genpkey', '-algorithm', 'SM2', '-out', keyFile]);
    openssl(['pkey', '-in', keyFile, '-pubout', '-out', pubFile]);
    const { d, point } = opensslKey(keyFile);
    const signer = sm2.createSigner(d, point);
    for (const id of ['1234567812345678', 'ALICE123@YAHOO.COM']) {
      const message = randomBytes(300);
      const signature = sm2.sign(signer, new TextEncoder().encode(id), message);
      assert.equal(signature.length, 64);
      writeFileSync(join(dir, 'msg'), message);
      writeFileSync(join(dir, 'sig.der'), rawToDer(signature));
      const out = openssl([
        'dgst',
        '-sm3',
        '-verify',
        pubFile,
        '-sigopt',
        `distid:${id}`,
        '-signature',
        join(dir, 'sig.der'),
        join(dir, 'msg'),
      ]);
      assert.match(out, /Verified OK/);
      // The same signature under the empty ID (OpenSSL's default) must fail: the ID really is in Z.
      assert.throws(() =>
        openssl(['dgst', '-sm3', '-verify', pubFile, '-signature', join(dir, 'sig.der'), join(dir, 'msg')]),
      );
    }
  });

  it('verifies signatures made by `openssl dgst -sm3 -sign -sigopt distid:…` and rejects them under another ID', function () {
    const keyFile = join(dir, 'openssl-sign.key');
    openssl(['genpkey', '-algorithm', 'SM2', '-out', keyFile]);
    const { point } = opensslKey(keyFile);
    const verifier = sm2.createVerifier(point);
    for (const id of ['1234567812345678', 'ALICE123@YAHOO.COM']) {
      const message = randomBytes(100);
      writeFileSync(join(dir, 'msg'), message);
      openssl([
        'dgst',
        '-sm3',
        '-sign',
        keyFile,
        '-sigopt',
        `distid:${id}`,
        '-out',
        join(dir, 'sig.der'),
        join(dir, 'msg'),
      ]);
      const raw = derToRaw(new Uint8Array(readFileSync(join(dir, 'sig.der'))));
      assert.equal(sm2.verify(verifier, new TextEncoder().encode(id), message, raw), true);
      assert.equal(sm2.verify(verifier, new TextEncoder().encode(id + 'x'), message, raw), false);
    }
  });

  it('agrees with an independent @noble/curves SM2 on random keys, messages, IDs and tampered signatures', function () {
    for (let round = 0; round < 40; round++) {
      const { d, point } = randomKey();
      const id = randomBytes(round % 3 === 0 ? 0 : 1 + (round % 40));
      const message = randomBytes(round * 7);
      const signer = sm2.createSigner(d, point);
      const verifier = sm2.createVerifier(point);

      const nativeSignature = sm2.sign(signer, id, message);
      assert.equal(
        referenceVerify(point, id, message, nativeSignature),
        true,
        `reference rejects native round ${round}`,
      );
      const referenceSignature = referenceSign(toBig(d), point, id, message);
      assert.equal(
        sm2.verify(verifier, id, message, referenceSignature),
        true,
        `native rejects reference round ${round}`,
      );

      const tampered = new Uint8Array(referenceSignature);
      tampered[round % 64]! ^= 1 << (round % 8);
      assert.equal(sm2.verify(verifier, id, message, tampered), referenceVerify(point, id, message, tampered));
      assert.equal(sm2.verify(verifier, id, message, tampered), false);
    }
  });

  it('returns false, not an exception, for r or s of zero or at least n', function () {
    const { d, point } = randomKey();
    const message = randomBytes(10);
    const good = sm2.sign(sm2.createSigner(d, point), DEFAULT_ID, message);
    const verifier = sm2.createVerifier(point);
    const withR = (r: bigint): Uint8Array => new Uint8Array([...to32(r), ...good.subarray(32)]);
    const withS = (s: bigint): Uint8Array => new Uint8Array([...good.subarray(0, 32), ...to32(s)]);
    for (const bad of [withR(0n), withR(n), withR(n + toBig(good.subarray(0, 32))), withS(0n), withS(n)]) {
      assert.equal(sm2.verify(verifier, DEFAULT_ID, message, bad), false);
    }
  });

  it('rejects arguments of the wrong type or size with TypeError / RangeError', function () {
    const { d, point } = randomKey();
    const signer = sm2.createSigner(d, point);
    const verifier = sm2.createVerifier(point);
    const message = randomBytes(5);
    const signature = sm2.sign(signer, DEFAULT_ID, message);

    assert.throws(() => sm2.createSigner(d.subarray(1), point), {
      name: 'RangeError',
      message: /d must be 32 bytes, got 31/,
    });
    assert.throws(() => sm2.createSigner(d, point.subarray(1)), {
      name: 'RangeError',
      message: /publicPoint must be 65 bytes/,
    });
    assert.throws(() => sm2.createVerifier(new Uint8Array(64)), {
      name: 'RangeError',
      message: /publicPoint must be 65 bytes, got 64/,
    });
    assert.throws(() => sm2.verify(verifier, DEFAULT_ID, message, signature.subarray(0, 63)), {
      name: 'RangeError',
      message: /rawSignature must be 64 bytes, got 63/,
    });
    assert.throws(() => sm2.sign(signer, new Uint8Array(8192), message), {
      name: 'RangeError',
      message: /id must be at most 8191 bytes/,
    });
    assert.throws(() => sm2.createVerifier('04ab' as unknown as Uint8Array), {
      name: 'TypeError',
      message: /publicPoint must be a Uint8Array/,
    });
    assert.throws(() => sm2.createVerifier(new Uint16Array(65) as unknown as Uint8Array), { name: 'TypeError' });
    // Handles are tagged: a verifier cannot sign, a signer cannot verify, and a plain object is neither.
    assert.throws(() => sm2.sign(verifier, DEFAULT_ID, message), { name: 'TypeError', message: /createSigner/ });
    assert.throws(() => sm2.verify(signer, DEFAULT_ID, message, signature), {
      name: 'TypeError',
      message: /createVerifier/,
    });
    assert.throws(() => sm2.sign({ __brand: 'NativeSm2Handle' }, DEFAULT_ID, message), { name: 'TypeError' });
    assert.throws(() => (sm2.sign as (...args: unknown[]) => unknown)(signer, DEFAULT_ID), {
      name: 'TypeError',
      message: /expected 3 arguments/,
    });
  });

  it('rejects invalid keys: off-curve point, compressed point, d of 0 or ≥ n-1, d not matching the point', function () {
    const { d, point } = randomKey();
    const offCurve = new Uint8Array(point);
    offCurve[64]! ^= 1;
    assert.throws(() => sm2.createVerifier(offCurve), {
      name: 'RangeError',
      message: /not on the SM2 curve|not a valid SM2 point/,
    });
    const compressedTag = new Uint8Array(point);
    compressedTag[0] = 0x02;
    assert.throws(() => sm2.createVerifier(compressedTag), { name: 'RangeError', message: /uncompressed/ });
    const other = randomKey();
    assert.throws(() => sm2.createSigner(d, other.point), { name: 'RangeError', message: /does not match/ });
    assert.throws(() => sm2.createSigner(new Uint8Array(32), point), RangeError);
    const nMinus1 = n - 1n;
    assert.throws(() => sm2.createSigner(to32(nMinus1), Sm2Point.BASE.multiply(nMinus1).toBytes(false)), RangeError);
  });

  it('signs an empty message and with an empty ID', function () {
    const { d, point } = randomKey();
    const signature = sm2.sign(sm2.createSigner(d, point), new Uint8Array(0), new Uint8Array(0));
    assert.equal(referenceVerify(point, new Uint8Array(0), new Uint8Array(0), signature), true);
  });
});

describe('SM2 native addon: its own curve arithmetic against OpenSSL EVP and @noble/curves', function () {
  let sm2: NativeSm2Diagnostics;

  before(function () {
    if (!existsSync(NATIVE_SM2_ADDON_PATH) || process.env.CERTHUB_SM2_ENGINE === 'js') this.skip();
    const loaded = loadNativeSm2();
    assert.ok(loaded);
    const diagnostics = nativeSm2Diagnostics(loaded);
    assert.ok(diagnostics, 'the addon exports signWithEvp, verifyWithEvp and multiplyBase');
    sm2 = diagnostics;
  });

  it('is bound to the OpenSSL 3 inside node', function () {
    assert.match(sm2.opensslVersion, /^OpenSSL 3\./);
  });

  it('computes k·G like @noble/curves for edge and random scalars (every nibble position, 0 and 15 digits)', function () {
    const scalars: bigint[] = [
      1n,
      2n,
      3n,
      15n,
      16n,
      17n,
      255n,
      256n,
      2n ** 128n,
      15n * 2n ** 252n,
      n - 1n,
      n - 2n,
      (n - 1n) / 2n,
    ];
    for (let i = 0; i < 64; i++) scalars.push(1n << BigInt(4 * i), 15n << BigInt(4 * i));
    for (let i = 0; i < 60; i++) scalars.push(mod(toBig(randomBytes(40)), n - 1n) + 1n);
    // Scalars of only 0 and 15 nibbles exercise the masked "keep the accumulator" and "start from infinity" paths.
    for (let i = 0; i < 20; i++) {
      let k = 0n;
      for (const byte of randomBytes(32)) k = (k << 4n) | (byte & 1 ? 15n : 0n);
      if (k > 0n && k < n) scalars.push(k);
    }
    for (const k of scalars) {
      assert.equal(
        hex(sm2.multiplyBase(to32(k))),
        hex(Sm2Point.BASE.multiply(k).toBytes(false)),
        `k = ${k.toString(16)}`,
      );
    }
    assert.throws(() => sm2.multiplyBase(to32(0n)), RangeError);
    assert.throws(() => sm2.multiplyBase(to32(n)), RangeError);
  });

  it('signs what OpenSSL EVP verifies and verifies what OpenSSL EVP signs, for 150 random keys and messages', function () {
    for (let round = 0; round < 150; round++) {
      const { d, point } = randomKey();
      const id = randomBytes(round % 5 === 0 ? 16 : round % 23);
      const message = randomBytes(round % 50);
      const signer = sm2.createSigner(d, point);
      const verifier = sm2.createVerifier(point);
      const fast = sm2.sign(signer, id, message);
      const evp = sm2.signWithEvp(signer, id, message);
      assert.equal(
        sm2.verifyWithEvp(verifier, id, message, fast),
        true,
        `EVP rejects the fast signature, round ${round}`,
      );
      assert.equal(sm2.verify(verifier, id, message, evp), true, `fast rejects the EVP signature, round ${round}`);
      const other = randomBytes(64);
      assert.equal(sm2.verify(verifier, id, message, other), sm2.verifyWithEvp(verifier, id, message, other));
    }
  });

  it('agrees with OpenSSL EVP on a known key across its switch to a per-key table, including tampered signatures', function () {
    const { d, point } = randomKey();
    const signer = sm2.createSigner(d, point);
    const verifier = sm2.createVerifier(point);
    // The first few verifications use wNAF, later ones the key's own comb table: compare both regimes.
    for (let round = 0; round < 60; round++) {
      const message = randomBytes(1 + round);
      const signature =
        round % 2 === 0 ? sm2.sign(signer, DEFAULT_ID, message) : sm2.signWithEvp(signer, DEFAULT_ID, message);
      assert.equal(sm2.verify(verifier, DEFAULT_ID, message, signature), true, `round ${round}`);
      const tampered = new Uint8Array(signature);
      tampered[round % 64]! ^= 0x80 >> (round % 8);
      assert.equal(sm2.verify(verifier, DEFAULT_ID, message, tampered), false, `tampered round ${round}`);
      assert.equal(sm2.verifyWithEvp(verifier, DEFAULT_ID, message, tampered), false);
      assert.equal(referenceVerify(point, DEFAULT_ID, message, signature), true);
    }
  });

  it('works from several worker threads at once (per-thread instances, shared generator tables)', async function () {
    const { d, point } = randomKey();
    // Each worker loads the addon itself (a context-aware N-API module), signs and verifies, and cross-checks
    // with the EVP route; any disagreement or exception fails the test.
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { randomBytes } = require('node:crypto');
      const m = { exports: {} };
      process.dlopen(m, workerData.file);
      const a = m.exports, id = Buffer.from('1234567812345678');
      const signer = a.createSigner(workerData.d, workerData.point), verifier = a.createVerifier(workerData.point);
      let good = 0;
      for (let i = 0; i < 300; i++) {
        const msg = randomBytes(i % 40), sig = a.sign(signer, id, msg);
        if (a.verify(verifier, id, msg, sig) && a.verifyWithEvp(verifier, id, msg, sig)) good++;
      }
      parentPort.postMessage(good);`;
    const runs = [0, 1].map(
      () =>
        new Promise<unknown>((resolve, reject) => {
          const worker = new Worker(source, { eval: true, workerData: { file: NATIVE_SM2_ADDON_PATH, d, point } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    );
    assert.deepEqual(await Promise.all(runs), [300, 300]);
  });

  it('verifyAsync answers on the thread pool as verify does, across the switch to a per-key table', async function () {
    const { d, point } = randomKey();
    const signer = sm2.createSigner(d, point);
    // A fresh verifier: its comb table is built by whichever verification comes fifth, while others run beside it.
    const verifier = sm2.createVerifier(point);
    const cases = Array.from({ length: 120 }, (_, round) => {
      const message = randomBytes(1 + (round % 50));
      const signature = sm2.sign(signer, DEFAULT_ID, message);
      if (round % 4 === 1) signature[round % 64]! ^= 1;
      return { message, signature, valid: round % 4 !== 1 };
    });
    const answers = await Promise.all(
      cases.map(({ message, signature }) => sm2.verifyAsync(verifier, DEFAULT_ID, message, signature)),
    );
    assert.deepEqual(
      answers,
      cases.map((c) => c.valid),
    );
    for (const c of cases) assert.equal(sm2.verify(verifier, DEFAULT_ID, c.message, c.signature), c.valid);
  });

  it('verifyAsync copies its inputs: changing them after the call does not change the answer', async function () {
    const { d, point } = randomKey();
    const message = randomBytes(40);
    const signature = sm2.sign(sm2.createSigner(d, point), DEFAULT_ID, message);
    const pending = sm2.verifyAsync(sm2.createVerifier(point), DEFAULT_ID, message, signature);
    message.fill(0);
    signature.fill(0);
    assert.equal(await pending, true);
  });

  it('verifyAsync rejects arguments of the wrong type or size at once, with TypeError / RangeError', function () {
    const { d, point } = randomKey();
    const verifier = sm2.createVerifier(point);
    const signer = sm2.createSigner(d, point);
    const call = (...args: unknown[]): unknown => (sm2.verifyAsync as (...a: unknown[]) => unknown)(...args);
    assert.throws(() => call(verifier, DEFAULT_ID, new Uint8Array(1), new Uint8Array(63)), RangeError);
    assert.throws(() => call(verifier, 'id', new Uint8Array(1), new Uint8Array(64)), TypeError);
    assert.throws(() => call({}, DEFAULT_ID, new Uint8Array(1), new Uint8Array(64)), TypeError);
    assert.throws(() => call(signer, DEFAULT_ID, new Uint8Array(1), new Uint8Array(64)), TypeError, 'a signer handle');
    assert.throws(() => call(verifier, DEFAULT_ID, new Uint8Array(1)), TypeError);
  });

  it('verifies with keys whose points have small and large scalars (P = G, 2G, (n-2)G)', function () {
    for (const k of [1n, 2n, n - 2n]) {
      const point = Sm2Point.BASE.multiply(k).toBytes(false);
      const message = randomBytes(20);
      const verifier = sm2.createVerifier(point);
      for (let i = 0; i < 6; i++) {
        assert.equal(sm2.verify(verifier, DEFAULT_ID, message, referenceSign(k, point, DEFAULT_ID, message)), true);
      }
    }
  });
});

describe('loadNativeSm2 and CERTHUB_SM2_ENGINE', function () {
  const saved = process.env.CERTHUB_SM2_ENGINE;
  const missing = join(tmpdir(), 'certhub-no-such-addon', 'certhub_sm2.node');
  afterEach(function () {
    if (saved === undefined) delete process.env.CERTHUB_SM2_ENGINE;
    else process.env.CERTHUB_SM2_ENGINE = saved;
  });

  it('CERTHUB_SM2_ENGINE=js disables loading, even of a built addon', function () {
    process.env.CERTHUB_SM2_ENGINE = 'js';
    assert.equal(loadNativeSm2(), undefined);
    assert.equal(loadNativeSm2From(missing), undefined);
  });

  it('a missing addon yields undefined by default and NativeSm2UnavailableError when native is required', function () {
    delete process.env.CERTHUB_SM2_ENGINE;
    assert.equal(loadNativeSm2From(missing), undefined);
    process.env.CERTHUB_SM2_ENGINE = 'native';
    assert.throws(
      () => loadNativeSm2From(missing),
      (error: unknown) => {
        assert.ok(error instanceof NativeSm2UnavailableError);
        assert.equal(error.code, 'NATIVE_SM2_UNAVAILABLE');
        assert.deepEqual(error.context, { file: missing });
        return true;
      },
    );
  });

  it('rejects an unknown CERTHUB_SM2_ENGINE value', function () {
    process.env.CERTHUB_SM2_ENGINE = 'openssl';
    assert.throws(
      () => loadNativeSm2From(missing),
      (error: unknown) => {
        assert.ok(error instanceof Sm2EngineSettingError);
        assert.equal(error.code, 'INVALID_SM2_ENGINE_SETTING');
        return true;
      },
    );
  });

  it('CERTHUB_SM2_ENGINE=native returns the built addon, loaded once', function () {
    if (!existsSync(NATIVE_SM2_ADDON_PATH)) this.skip();
    process.env.CERTHUB_SM2_ENGINE = 'native';
    const first = loadNativeSm2();
    assert.ok(first);
    assert.equal(loadNativeSm2(), first);
  });
});
