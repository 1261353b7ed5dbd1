import assert from 'node:assert/strict';
import { buildLicenseId, parseLicenseId } from '@certhub/certs-service';
import { runCli } from '@certhub/gateway/dist/cli/run';
import { qrPayload } from '@certhub/gateway/dist/qr';
import { businessLicenseRequest } from '../routes/hub-app';
import { listenGateway, refusingUrl, type ListeningGateway } from './listening-gateway';
import { MemoryIo } from './memory-io';

const CLERK = 'dev-wuhan-clerk';
const STEPS = ['format', 'hash', 'signature', 'issuer', 'anchor', 'status', 'validity', 'recognition'];

interface Issued {
  licenseId: string;
  docHash: string;
  txId: string;
  document: Record<string, unknown>;
}

/** The value printed after `name:` in the CLI's aligned `name: value` output. */
function field(text: string, name: string): string {
  const match = new RegExp(`^${name}:\\s+(.+)$`, 'm').exec(text);
  assert.ok(match?.[1] !== undefined, `no ${name} in:\n${text}`);
  return match[1];
}

describe('certhub license … against a listening gateway', function () {
  this.timeout(60_000);
  let gateway: ListeningGateway;
  let io: MemoryIo;
  /** argv with the gateway's URL (and a token unless `null`) appended, as a user would type them. */
  const cli = (args: string[], token: string | null = CLERK): Promise<number> =>
    runCli([...args, '--url', gateway.url, ...(token === null ? [] : ['--token', token])], io);

  before(async () => {
    gateway = await listenGateway();
  });
  after(async () => {
    await gateway.close();
  });
  beforeEach(() => {
    io = new MemoryIo();
    io.files.set('request.json', Buffer.from(JSON.stringify(businessLicenseRequest())));
  });

  /** Issues through the CLI and returns what `--json` printed. */
  async function issue(extra: string[] = []): Promise<Issued> {
    const code = await cli(['license', 'issue', '--in', 'request.json', '--json', ...extra]);
    assert.equal(code, 0, io.err);
    const issued = JSON.parse(io.out) as Issued;
    io.reset();
    return issued;
  }

  it('issue → verify VALID → revoke → verify exits 1 naming status → history shows both', async () => {
    assert.equal(await cli(['license', 'issue', '--in', 'request.json', '--out', 'license.json']), 0, io.err);
    const licenseId = field(io.out, 'licenseId');
    assert.match(field(io.out, 'docHash'), /^[0-9a-f]{64}$/);
    const issueTx = field(io.out, 'txId');
    const document = JSON.parse(io.text('license.json')) as Record<string, unknown>;
    assert.equal(document.licenseId, licenseId);
    assert.equal(io.err, '');

    io.reset();
    assert.equal(await cli(['license', 'verify', '--in', 'license.json'], null), 0, io.out);
    assert.equal(field(io.out, 'verdict'), 'VALID');
    assert.equal(field(io.out, 'recognized'), 'not asked (anonymous caller)');
    assert.equal(field(io.out, 'license'), licenseId);
    for (const step of STEPS.slice(0, 7)) assert.match(io.out, new RegExp(`^✓ ${step}: .+$`, 'm'));

    io.reset();
    assert.equal(
      await cli(['license', 'revoke', licenseId, '--reason', '吊销: 虚假材料 (false documents)']),
      0,
      io.err,
    );
    assert.equal(field(io.out, 'status'), '07 revoked');
    const revokeTx = field(io.out, 'txId');

    io.reset();
    assert.equal(await cli(['license', 'verify', '--in', 'license.json'], null), 1);
    assert.equal(field(io.out, 'verdict'), 'INVALID');
    assert.match(io.out, /^✗ status: .*revoked/m);
    for (const step of ['format', 'hash', 'signature', 'issuer', 'anchor']) {
      assert.match(io.out, new RegExp(`^✓ ${step}: `, 'm'));
    }

    io.reset();
    assert.equal(await cli(['license', 'history', licenseId]), 0, io.err);
    const rows = io.out.split('\n');
    assert.equal(rows[0], licenseId);
    assert.match(rows[1] ?? '', /^time\s+action\s+status\s+actor\s+txId$/);
    assert.match(rows[2] ?? '', new RegExp(`^\\S+\\s+issue\\s+01 valid\\s+\\S+@WuhanMSP\\s+${issueTx}$`));
    assert.match(rows[3] ?? '', new RegExp(`^\\S+\\s+revoke\\s+07 revoked\\s+\\S+@WuhanMSP\\s+${revokeTx}$`));
    assert.match(io.out, /revoke: 吊销: 虚假材料 \(false documents\)/);

    io.reset();
    assert.equal(await cli(['license', 'history', licenseId, '--json']), 0);
    const history = JSON.parse(io.out) as { licenseId: string; entries: { action: string; txId: string }[] };
    assert.deepEqual(
      history.entries.map((e) => [e.action, e.txId]),
      [
        ['issue', issueTx],
        ['revoke', revokeTx],
      ],
    );
  });

  it('issue --json prints the whole answer and an Idempotency-Key retry returns the first license', async () => {
    const first = await issue(['--idempotency-key', 'cli-test-1']);
    assert.equal(typeof first.document, 'object');
    const again = await issue(['--idempotency-key', 'cli-test-1']);
    assert.equal(again.licenseId, first.licenseId);
    assert.equal(again.txId, first.txId);
  });

  it('verifies by --id, --id with --doc-hash and --qr; a signed-in verifier learns recognition', async () => {
    const issued = await issue();
    assert.equal(await cli(['license', 'verify', '--id', issued.licenseId], null), 0, io.out + io.err);
    assert.equal(field(io.out, 'verdict'), 'VALID');
    io.reset();
    const withHash = ['license', 'verify', '--id', issued.licenseId, '--doc-hash', issued.docHash];
    assert.equal(await cli(withHash, null), 0);
    io.reset();
    const qr = qrPayload(issued.licenseId, issued.docHash);
    assert.equal(await cli(['license', 'verify', '--qr', qr], 'dev-guangde-verifier'), 0);
    assert.equal(field(io.out, 'recognized'), 'no');
    assert.match(io.out, /^✗ recognition: /m);
    io.reset();
    assert.equal(await cli(['license', 'verify', '--id', issued.licenseId, '--json'], CLERK), 0);
    const report = JSON.parse(io.out) as { verdict: string; recognized: boolean; checks: { step: string }[] };
    assert.equal(report.verdict, 'VALID');
    assert.equal(report.recognized, true);
    assert.deepEqual(
      report.checks.map((c) => c.step),
      STEPS,
    );
  });

  it('a one-byte change to the document is INVALID (exit 1) naming the failing step', async () => {
    const issued = await issue();
    const tampered = { ...issued.document, number: `${String(issued.document.number)}X` };
    io.files.set('tampered.json', Buffer.from(JSON.stringify(tampered)));
    assert.equal(await cli(['license', 'verify', '--in', 'tampered.json'], null), 1);
    assert.match(io.out, /^✗ (hash|anchor|signature): /m);
    io.reset();
    const otherHash = 'f'.repeat(64);
    assert.equal(await cli(['license', 'verify', '--id', issued.licenseId, '--doc-hash', otherHash], null), 1);
    assert.match(io.out, /^✗ \w+: /m);
  });

  it('suspends, reinstates and cancels; get shows the current status', async () => {
    const { licenseId } = await issue();
    assert.equal(await cli(['license', 'suspend', licenseId, '--reason', 'inspection']), 0, io.err);
    assert.equal(field(io.out, 'status'), '02 suspended');
    io.reset();
    assert.equal(await cli(['license', 'get', licenseId]), 0, io.err);
    assert.equal(field(io.out, 'status'), '02 suspended');
    assert.equal(field(io.out, 'licenseId'), licenseId);
    io.reset();
    assert.equal(await cli(['license', 'reinstate', licenseId, '--reason', 'inspection passed']), 0);
    assert.equal(field(io.out, 'status'), '01 valid');
    io.reset();
    assert.equal(await cli(['license', 'cancel', licenseId, '--reason', 'business closed', '--json']), 0);
    assert.equal((JSON.parse(io.out) as { status: string }).status, '04');
    io.reset();
    // Cancelled is final: the gateway's 409 comes through with its code.
    assert.equal(await cli(['license', 'reinstate', licenseId, '--reason', 'undo']), 2);
    assert.match(io.err, /^certhub: 409 INVALID_STATE_TRANSITION: /);
  });

  describe('errors from the gateway', () => {
    it('a bad token is the gateway’s 401, exit 2, and the token is never printed', async () => {
      const secret = 'not-a-real-token-8f3a';
      assert.equal(await cli(['license', 'issue', '--in', 'request.json'], secret), 2);
      assert.match(io.err, /^certhub: 401 UNAUTHENTICATED: .+\n$/);
      assert.equal(io.out, '');
      assert.doesNotMatch(io.err, new RegExp(secret));
      io.reset();
      // Verification is open to anyone, but a token that is given must be valid.
      assert.equal(await cli(['license', 'verify', '--id', '1.2.156.3005.2.X'], secret), 2);
      assert.doesNotMatch(io.out + io.err, new RegExp(secret));
    });

    it('a caller without the role gets the gateway’s 403, exit 2', async () => {
      assert.equal(await cli(['license', 'issue', '--in', 'request.json'], 'dev-bank'), 2);
      assert.match(io.err, /^certhub: 403 FORBIDDEN: .+\n$/);
    });

    it('a request the gateway refuses is a 400 listing each failing field', async () => {
      const bad = businessLicenseRequest({ validFrom: '2026-02-30', holder: { name: 'x', idType: '001', id: '1' } });
      io.files.set('bad.json', Buffer.from(JSON.stringify(bad)));
      assert.equal(await cli(['license', 'issue', '--in', 'bad.json']), 2);
      assert.match(io.err, /^certhub: 400 VALIDATION_FAILED: /);
      assert.match(io.err, /^ {2}\/validFrom: /m);
      assert.match(io.err, /^ {2}\/holder\/id: /m);
    });

    it('an unknown license is the gateway’s 404, and a wrong check character its 400', async () => {
      const { licenseId } = await issue();
      // Same type, issuer and version with another serial: a well-formed ID that was never issued.
      const parts = parseLicenseId(licenseId);
      const unknown = buildLicenseId({ ...parts, serial: `${parts.serial}9` });
      assert.equal(await cli(['license', 'history', unknown]), 2);
      assert.match(io.err, /^certhub: 404 LICENSE_NOT_FOUND: /);
      io.reset();
      const wrongCheck = licenseId.slice(0, -1) + (licenseId.endsWith('A') ? 'B' : 'A');
      assert.equal(await cli(['license', 'get', wrongCheck]), 2);
      assert.match(io.err, /^certhub: 400 VALIDATION_FAILED: /);
    });

    it('connection refused names the URL, exit 2', async () => {
      const url = await refusingUrl();
      assert.equal(await runCli(['license', 'verify', '--id', 'x', '--url', url], io), 2);
      assert.equal(
        io.err,
        `certhub: cannot reach the gateway at ${url}: ECONNREFUSED (is it running? --url or CERTHUB_URL says where)\n`,
      );
    });
  });

  describe('usage', () => {
    it('takes the URL and token from CERTHUB_URL and CERTHUB_TOKEN when no flag is given', async () => {
      io.env = { CERTHUB_URL: gateway.url, CERTHUB_TOKEN: CLERK };
      assert.equal(await runCli(['license', 'issue', '--in', 'request.json'], io), 0, io.err);
      assert.match(field(io.out, 'licenseId'), /^1\.2\.156\.3005\.2\./);
    });

    it('refuses, exit 2 and before any request: no token, no or two things to verify, a stray --doc-hash', async () => {
      const cases: [string[], RegExp][] = [
        [['license', 'issue', '--in', 'request.json'], /needs a token: pass --token or set CERTHUB_TOKEN/],
        [['license', 'verify'], /say what to verify: --in FILE, --id LICENSE_ID or --qr PAYLOAD/],
        [['license', 'verify', '--id', 'a', '--qr', 'b'], /give only one of --in, --id and --qr \(got --id, --qr\)/],
        [['license', 'verify', '--qr', 'b', '--doc-hash', 'c'], /--doc-hash goes with --id/],
        [['license', 'revoke', 'ID'], /missing --reason/],
        [['license', 'history'], /expected 1 argument/],
        [
          ['license', 'issue', '--in', 'request.json', '--token', CLERK, '--idempotency-key', 'has space'],
          /--idempotency-key must be 1 to 128 visible ASCII characters/,
        ],
      ];
      const url = await refusingUrl();
      for (const [args, message] of cases) {
        io.reset();
        assert.equal(await runCli([...args, '--url', url], io), 2, args.join(' '));
        assert.match(io.err, message);
        assert.match(io.err, /\(see --help\)\n$/);
      }
    });

    it('refuses a malformed URL or token without echoing the token', async () => {
      assert.equal(await runCli(['license', 'get', 'X', '--url', 'ftp://127.0.0.1/'], io), 2);
      assert.match(io.err, /--url must use http or https/);
      io.reset();
      assert.equal(await runCli(['license', 'get', 'X', '--url', 'http://u:p@127.0.0.1/'], io), 2);
      assert.match(io.err, /must not carry credentials/);
      io.reset();
      assert.equal(await runCli(['license', 'get', 'X', '--token', 'secret\nvalue'], io), 2);
      assert.match(io.err, /must be printable ASCII/);
      assert.doesNotMatch(io.err, /secret/);
    });

    it('reports an unreadable or non-JSON input file as an input error, exit 2', async () => {
      assert.equal(await cli(['license', 'issue', '--in', 'missing.json']), 2);
      assert.match(io.err, /cannot read missing\.json/);
      io.reset();
      io.files.set('doc.json', Buffer.from('{"licenseId": '));
      assert.equal(await cli(['license', 'verify', '--in', 'doc.json'], null), 2);
      assert.match(io.err, /doc\.json is not JSON/);
    });

    it('has --help for every license command and lists them under `license --help`', async () => {
      const names = ['issue', 'verify', 'get', 'history', 'suspend', 'reinstate', 'revoke', 'cancel'];
      assert.equal(await runCli(['license', '--help'], io), 0);
      for (const name of names) assert.match(io.out, new RegExp(`certhub license ${name} `));
      for (const name of names) {
        io.reset();
        assert.equal(await runCli(['license', name, '--help'], io), 0);
        assert.match(io.out, /--url URL/);
        assert.match(io.out, /--token TOKEN/);
        assert.match(io.out, /--json/);
      }
    });
  });
});
