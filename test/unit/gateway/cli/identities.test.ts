import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fabricAttributesOf } from '@certhub/certs-service';
import { parseUsersFile } from '@certhub/gateway/dist/auth/users-file';
import { runCli } from '@certhub/gateway/dist/cli/run';
import { fabricAttributes } from '@certhub/gateway/dist/hub/identity-attributes';
import { loadIdentitiesDirectory } from '@certhub/gateway/dist/hub/identities-directory';
import { capturingIo } from '../../../support/production-material';

/*
 * `certhub identities issue`: the identities directory a production gateway needs, made from a users file without a
 * Fabric CA server; re-running keeps what fits.
 */

const hash = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);

const USERS = [
  { id: 'hub-admin', name: 'Hub admin', org: 'HubMSP', role: 'hub-admin', tokenHash: hash(1) },
  {
    id: 'wuhan-admin',
    name: 'Wuhan admin',
    org: 'WuhanMSP',
    role: 'region-admin',
    region: '420100',
    tokenHash: hash(2),
  },
  {
    id: 'wuhan-clerk',
    name: 'Wuhan clerk',
    org: 'WuhanMSP',
    role: 'clerk',
    region: '420100',
    issuer: { code: '114201000111350663', name: '武汉市市场监督管理局' },
    tokenHash: hash(3),
  },
  {
    id: 'wuhan-credit',
    name: 'Wuhan credit source',
    org: 'WuhanMSP',
    role: 'credit-source',
    region: '420100',
    authority: { code: '114201000111350663', name: '武汉市市场监督管理局' },
    tokenHash: hash(4),
  },
  {
    id: 'enterprise',
    name: 'An enterprise',
    org: 'WuhanMSP',
    role: 'enterprise',
    region: '420100',
    enterprise: '91420100303217469Q',
    tokenHash: hash(5),
  },
  { id: 'bank', name: 'A bank', org: 'BankMSP', role: 'bank', tokenHash: hash(6) },
];

