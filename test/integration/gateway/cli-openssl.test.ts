import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The built `certhub` bin (test/dist/integration/gateway → repo root).
const CLI = resolve(__dirname, '../../../../gateway/dist/cli/main.js');
const ID = 'distid:1234567812345678';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe('certhub CLI against OpenSSL 3 (both directions)', function () {
  this.timeout(60_000);
  let dir: string;
  const at = (name: string): string => join(dir, name);
  const run = (cmd: string, args: string[]): Result => {
    const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8' });
    if (r.error) throw r.error;
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const certhub = (...args: string[]): Result => run(process.execPath, [CLI, ...args]);
  const openssl = (...args: string[]): Result => run('openssl', args);
  const ok = (r: Result): Result => {
    assert.equal(r.code, 0, `exit ${r.code}: ${r.stderr}${r.stdout}`);
    return r;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'certhub-cli-'));
    writeFileSync(at('msg.txt'), 'e-license 电子证照 1.2.156.3005.2');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('sm3 matches openssl dgst -sm3', () => {
    const ours = ok(certhub('sm3', 'msg.txt')).stdout.trim();
    const theirs = ok(openssl('dgst', '-sm3', '-r', 'msg.txt')).stdout.split(' ')[0];
    assert.equal(ours, theirs);
  });

  it('a certhub key and signature verify with openssl dgst -sm3 -verify -sigopt distid', () => {
    ok(certhub('sm2', 'keygen', '--out', 'k.pem'));
    ok(certhub('sm2', 'pub', '--key', 'k.pem', '--out', 'k.pub'));
    ok(certhub('sm2', 'sign', '--key', 'k.pem', '--in', 'msg.txt', '--out', 'sig.der'));
    const r = ok(openssl('dgst', '-sm3', '-verify', 'k.pub', '-sigopt', ID, '-signature', 'sig.der', 'msg.txt'));
    assert.match(r.stdout, /Verified OK/);
    // OpenSSL reads our PKCS#8 private key and derives the same public key.
    const pub = ok(openssl('pkey', '-in', 'k.pem', '-pubout')).stdout;
    assert.equal(pub, readFileSync(at('k.pub'), 'utf8'));
  });

  it('an OpenSSL key and signature verify with certhub; a tampered one exits 1', () => {
    ok(openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'o.pem'));
    ok(openssl('pkey', '-in', 'o.pem', '-pubout', '-out', 'o.pub'));
    ok(openssl('dgst', '-sm3', '-sign', 'o.pem', '-sigopt', ID, '-out', 'osig.der', 'msg.txt'));
    assert.match(ok(certhub('sm2', 'verify', '--pub', 'o.pub', '--in', 'msg.txt', '--sig', 'osig.der')).stdout, /OK/);
    // certhub signs with the OpenSSL-made key (PKCS#8) and with its SEC1 form.
    ok(openssl('ec', '-in', 'o.pem', '-out', 'o-sec1.pem'));
    ok(certhub('sm2', 'sign', '--key', 'o-sec1.pem', '--in', 'msg.txt', '--out', 'sig2.der'));
    ok(openssl('dgst', '-sm3', '-verify', 'o.pub', '-sigopt', ID, '-signature', 'sig2.der', 'msg.txt'));
    const tampered = Buffer.from(readFileSync(at('msg.txt')));
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    writeFileSync(at('tampered.txt'), tampered);
    assert.equal(certhub('sm2', 'verify', '--pub', 'o.pub', '--in', 'tampered.txt', '--sig', 'osig.der').code, 1);
  });

  it('a certhub CA and issuer certificate pass openssl verify -vfyopt distid', () => {
    ok(
      certhub(
        'ca',
        'init',
        '--subject',
        'CN=Wuhan Root CA,O=Wuhan,C=CN',
        '--out-key',
        'ca.key',
        '--out-cert',
        'ca.pem',
      ),
    );
    ok(certhub('sm2', 'keygen', '--out', 'i.key'));
    ok(certhub('sm2', 'pub', '--key', 'i.key', '--out', 'i.pub'));
    const subject = 'CN=Wuhan Market Regulation,O=Wuhan,C=CN';
    ok(
      certhub(
        'ca',
        'issue',
        '--ca-key',
        'ca.key',
        '--ca-cert',
        'ca.pem',
        '--pub',
        'i.pub',
        '--subject',
        subject,
        '--out',
        'i.pem',
      ),
    );
    const r = ok(openssl('verify', '-vfyopt', ID, '-CAfile', 'ca.pem', 'i.pem'));
    assert.match(r.stdout, /i\.pem: OK/);
    assert.match(ok(openssl('x509', '-in', 'i.pem', '-noout', '-text')).stdout, /SM2-with-SM3/);
    ok(certhub('ca', 'verify', '--ca-cert', 'ca.pem', '--cert', 'i.pem'));
  });

  it('an OpenSSL-made root and issuer certificate verify with certhub ca verify', () => {
    ok(openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'oca.key'));
    ok(
      openssl(
        'req',
        '-x509',
        '-new',
        '-key',
        'oca.key',
        '-sm3',
        '-sigopt',
        ID,
        '-subj',
        '/C=CN/O=Guangde/CN=Guangde Root CA',
        '-days',
        '365',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
        '-out',
        'oca.pem',
      ),
    );
    ok(openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', 'oi.key'));
    ok(
      openssl(
        'req',
        '-new',
        '-key',
        'oi.key',
        '-sm3',
        '-sigopt',
        ID,
        '-subj',
        '/C=CN/O=Guangde/CN=Guangde Transport',
        '-out',
        'oi.csr',
      ),
    );
    writeFileSync(at('ext.cnf'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
    ok(
      openssl(
        'x509',
        '-req',
        '-in',
        'oi.csr',
        '-CA',
        'oca.pem',
        '-CAkey',
        'oca.key',
        '-CAcreateserial',
        '-sm3',
        '-sigopt',
        ID,
        '-vfyopt',
        ID,
        '-days',
        '90',
        '-extfile',
        'ext.cnf',
        '-out',
        'oi.pem',
      ),
    );
    assert.match(ok(certhub('ca', 'verify', '--ca-cert', 'oca.pem', '--cert', 'oi.pem')).stdout, /OK/);
    // Signed by OpenSSL's key, checked by OpenSSL's public key through the certificate.
    ok(openssl('dgst', '-sm3', '-sign', 'oi.key', '-sigopt', ID, '-out', 'oi.sig', 'msg.txt'));
    ok(certhub('sm2', 'verify', '--pub', 'oi.pem', '--in', 'msg.txt', '--sig', 'oi.sig'));
    // Under our own root it does not chain: exit 1.
    assert.equal(certhub('ca', 'verify', '--ca-cert', 'ca.pem', '--cert', 'oi.pem').code, 1);
  });

  it('exits 2 with one line on stderr for a missing file', () => {
    const r = certhub('sm2', 'pub', '--key', 'absent.pem', '--out', 'x.pub');
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /absent\.pem/);
  });
});
