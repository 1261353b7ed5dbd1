import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sm2PrivateKey, createRootCertificate, issueIssuerCertificate } from '@certhub/certs-service';
import { newToken, tokenHash } from '@certhub/gateway/dist/auth/token-hash';
import { processIo, type CliIo } from '@certhub/gateway/dist/cli/io';
import { runCli } from '@certhub/gateway/dist/cli/run';
import type { ProductionInputs } from '@certhub/gateway/dist/config';

/*
 * A production operator's material, made the way the README tells an operator to make it: tokens with their SM3
 * hashes in a users file, identities by `certhub identities issue`, a region's SM2 root and an issuer's certificate
 * and key by certs-service (what `certhub ca init|issue` do), and a hub file naming them.
 */

export const WUHAN = '420100';
export const WUHAN_AMR = { code: '114201000111350663', name: '武汉市市场监督管理局' } as const;
export const BUSINESS_LICENSE = '11100000000013338W032';

/** A users-file entry as JSON (what an operator writes). */
export interface UserEntryJson {
  readonly id: string;
  readonly name: string;
  readonly org: string;
  readonly role: string;
  readonly region?: string | null;
  readonly issuer?: { readonly code: string; readonly name: string } | null;
  readonly enterprise?: string | null;
  readonly authority?: { readonly code: string; readonly name: string } | null;
  readonly tokenHash: string;
}

export interface ProductionMaterial {
  readonly folder: string;
  readonly inputs: ProductionInputs;
  readonly masterKeyHex: string;
  /** User ID → its bearer token. */
  readonly tokens: Readonly<Record<string, string>>;
  readonly users: readonly UserEntryJson[];
  /** The hub file's JSON. */
  readonly hub: Record<string, unknown>;
  /** What `certhub identities issue` printed. */
  readonly cliOutput: string;
  writeUsers(users: readonly UserEntryJson[]): void;
  writeHub(hub: unknown): void;
  /** A fresh data directory inside the material's folder (not created). */
  dataDir(name: string): string;
  dispose(): void;
}

/** A CliIo on the real file system that keeps what a command prints. */
export function capturingIo(): CliIo & { out: string; err: string } {
  const io = {
    ...processIo,
    out: '',
    err: '',
    env: {},
    stderrIsTty: false,
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
  };
  return io;
}

function user(
  id: string,
  fields: Omit<UserEntryJson, 'id' | 'name' | 'tokenHash'>,
  tokens: Record<string, string>,
): UserEntryJson {
  const token = newToken();
  tokens[id] = token;
  return { id, name: `${id} (test)`, ...fields, tokenHash: tokenHash(token) };
}

export async function makeProductionMaterial(): Promise<ProductionMaterial> {
  const folder = mkdtempSync(join(tmpdir(), 'certhub-production-'));
  const tokens: Record<string, string> = {};
  const users: UserEntryJson[] = [
    user('hub-admin', { org: 'HubMSP', role: 'hub-admin' }, tokens),
    user('wuhan-admin', { org: 'WuhanMSP', role: 'region-admin', region: WUHAN }, tokens),
    user('wuhan-clerk', { org: 'WuhanMSP', role: 'clerk', region: WUHAN, issuer: WUHAN_AMR }, tokens),
    user('bank', { org: 'BankMSP', role: 'bank' }, tokens),
  ];
  const usersFile = join(folder, 'users.json');
  const writeUsers = (entries: readonly UserEntryJson[]): void => {
    writeFileSync(usersFile, JSON.stringify({ users: entries }, null, 2));
  };
  writeUsers(users);

  const identitiesDir = join(folder, 'identities');
  const io = capturingIo();
  const code = await runCli(['identities', 'issue', '--users', usersFile, '--out', identitiesDir], io);
  if (code !== 0) throw new Error(`certhub identities issue failed: ${io.err}`);

  mkdirSync(join(folder, 'roots'));
  mkdirSync(join(folder, 'issuers'));
  const rootKey = Sm2PrivateKey.generate();
  const root = await createRootCertificate({ subject: 'CN=武汉市 电子证照根CA,O=武汉市,C=CN', key: rootKey });
  writeFileSync(join(folder, 'roots', `${WUHAN}.pem`), root.pem);
  writeFileSync(join(folder, 'roots', `${WUHAN}.key`), rootKey.toPkcs8Pem(), { mode: 0o600 });
  const issuerKey = Sm2PrivateKey.generate();
  const issuerCertificate = await issueIssuerCertificate({
    caKey: rootKey,
    caCertificate: root,
    publicKey: issuerKey.publicKey,
    subject: `CN=${WUHAN_AMR.name},C=CN`,
    uscc: WUHAN_AMR.code,
  });
  writeFileSync(join(folder, 'issuers', 'wuhan-amr.pem'), issuerCertificate.pem);
  writeFileSync(join(folder, 'issuers', 'wuhan-amr.key'), issuerKey.toPkcs8Pem(), { mode: 0o600 });
  const hub = {
    regions: [
      {
        code: WUHAN,
        name: '武汉市',
        mspId: 'WuhanMSP',
        rootCertificate: `roots/${WUHAN}.pem`,
        rootKey: `roots/${WUHAN}.key`,
      },
    ],
    licenseTypes: [{ code: BUSINESS_LICENSE, name: '营业执照', holderIdType: '001' }],
    issuers: [
      {
        ...WUHAN_AMR,
        region: WUHAN,
        licenseTypes: [BUSINESS_LICENSE],
        certificate: 'issuers/wuhan-amr.pem',
        key: 'issuers/wuhan-amr.key',
      },
    ],
  };
  const hubFile = join(folder, 'hub.json');
  const writeHub = (value: unknown): void => {
    writeFileSync(hubFile, JSON.stringify(value, null, 2));
  };
  writeHub(hub);

  const masterKeyHex = randomBytes(32).toString('hex');
  return {
    folder,
    inputs: { masterKey: Buffer.from(masterKeyHex, 'hex'), usersFile, identitiesDir, hubFile },
    masterKeyHex,
    tokens,
    users,
    hub,
    cliOutput: io.out,
    writeUsers,
    writeHub,
    dataDir: (name) => join(folder, 'data', name),
    dispose: () => {
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
