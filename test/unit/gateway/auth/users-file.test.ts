import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadUsersFile, parseUsersFile } from '@certhub/gateway/dist/auth/users-file';
import { UsersFileError } from '@certhub/gateway/dist/auth/errors';
import { tokenHash } from '@certhub/gateway/dist/auth/token-hash';
import { ConfigError } from '@certhub/gateway/dist/config';

const clerk = {
  id: 'wuhan-clerk-1',
  name: 'Clerk',
  org: 'WuhanMSP',
  role: 'clerk',
  region: '420100',
  issuer: { code: '114201000111350663', name: '武汉市市场监督管理局' },
  tokenHash: tokenHash('s3cret-clerk'),
};
const bank = { id: 'bank-1', name: 'Bank', org: 'BankMSP', role: 'bank', tokenHash: tokenHash('s3cret-bank') };
const creditSource = {
  id: 'wuhan-credit-1',
  name: 'Credit source',
  org: 'WuhanMSP',
  role: 'credit-source',
  region: '420100',
  authority: { code: '114201000111350663', name: '武汉市市场监督管理局' },
  tokenHash: tokenHash('s3cret-credit'),
};

function parse(value: unknown): ReturnType<typeof parseUsersFile> {
  return parseUsersFile(JSON.stringify(value), 'users.json');
}

function failure(value: unknown): UsersFileError {
  try {
    parse(value);
  } catch (error) {
    assert.ok(error instanceof UsersFileError);
    return error;
  }
  assert.fail('expected a UsersFileError');
}

describe('auth/users-file', () => {
  it('loads users and finds them by token, never by anything else', () => {
    const users = parse({ users: [clerk, bank] });
    assert.equal(users.size, 2);
    assert.equal(users.findByToken('s3cret-clerk')?.id, 'wuhan-clerk-1');
    assert.equal(users.findByToken('s3cret-bank')?.region, null);
    assert.equal(users.findByToken(clerk.tokenHash), undefined);
    assert.equal(users.findByToken('nope'), undefined);
    assert.equal(users.findById('bank-1')?.role, 'bank');
  });

  it('carries the authority a credit source writes records for', () => {
    const users = parse({ users: [creditSource, clerk] });
    assert.deepEqual(users.findByToken('s3cret-credit')?.authority, creditSource.authority);
    assert.equal(users.findByToken('s3cret-clerk')?.authority, null);
  });

  it('reads the file from disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certhub-users-'));
    const file = join(dir, 'users.json');
    writeFileSync(file, JSON.stringify({ users: [bank] }));
    assert.equal((await loadUsersFile(file)).findByToken('s3cret-bank')?.id, 'bank-1');
    await assert.rejects(loadUsersFile(join(dir, 'missing.json')), (e: unknown) => e instanceof UsersFileError);
  });

  it('is a ConfigError (CONFIG_INVALID), so start-up treats it as a bad setting', () => {
    const error = failure('not an object');
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'CONFIG_INVALID');
  });

  it('rejects text that is not JSON', () => {
    assert.throws(() => parseUsersFile('{', 'users.json'), /users\.json: not valid JSON/);
  });

  it('names the bad entry by index and id, with the JSON pointer of the bad field', () => {
    const bad = { ...clerk, id: 'c2', issuer: { code: '114201000111350660', name: 'X' }, tokenHash: tokenHash('t2') };
    const error = failure({ users: [bank, bad] });
    assert.match(
      error.message,
      /^users\.json: users\[1\] \("c2"\) is invalid: \/issuer\/code: invalid USCC: CHECK_CHARACTER/,
    );
    assert.equal(error.context.entry, 1);
  });

  it('rejects unknown fields, plain-text tokens and unknown roles', () => {
    assert.match(failure({ users: [{ ...bank, token: 'x' }] }).message, /\/token: is not a known field/);
    assert.match(failure({ users: [{ ...bank, tokenHash: 'x' }] }).message, /\/tokenHash: must match pattern/);
    assert.match(failure({ users: [{ ...bank, role: 'root' }] }).message, /\/role: must be one of/);
  });

  it('checks that role and attributes agree', () => {
    const { issuer: _issuer, ...clerkWithoutIssuer } = clerk;
    assert.match(
      failure({ users: [clerkWithoutIssuer] }).message,
      /users\[0\] \("wuhan-clerk-1"\) is inconsistent: a clerk needs an issuer/,
    );
    assert.match(
      failure({ users: [{ ...bank, issuer: clerk.issuer }] }).message,
      /only clerks have an issuer, not a bank/,
    );
    assert.match(failure({ users: [{ ...bank, role: 'verifier' }] }).message, /a verifier needs a region/);
    assert.match(
      failure({ users: [{ ...bank, role: 'enterprise' }] }).message,
      /an enterprise user needs an enterprise/,
    );
    const { authority: _authority, ...sourceWithoutAuthority } = creditSource;
    assert.match(
      failure({ users: [sourceWithoutAuthority] }).message,
      /users\[0\] \("wuhan-credit-1"\) is inconsistent: a credit-source needs an authority/,
    );
    assert.match(
      failure({ users: [{ ...clerk, authority: creditSource.authority }] }).message,
      /only credit sources have an authority, not a clerk/,
    );
    assert.match(
      failure({ users: [{ ...creditSource, authority: { code: '114201000111350660', name: 'X' } }] }).message,
      /\/authority\/code: invalid USCC: CHECK_CHARACTER/,
    );
  });

  it('rejects duplicate ids and shared tokens rather than picking one', () => {
    assert.match(
      failure({ users: [bank, { ...bank, tokenHash: tokenHash('other') }] }).message,
      /repeats the id "bank-1"/,
    );
    assert.match(failure({ users: [bank, { ...bank, id: 'bank-2' }] }).message, /shares its token/);
  });

  it('rejects an empty list or a wrong top level', () => {
    assert.match(failure({ users: [] }).message, /\/users: must NOT have fewer than 1 items/);
    assert.match(failure([bank]).message, /must be \{"users"/);
  });
});
