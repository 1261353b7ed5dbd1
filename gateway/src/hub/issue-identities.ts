import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createFabricCa, fabricAttributesOf, issueFabricIdentity, type FabricCa } from '@certhub/certs-service';
import type { User } from '../auth/user';
import { IdentityMaterialError } from './errors';
import { IDENTITY_LAYOUT } from './identities-directory';
import { SERVICE_IDENTITY_ATTRIBUTES, fabricAttributes, nodeOuOf, sameAttributes } from './identity-attributes';

/*
 * What `certhub identities issue` does: an operator's stand-in for a Fabric CA server. It fills an identities directory
 * (layout in identities-directory.ts) for a users file, so a production gateway has an identity for every user.
 */

export type IdentityAction =
  /** A new Fabric CA for an organisation named in the users file. */
  | 'ca-created'
  | 'ca-kept'
  /** A user without an identity got one. */
  | 'issued'
  /** The existing identity fits its users-file entry and is kept (re-running never replaces a good identity). */
  | 'kept'
  /** The existing identity's attributes no longer fit the entry (its role or issuer changed): a new one replaces it. */
  | 'reissued';

export interface IdentityReportLine {
  readonly action: IdentityAction;
  /** The user ID, or the MSP ID for a CA line. */
  readonly id: string;
  readonly mspId: string;
  readonly path: string;
}

export interface IssueIdentitiesOptions {
  readonly dir: string;
  readonly users: readonly User[];
  /** The organisation of the gateway's own identities; default the hub admins' organisation. */
  readonly serviceMspId?: string;
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IdentityMaterialError(`cannot read ${path}`, { path }, { cause: error });
  }
}

/** Writes a file whole (a temporary file renamed into place), so an interrupted run never leaves half a PEM. */
async function writeWhole(path: string, text: string, mode: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.tmp`;
  await writeFile(temporary, text, { mode });
  await rename(temporary, path);
}

/** The organisation of the gateway's identities: the hub admins' (the audit contract takes heads only from there). */
function serviceMsp(options: IssueIdentitiesOptions): string {
  if (options.serviceMspId !== undefined) return options.serviceMspId;
  const hubMsps = [...new Set(options.users.filter((u) => u.role === 'hub-admin').map((u) => u.org))];
  const [only] = hubMsps;
  if (only === undefined || hubMsps.length > 1) {
    throw new IdentityMaterialError(
      hubMsps.length === 0
        ? "the users file has no hub-admin: name the organisation of the gateway's own identities"
        : `the users file has hub admins in ${hubMsps.join(', ')}: name the organisation of the gateway's own identities`,
      { path: options.dir },
    );
  }
  return only;
}

/**
 * Makes what is missing in `dir`: a Fabric CA per organisation named in the users file (and the gateway's), an
 * identity for every user with the attributes its entry implies, and the gateway's two identities. Keeps every CA and
 * every identity that already fits; private keys are written with mode 600. Returns one line per CA and identity.
 * @throws IdentityMaterialError if a CA exists without its key and an identity of that organisation is due, or the
 *   organisation of the gateway's identities is not clear
 */
