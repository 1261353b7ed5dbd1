import assert from 'node:assert/strict';
import { runCli } from '@certhub/gateway/dist/cli/run';
import { MemoryIo } from './memory-io';

describe('certhub CLI (in-process)', () => {
  let io: MemoryIo;
  beforeEach(() => {
    io = new MemoryIo();
  });

  describe('dispatch and help', () => {
    it('lists every command on stderr with no arguments and exits 2', async () => {
      assert.equal(await runCli([], io), 2);
      assert.match(io.err, /missing command/);
      for (const c of ['sm3', 'sm2 keygen', 'sm2 pub', 'sm2 sign', 'sm2 verify', 'ca init', 'ca issue', 'ca verify']) {
        assert.match(io.err, new RegExp(`certhub ${c} `));
      }
    });
    it('lists every command on stdout for --help and exits 0', async () => {
      assert.equal(await runCli(['--help'], io), 0);
      assert.match(io.out, /certhub ca verify /);
    });
    it('prints a group overview for `sm2 --help` and exits 0', async () => {
      assert.equal(await runCli(['sm2', '--help'], io), 0);
      assert.match(io.out, /certhub sm2 sign/);
      assert.doesNotMatch(io.out, /certhub ca init/);
    });
    it('prints the flags of one command for --help and exits 0', async () => {
      assert.equal(await runCli(['sm2', 'sign', '--help'], io), 0);
      assert.match(io.out, /--key KEY/);
      assert.match(io.out, /\[--id ID\]/);
    });
    it('rejects an unknown command with exit 2', async () => {
      assert.equal(await runCli(['sm5'], io), 2);
      assert.match(io.err, /unknown command "sm5"/);
    });
    it('rejects a group without a command with exit 2', async () => {
      assert.equal(await runCli(['ca'], io), 2);
      assert.match(io.err, /missing command/);
    });
    it('rejects an unknown flag, a missing required flag and extra arguments with exit 2', async () => {
      assert.equal(await runCli(['sm2', 'keygen', '--out', 'k.pem', '--bogus', 'x'], io), 2);
      assert.match(io.err, /bogus/);
      io.reset();
      assert.equal(await runCli(['sm2', 'keygen'], io), 2);
      assert.match(io.err, /missing --out/);
      io.reset();
      assert.equal(await runCli(['sm3'], io), 2);
      assert.match(io.err, /expected 1 argument/);
    });
  });

  describe('sm3', () => {
    it('prints the GB/T 32905 example digest of "abc"', async () => {
      io.files.set('abc.txt', Buffer.from('abc'));
      assert.equal(await runCli(['sm3', 'abc.txt'], io), 0);
      // GB/T 32905-2016 Appendix A, example 1.
      assert.equal(io.out, '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0\n');
    });
    it('answers a missing file with a one-line input error and exit 2', async () => {
      assert.equal(await runCli(['sm3', 'nope.bin'], io), 2);
      assert.match(io.err, /cannot read nope\.bin/);
      assert.equal(io.err.trim().split('\n').length, 1);
    });
  });

  describe('sm2', () => {
    beforeEach(async () => {
      io.files.set('msg.txt', Buffer.from('电子证照 e-license'));
      assert.equal(await runCli(['sm2', 'keygen', '--out', 'key.pem'], io), 0);
      assert.equal(await runCli(['sm2', 'pub', '--key', 'key.pem', '--out', 'pub.pem'], io), 0);
    });
    it('writes a PKCS#8 private key marked secret and an SPKI public key', () => {
      assert.match(io.text('key.pem'), /^-----BEGIN PRIVATE KEY-----\n/);
      assert.ok(io.secretFiles.has('key.pem'));
      assert.match(io.text('pub.pem'), /^-----BEGIN PUBLIC KEY-----\n/);
    });
    it('signs and verifies (exit 0), and rejects a changed file, a changed ID or another key (exit 1)', async () => {
      assert.equal(await runCli(['sm2', 'sign', '--key', 'key.pem', '--in', 'msg.txt', '--out', 'sig.der'], io), 0);
      assert.equal(await runCli(['sm2', 'verify', '--pub', 'pub.pem', '--in', 'msg.txt', '--sig', 'sig.der'], io), 0);
      assert.match(io.out, /Verified OK/);

      io.files.set('other.txt', Buffer.from('电子证照 e-licensE'));
      assert.equal(await runCli(['sm2', 'verify', '--pub', 'pub.pem', '--in', 'other.txt', '--sig', 'sig.der'], io), 1);
      const withId = [
        'sm2',
        'verify',
        '--pub',
        'pub.pem',
        '--in',
        'msg.txt',
        '--sig',
        'sig.der',
        '--id',
        'ALICE123@YAHOO.COM',
      ];
      assert.equal(await runCli(withId, io), 1);
      await runCli(['sm2', 'keygen', '--out', 'key2.pem'], io);
      await runCli(['sm2', 'pub', '--key', 'key2.pem', '--out', 'pub2.pem'], io);
      assert.equal(await runCli(['sm2', 'verify', '--pub', 'pub2.pem', '--in', 'msg.txt', '--sig', 'sig.der'], io), 1);
    });
    it('verifies a signature made with another distinguishing ID only under that ID', async () => {
      await runCli(
        ['sm2', 'sign', '--key', 'key.pem', '--in', 'msg.txt', '--out', 'sig.der', '--id', 'clerk@420100'],
        io,
      );
      assert.equal(await runCli(['sm2', 'verify', '--pub', 'pub.pem', '--in', 'msg.txt', '--sig', 'sig.der'], io), 1);
      const args = ['sm2', 'verify', '--pub', 'pub.pem', '--in', 'msg.txt', '--sig', 'sig.der', '--id', 'clerk@420100'];
      assert.equal(await runCli(args, io), 0);
    });
    it('reports a truncated signature as invalid (exit 1), naming the malformation', async () => {
      await runCli(['sm2', 'sign', '--key', 'key.pem', '--in', 'msg.txt', '--out', 'sig.der'], io);
      const sig = io.files.get('sig.der');
      assert.ok(sig);
      io.files.set('sig.der', sig.subarray(0, sig.length - 3));
      assert.equal(await runCli(['sm2', 'verify', '--pub', 'pub.pem', '--in', 'msg.txt', '--sig', 'sig.der'], io), 1);
      assert.match(io.err, /malformed signature/);
    });
    it('answers a key file that is not a key with a typed input error and exit 2', async () => {
      io.files.set('junk.pem', Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'));
      assert.equal(await runCli(['sm2', 'pub', '--key', 'junk.pem', '--out', 'p.pem'], io), 2);
      assert.match(io.err, /\[(MALFORMED_DER|MALFORMED_PEM|INVALID_SM2_KEY)\]/);
      assert.equal(io.files.has('p.pem'), false);
    });
  });

  describe('ca', () => {
    beforeEach(async () => {
      const init = [
        'ca',
        'init',
        '--subject',
        'CN=Wuhan Root CA,O=Wuhan,C=CN',
        '--out-key',
        'ca.key',
        '--out-cert',
        'ca.pem',
      ];
      assert.equal(await runCli(init, io), 0);
      await runCli(['sm2', 'keygen', '--out', 'issuer.key'], io);
      await runCli(['sm2', 'pub', '--key', 'issuer.key', '--out', 'issuer.pub'], io);
    });
    const issue = (extra: string[] = []): string[] => [
      'ca',
      'issue',
      '--ca-key',
      'ca.key',
      '--ca-cert',
      'ca.pem',
      '--pub',
      'issuer.pub',
      '--subject',
      'CN=Wuhan Market Regulation,O=Wuhan,C=CN',
      '--out',
      'issuer.pem',
      ...extra,
    ];
    it('issues an issuer certificate that verifies under the root (exit 0)', async () => {
      assert.equal(await runCli(issue(['--uscc', '914403001922038216', '--days', '30']), io), 0);
      assert.match(io.text('issuer.pem'), /^-----BEGIN CERTIFICATE-----/);
      assert.equal(await runCli(['ca', 'verify', '--ca-cert', 'ca.pem', '--cert', 'issuer.pem'], io), 0);
      assert.match(io.out, /issuer\.pem: OK/);
    });
    it('rejects the certificate after it expires and under another root (exit 1)', async () => {
      await runCli(issue(['--days', '30']), io);
      const late = new Date(Date.now() + 40 * 86_400_000).toISOString();
      assert.equal(await runCli(['ca', 'verify', '--ca-cert', 'ca.pem', '--cert', 'issuer.pem', '--at', late], io), 1);
      assert.match(io.err, /invalid/);
      await runCli(['ca', 'init', '--subject', 'CN=Other Root,C=CN', '--out-key', 'o.key', '--out-cert', 'o.pem'], io);
      assert.equal(await runCli(['ca', 'verify', '--ca-cert', 'o.pem', '--cert', 'issuer.pem'], io), 1);
    });
    it('rejects a bad --days, a bad --at and an invalid USCC with exit 2, writing nothing', async () => {
      assert.equal(await runCli(issue(['--days', '0']), io), 2);
      assert.match(io.err, /--days must be a whole number/);
      assert.equal(await runCli(issue(['--uscc', '914403001922038217']), io), 2);
      assert.match(io.err, /INVALID_IDENTIFIER/);
      assert.equal(io.files.has('issuer.pem'), false);
      await runCli(issue(), io);
      assert.equal(
        await runCli(['ca', 'verify', '--ca-cert', 'ca.pem', '--cert', 'issuer.pem', '--at', 'yesterday'], io),
        2,
      );
      assert.match(io.err, /ISO 8601/);
    });
  });
});