describe('certhub identities issue', function () {
  this.timeout(30_000);
  let folder: string;
  let usersFile: string;
  let out: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'certhub-identities-'));
    usersFile = join(folder, 'users.json');
    writeFileSync(usersFile, JSON.stringify({ users: USERS }));
    out = join(folder, 'identities');
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  async function issue(...extra: string[]): Promise<{ code: number; out: string; err: string }> {
    const io = capturingIo();
    const code = await runCli(['identities', 'issue', '--users', usersFile, '--out', out, ...extra], io);
    return { code, out: io.out, err: io.err };
  }

  const readText = (...parts: string[]): string => readFileSync(join(out, ...parts), 'utf8');

  it('makes a CA per organisation and an identity per user with its entry’s attributes, keys mode 600', async () => {
    const result = await issue('--json');
    assert.equal(result.code, 0, result.err);
    const report = (JSON.parse(result.out) as { identities: { action: string; id: string; mspId: string }[] })
      .identities;
    assert.deepEqual(
      report.filter((l) => l.action === 'ca-created').map((l) => l.id),
      ['BankMSP', 'HubMSP', 'WuhanMSP'],
    );
    assert.deepEqual(
      report.filter((l) => l.action === 'issued').map((l) => `${l.id}@${l.mspId}`),
      [...USERS.map((u) => `${u.id}@${u.org}`), 'gateway-service@HubMSP', 'gateway-audit@HubMSP'],
    );
    const users = parseUsersFile(readFileSync(usersFile, 'utf8'), usersFile).users;
    for (const user of users) {
      const pem = readText('users', user.id, 'cert.pem');
      assert.deepEqual(fabricAttributesOf(pem), fabricAttributes(user), user.id);
      const certificate = new X509Certificate(pem);
      assert.match(certificate.subject, new RegExp(`^CN=${user.id}$`, 'm'));
      assert.equal(certificate.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
      assert.ok(certificate.checkIssued(new X509Certificate(readText('organizations', user.org, 'ca.pem'))));
      assert.ok(certificate.checkPrivateKey(createPrivateKey(readText('users', user.id, 'key.pem'))));
      assert.equal(statSync(join(out, 'users', user.id, 'key.pem')).mode & 0o777, 0o600, `${user.id} key mode`);
    }
    // Fabric CA's NodeOU: admins are admin, everyone else client.
    assert.match(new X509Certificate(readText('users', 'wuhan-admin', 'cert.pem')).subject, /^OU=admin$/m);
    assert.match(new X509Certificate(readText('users', 'bank', 'cert.pem')).subject, /^OU=client$/m);
    assert.deepEqual(fabricAttributesOf(readText('users', 'gateway-audit', 'cert.pem')), { role: 'audit-anchor' });
    assert.deepEqual(fabricAttributesOf(readText('users', 'gateway-service', 'cert.pem')), { role: 'verifier' });
    for (const msp of ['HubMSP', 'WuhanMSP', 'BankMSP']) {
      assert.equal(statSync(join(out, 'organizations', msp, 'ca-key.pem')).mode & 0o777, 0o600, msp);
    }
    // What it made is exactly what a production hub accepts.
    const loaded = await loadIdentitiesDirectory(out, users);
    assert.deepEqual(
      Object.keys(loaded.identities).sort(),
      [...USERS.map((u) => u.id), 'gateway-audit', 'gateway-service'].sort(),
    );
    assert.equal(loaded.audit.mspId, 'HubMSP');
  });

  it('is idempotent: a second run keeps every CA and identity byte for byte', async () => {
    assert.equal((await issue()).code, 0);
    const before = readText('users', 'wuhan-clerk', 'cert.pem') + readText('organizations', 'WuhanMSP', 'ca.pem');
    const again = await issue();
    assert.equal(again.code, 0, again.err);
    const actions = again.out
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[0]);
    assert.deepEqual([...new Set(actions)].sort(), ['ca-kept', 'kept']);
    assert.equal(
      readText('users', 'wuhan-clerk', 'cert.pem') + readText('organizations', 'WuhanMSP', 'ca.pem'),
      before,
    );
  });

  it('re-issues only an identity whose entry changed, and issues a new user’s', async () => {
    assert.equal((await issue()).code, 0);
    const bankBefore = readText('users', 'bank', 'cert.pem');
    const changed = USERS.map((u) =>
      u.id === 'wuhan-clerk' ? { ...u, region: '420100', issuer: { code: '113418820031587274', name: 'x' } } : u,
    );
    writeFileSync(
      usersFile,
      JSON.stringify({
        users: [...changed, { id: 'bank-2', name: 'Bank 2', org: 'BankMSP', role: 'bank', tokenHash: hash(7) }],
      }),
    );
    const result = await issue('--json');
    assert.equal(result.code, 0, result.err);
    const actions = Object.fromEntries(
      (JSON.parse(result.out) as { identities: { action: string; id: string }[] }).identities.map((l) => [
        l.id,
        l.action,
      ]),
    );
    assert.equal(actions['wuhan-clerk'], 'reissued');
    assert.equal(actions['bank-2'], 'issued');
    assert.equal(actions.bank, 'kept');
    assert.equal(readText('users', 'bank', 'cert.pem'), bankBefore);
    assert.equal(fabricAttributesOf(readText('users', 'wuhan-clerk', 'cert.pem')).issuer, '113418820031587274');
  });

  it('re-issues an identity whose key is gone', async () => {
    assert.equal((await issue()).code, 0);
    unlinkSync(join(out, 'users', 'bank', 'key.pem'));
    const result = await issue('--json');
    const bank = (JSON.parse(result.out) as { identities: { action: string; id: string }[] }).identities.find(
      (l) => l.id === 'bank',
    );
    assert.equal(bank?.action, 'reissued');
    assert.ok(
      new X509Certificate(readText('users', 'bank', 'cert.pem')).checkPrivateKey(
        createPrivateKey(readText('users', 'bank', 'key.pem')),
      ),
    );
  });

  it('needs the CA’s key only for a new identity of its organisation', async () => {
    assert.equal((await issue()).code, 0);
    unlinkSync(join(out, 'organizations', 'BankMSP', 'ca-key.pem'));
    assert.equal((await issue()).code, 0, 'existing identities need no CA key');
    writeFileSync(
      usersFile,
      JSON.stringify({
        users: [...USERS, { id: 'bank-2', name: 'Bank 2', org: 'BankMSP', role: 'bank', tokenHash: hash(7) }],
      }),
    );
    const result = await issue();
    assert.equal(result.code, 2);
    assert.match(
      result.err,
      /user bank-2: an identity is due but .*organizations\/BankMSP\/ca-key\.pem \(the CA's key\) is missing/,
    );
  });

  it('puts the gateway’s identities in the hub admins’ organisation, or the one named when there is no hub admin', async () => {
    writeFileSync(usersFile, JSON.stringify({ users: USERS.filter((u) => u.role !== 'hub-admin') }));
    const refused = await issue();
    assert.equal(refused.code, 2);
    assert.match(refused.err, /the users file has no hub-admin: name the organisation of the gateway's own identities/);
    const named = await issue('--service-msp', 'OpsMSP', '--json');
    assert.equal(named.code, 0, named.err);
    const audit = (JSON.parse(named.out) as { identities: { id: string; mspId: string }[] }).identities.find(
      (l) => l.id === 'gateway-audit',
    );
    assert.equal(audit?.mspId, 'OpsMSP');
  });

  it('refuses a user named like one of the gateway’s own identities (exit 2, nothing written)', async () => {
    writeFileSync(
      usersFile,
      JSON.stringify({ users: [...USERS, { ...USERS[5], id: 'gateway-audit', tokenHash: hash(9) }] }),
    );
    const result = await issue();
    assert.equal(result.code, 2);
    assert.match(result.err, /user gateway-audit: the ID is reserved for the gateway's own identity/);
    assert.throws(() => statSync(out));
  });

  it('refuses a users file that does not parse, naming the entry (exit 2, nothing written)', async () => {
    writeFileSync(usersFile, JSON.stringify({ users: [{ ...USERS[2], issuer: null }] }));
    const result = await issue();
    assert.equal(result.code, 2);
    assert.match(result.err, /users\[0\] \("wuhan-clerk"\) is inconsistent: a clerk needs an issuer/);
    assert.throws(() => statSync(out));
  });
});
