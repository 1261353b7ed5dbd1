import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sm2KeyError, Sm2PrivateKey, Sm2PublicKey, sm2Sign, sm2Verify } from '@certhub/certs-service/dist/sm/sm2';
import { describeEachEngine } from '../../unit/certs-service/sm/sm2/engines';

// Interoperability with the OpenSSL 3 command line on this machine, in both directions: signatures
// (with `distid:1234567812345678`, the GM/T 0009 default ID, and with other IDs) and key files.

const DISTID = 'distid:1234567812345678';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function openssl(cwd: string, args: string[]): Run {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs openssl and insists on success, showing its stderr otherwise. */
function opensslOk(cwd: string, args: string[]): string {
  const run = openssl(cwd, args);
  assert.equal(run.status, 0, `openssl ${args.join(' ')} failed: ${run.stderr}`);
  return run.stdout;
}

describeEachEngine('SM2 interop with the openssl CLI', () => {
  let dir = '';
  const message = Buffer.from('1.2.156.3005.2.11100000000013338W032.11220000013544541J.2430599.001.F\n');

  before(function () {
    if (spawnSync('openssl', ['version']).status !== 0) {
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'certhub-sm2-'));
    writeFileSync(join(dir, 'msg.txt'), message);
  });
  after(() => {
    if (dir !== '') {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('certhub → openssl', () => {
    it('openssl verifies our DER signature with distid:1234567812345678, and rejects it under another ID', () => {
      const key = Sm2PrivateKey.generate();
      writeFileSync(join(dir, 'pub.pem'), key.publicKey.toPem());
      writeFileSync(join(dir, 'sig.der'), sm2Sign(key, message));
      const ok = openssl(dir, [
        'dgst',
        '-sm3',
        '-verify',
        'pub.pem',
        '-sigopt',
        DISTID,
        '-signature',
        'sig.der',
        'msg.txt',
      ]);
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /Verified OK/);
      const wrongId = openssl(dir, [
        'dgst',
        '-sm3',
        '-verify',
        'pub.pem',
        '-sigopt',
        'distid:1234567812345679',
        '-signature',
        'sig.der',
        'msg.txt',
      ]);
      assert.equal(wrongId.status, 1);
      assert.match(wrongId.stdout, /Verification failure/);
    });

    it('openssl verifies our signature made with another ID when given that ID', () => {
      const key = Sm2PrivateKey.generate();
      writeFileSync(join(dir, 'pub-alice.pem'), key.publicKey.toPem());
      writeFileSync(join(dir, 'sig-alice.der'), sm2Sign(key, message, { id: 'ALICE123@YAHOO.COM' }));
      const run = openssl(dir, [
        'dgst',
        '-sm3',
        '-verify',
        'pub-alice.pem',
        '-sigopt',
        'distid:ALICE123@YAHOO.COM',
        '-signature',
        'sig-alice.der',
        'msg.txt',
      ]);
      assert.equal(run.status, 0, run.stderr);
    });

    it('openssl reads our PKCS#8 and SEC1 PEMs and derives the same public key; it signs with them', () => {
      const key = Sm2PrivateKey.generate();
      writeFileSync(join(dir, 'ours-pkcs8.pem'), key.toPkcs8Pem());
      writeFileSync(join(dir, 'ours-sec1.pem'), key.toSec1Pem());
      const fromPkcs8 = opensslOk(dir, ['pkey', '-in', 'ours-pkcs8.pem', '-pubout']);
      const fromSec1 = opensslOk(dir, ['ec', '-in', 'ours-sec1.pem', '-pubout']);
      assert.equal(fromPkcs8, key.publicKey.toPem());
      assert.ok(Sm2PublicKey.fromPem(fromSec1).equals(key.publicKey));
      // OpenSSL re-encoding our PKCS#8 gives back the same bytes: same structure, not just the same key.
      assert.equal(opensslOk(dir, ['pkey', '-in', 'ours-pkcs8.pem']), key.toPkcs8Pem());
      opensslOk(dir, [
        'dgst',
        '-sm3',
        '-sign',
        'ours-sec1.pem',
        '-sigopt',
        DISTID,
        '-out',
        'sig-by-ours.der',
        'msg.txt',
      ]);
      assert.equal(sm2Verify(key.publicKey, message, readFileSync(join(dir, 'sig-by-ours.der'))), true);
    });

    it('openssl reads our DER encodings too', () => {
      const key = Sm2PrivateKey.generate();
      writeFileSync(join(dir, 'ours.pk8.der'), key.toPkcs8Der());
      writeFileSync(join(dir, 'ours.sec1.der'), key.toSec1Der());
      writeFileSync(join(dir, 'ours.spki.der'), key.publicKey.toSpkiDer());
      const expected = key.publicKey.toPem();
      assert.equal(opensslOk(dir, ['pkey', '-inform', 'DER', '-in', 'ours.pk8.der', '-pubout']), expected);
      assert.ok(
        Sm2PublicKey.fromPem(opensslOk(dir, ['ec', '-inform', 'DER', '-in', 'ours.sec1.der', '-pubout'])).equals(
          key.publicKey,
        ),
      );
      assert.equal(opensslOk(dir, ['pkey', '-pubin', '-inform', 'DER', '-in', 'ours.spki.der', '-pubout']), expected);
    });
  });

  describe('openssl → certhub', () => {
    let keyPem = '';
    let publicKey: Sm2PublicKey;

    before(() => {
      opensslOk(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'ossl.pem']);
      opensslOk(dir, ['pkey', '-in', 'ossl.pem', '-pubout', '-out', 'ossl-pub.pem']);
      keyPem = readFileSync(join(dir, 'ossl.pem'), 'utf8');
      publicKey = Sm2PublicKey.fromPem(readFileSync(join(dir, 'ossl-pub.pem'), 'utf8'));
    });

    it("OpenSSL's signature with distid:1234567812345678 verifies here; a wrong ID or message gives false", () => {
      opensslOk(dir, ['dgst', '-sm3', '-sign', 'ossl.pem', '-sigopt', DISTID, '-out', 'ossl-sig.der', 'msg.txt']);
      const signature = readFileSync(join(dir, 'ossl-sig.der'));
      assert.equal(sm2Verify(publicKey, message, signature), true);
      assert.equal(sm2Verify(publicKey, message, signature, { id: 'ALICE123@YAHOO.COM' }), false);
      assert.equal(sm2Verify(publicKey, Buffer.concat([message, Buffer.of(0)]), signature), false);
    });

    it("OpenSSL's signature without distid uses the empty ID, which verifies here with id ''", () => {
      opensslOk(dir, ['dgst', '-sm3', '-sign', 'ossl.pem', '-out', 'ossl-sig-noid.der', 'msg.txt']);
      const signature = readFileSync(join(dir, 'ossl-sig-noid.der'));
      assert.equal(sm2Verify(publicKey, message, signature, { id: '' }), true);
      assert.equal(sm2Verify(publicKey, message, signature), false);
    });

    it("OpenSSL's PKCS#8 PEM and DER, SEC1 PEM (with and without public key) and ecparam output load with the same public point", () => {
      const fromPkcs8 = Sm2PrivateKey.fromPem(keyPem);
      assert.ok(fromPkcs8.publicKey.equals(publicKey));
      opensslOk(dir, ['pkey', '-in', 'ossl.pem', '-outform', 'DER', '-out', 'ossl.der']);
      assert.ok(Sm2PrivateKey.fromDer(readFileSync(join(dir, 'ossl.der'))).publicKey.equals(publicKey));
      opensslOk(dir, ['ec', '-in', 'ossl.pem', '-out', 'ossl-sec1.pem']);
      opensslOk(dir, ['ec', '-in', 'ossl.pem', '-no_public', '-out', 'ossl-sec1-nopub.pem']);
      opensslOk(dir, ['ec', '-in', 'ossl.pem', '-outform', 'DER', '-out', 'ossl-sec1.der']);
      for (const file of ['ossl-sec1.pem', 'ossl-sec1-nopub.pem']) {
        assert.ok(Sm2PrivateKey.fromPem(readFileSync(join(dir, file), 'utf8')).publicKey.equals(publicKey), file);
      }
      assert.ok(Sm2PrivateKey.fromDer(readFileSync(join(dir, 'ossl-sec1.der'))).publicKey.equals(publicKey));
      opensslOk(dir, ['pkey', '-in', 'ossl.pem', '-pubout', '-outform', 'DER', '-out', 'ossl-pub.der']);
      assert.ok(Sm2PublicKey.fromSpkiDer(readFileSync(join(dir, 'ossl-pub.der'))).equals(publicKey));
      opensslOk(dir, ['ecparam', '-name', 'SM2', '-genkey', '-out', 'ossl-ecparam.pem']);
      const fromEcparam = Sm2PrivateKey.fromPem(readFileSync(join(dir, 'ossl-ecparam.pem'), 'utf8'));
      const theirPub = opensslOk(dir, ['pkey', '-in', 'ossl-ecparam.pem', '-pubout']);
      assert.equal(fromEcparam.publicKey.toPem(), theirPub);
    });

    it("signs with OpenSSL's key loaded here, and OpenSSL verifies that", () => {
      const key = Sm2PrivateKey.fromPem(keyPem);
      writeFileSync(join(dir, 'sig-with-ossl-key.der'), sm2Sign(key, message));
      const run = openssl(dir, [
        'dgst',
        '-sm3',
        '-verify',
        'ossl-pub.pem',
        '-sigopt',
        DISTID,
        '-signature',
        'sig-with-ossl-key.der',
        'msg.txt',
      ]);
      assert.equal(run.status, 0, run.stderr);
    });

    it('an OpenSSL P-256 key is refused as the wrong curve', () => {
      opensslOk(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'p256.pem']);
      opensslOk(dir, ['pkey', '-in', 'p256.pem', '-pubout', '-out', 'p256-pub.pem']);
      const isWrongCurve = (error: unknown): boolean => {
        assert.ok(error instanceof Sm2KeyError);
        assert.match(error.message, /wrong curve/);
        return true;
      };
      assert.throws(() => Sm2PrivateKey.fromPem(readFileSync(join(dir, 'p256.pem'), 'utf8')), isWrongCurve);
      assert.throws(() => Sm2PublicKey.fromPem(readFileSync(join(dir, 'p256-pub.pem'), 'utf8')), isWrongCurve);
    });
  });
});