export async function issueIdentities(options: IssueIdentitiesOptions): Promise<IdentityReportLine[]> {
  const { dir } = options;
  const reserved = options.users.find((user) => SERVICE_IDENTITY_ATTRIBUTES[user.id] !== undefined);
  if (reserved !== undefined) {
    throw new IdentityMaterialError(`user ${reserved.id}: the ID is reserved for the gateway's own identity`, {
      path: IDENTITY_LAYOUT.userDirectory(dir, reserved.id),
      userId: reserved.id,
    });
  }
  const wanted = [
    ...options.users.map((user) => ({
      id: user.id,
      mspId: user.org,
      ou: nodeOuOf(user.role),
      attrs: fabricAttributes(user),
    })),
    ...Object.entries(SERVICE_IDENTITY_ATTRIBUTES).map(([id, attrs]) => ({
      id,
      mspId: serviceMsp(options),
      ou: 'client' as const,
      attrs: { ...attrs },
    })),
  ];
  const report: IdentityReportLine[] = [];
  /** Each organisation's CA certificate, and its key when present (only a new identity needs the key). */
  const caCertificates = new Map<string, string>();
  const caKeys = new Map<string, string>();
  for (const mspId of [...new Set(wanted.map((w) => w.mspId))].sort()) {
    const certPath = IDENTITY_LAYOUT.caCertificate(dir, mspId);
    const certificatePem = await readIfPresent(certPath);
    if (certificatePem === undefined) {
      const ca = await createFabricCa({ mspId, commonName: `ca.${mspId.toLowerCase()}` });
      // The key first: a CA certificate on disk always has its key beside it.
      await writeWhole(IDENTITY_LAYOUT.caKey(dir, mspId), ca.privateKeyPem, 0o600);
      await writeWhole(certPath, ca.certificatePem, 0o644);
      caCertificates.set(mspId, ca.certificatePem);
      caKeys.set(mspId, ca.privateKeyPem);
      report.push({ action: 'ca-created', id: mspId, mspId, path: certPath });
    } else {
      caCertificates.set(mspId, certificatePem);
      const privateKeyPem = await readIfPresent(IDENTITY_LAYOUT.caKey(dir, mspId));
      if (privateKeyPem !== undefined) caKeys.set(mspId, privateKeyPem);
      report.push({ action: 'ca-kept', id: mspId, mspId, path: certPath });
    }
  }
  for (const identity of wanted) {
    const certPath = IDENTITY_LAYOUT.certificate(dir, identity.id);
    const existing = await readIfPresent(certPath);
    const caPem = caCertificates.get(identity.mspId) ?? '';
    const keyPresent = (await readIfPresent(IDENTITY_LAYOUT.key(dir, identity.id))) !== undefined;
    if (existing !== undefined && fits(existing, keyPresent, identity.attrs, caPem)) {
      report.push({ action: 'kept', id: identity.id, mspId: identity.mspId, path: certPath });
      continue;
    }
    const caKey = caKeys.get(identity.mspId);
    if (caKey === undefined) {
      const keyPath = IDENTITY_LAYOUT.caKey(dir, identity.mspId);
      throw new IdentityMaterialError(
        `user ${identity.id}: an identity is due but ${keyPath} (the CA's key) is missing`,
        {
          path: keyPath,
          userId: identity.id,
          mspId: identity.mspId,
        },
      );
    }
    const ca: FabricCa = { certificatePem: caPem, privateKeyPem: caKey };
    const issued = await issueFabricIdentity(ca, {
      mspId: identity.mspId,
      enrollmentId: identity.id,
      ou: identity.ou,
      attrs: identity.attrs,
    });
    // The key first: a certificate on disk always has its key beside it (a run stopped in between re-issues).
    await writeWhole(IDENTITY_LAYOUT.key(dir, identity.id), issued.privateKeyPem, 0o600);
    await writeWhole(certPath, issued.certificatePem, 0o644);
    report.push({
      action: existing === undefined ? 'issued' : 'reissued',
      id: identity.id,
      mspId: identity.mspId,
      path: certPath,
    });
  }
  return report;
}

/**
 * Whether an existing identity can stay: its certificate was issued by the organisation's CA, carries exactly the
 * wanted attributes, and its key is beside it.
 */
function fits(pem: string, keyPresent: boolean, attrs: Readonly<Record<string, string>>, caPem: string): boolean {
  if (!keyPresent) return false;
  try {
    const certificate = new X509Certificate(pem);
    const ca = new X509Certificate(caPem);
    return (
      certificate.checkIssued(ca) && certificate.verify(ca.publicKey) && sameAttributes(fabricAttributesOf(pem), attrs)
    );
  } catch {
    // Unreadable: replaced like any identity that does not fit.
    return false;
  }
}
