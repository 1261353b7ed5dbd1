import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fabricAttributesOf, type FabricIdentity } from '@certhub/certs-service';
import type { User } from '../auth/user';
import type { LedgerOrganization } from '../ledger';
import { IdentityMaterialError } from './errors';
import {
  GATEWAY_AUDIT_USER,
  GATEWAY_SERVICE_USER,
  SERVICE_IDENTITY_ATTRIBUTES,
  fabricAttributes,
  sameAttributes,
} from './identity-attributes';

/*
 * CERTHUB_IDENTITIES_DIR, the Fabric identities a production gateway acts with (`certhub identities issue` makes one
 * without a Fabric CA server; a Fabric CA's enrollment output can be copied into the same places):
 *
 *   organizations/<MSPID>/ca.pem       the organisation's Fabric CA certificate (ECDSA P-256); the ledger admits
 *                                      certificates it issued, as a peer's MSP does
 *   organizations/<MSPID>/ca-key.pem   its private key: only `certhub identities issue` reads it; the gateway never does,
 *                                      so it may live elsewhere once the identities exist
 *   users/<userId>/cert.pem            the user's enrollment certificate: CN = the user ID, and Fabric CA's attribute
 *                                      extension with exactly the attributes its users-file entry implies
 *                                      (role, region, issuer, enterprise, authority)
 *   users/<userId>/key.pem             its private key (PKCS#8 PEM, mode 600)
 *
 * users/gateway-service (role verifier: anonymous queries) and users/gateway-audit (role audit-anchor: the audit log's
 * heads) are the gateway's own identities, in the hub's MSP.
 */

export const IDENTITY_LAYOUT = {
  caCertificate: (dir: string, mspId: string): string => join(dir, 'organizations', mspId, 'ca.pem'),
  caKey: (dir: string, mspId: string): string => join(dir, 'organizations', mspId, 'ca-key.pem'),
  userDirectory: (dir: string, userId: string): string => join(dir, 'users', userId),
  certificate: (dir: string, userId: string): string => join(dir, 'users', userId, 'cert.pem'),
  key: (dir: string, userId: string): string => join(dir, 'users', userId, 'key.pem'),
} as const;

/** What a production hub acts with, every piece checked against the users file and the organisations' CAs. */
export interface ProductionIdentities {
  /** The organisations the ledger admits, each with its CA certificate. */
  readonly organizations: readonly LedgerOrganization[];
  /** Each user's identity by user ID, and the gateway's two under their enrollment IDs. */
  readonly identities: Readonly<Record<string, FabricIdentity>>;
  readonly service: FabricIdentity;
  readonly audit: FabricIdentity;
}

async function readText(path: string, what: string, context: { userId?: string; mspId?: string }): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new IdentityMaterialError(`${what}: cannot read ${path} (${code})`, { path, ...context }, { cause: error });
  }
}

function certificateOf(pem: string, path: string, context: { userId?: string; mspId?: string }): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new IdentityMaterialError(`${path} is not an X.509 certificate`, { path, ...context }, { cause: error });
  }
}

const isP256 = (certificate: X509Certificate): boolean =>
  certificate.publicKey.asymmetricKeyType === 'ec' &&
  certificate.publicKey.asymmetricKeyDetails?.namedCurve === 'prime256v1';

/** The CN of a certificate's subject (Node prints one attribute per line). */
const commonNameOf = (certificate: X509Certificate): string | undefined => /^CN=(.*)$/m.exec(certificate.subject)?.[1];

const describeAttributes = (attrs: Readonly<Record<string, string>>): string =>
  Object.entries(attrs)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${value}`)
    .join(', ') || '(none)';

async function loadOrganizations(dir: string): Promise<Map<string, X509Certificate>> {
  const root = join(dir, 'organizations');
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    throw new IdentityMaterialError(`CERTHUB_IDENTITIES_DIR: cannot read ${root}`, { path: root }, { cause: error });
  }
  const cas = new Map<string, X509Certificate>();
  for (const mspId of names.sort()) {
    const path = IDENTITY_LAYOUT.caCertificate(dir, mspId);
    const ca = certificateOf(await readText(path, `organisation ${mspId}`, { mspId }), path, { mspId });
    if (!ca.ca || !isP256(ca)) {
      throw new IdentityMaterialError(`${path}: the CA of ${mspId} must be an ECDSA P-256 CA certificate`, {
        path,
        mspId,
      });
    }
    cas.set(mspId, ca);
  }
  return cas;
}

interface Expected {
  readonly userId: string;
  /** The organisation the certificate must come from; undefined: whichever single organisation issued it. */
  readonly mspId: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
  /** Where the expected attributes come from, for messages. */
  readonly source: string;
}

/**
 * One identity, checked as the ledger and the chaincode will see it: issued by its organisation's CA and valid now,
 * P-256, CN = the user ID, Fabric attributes exactly as expected, and the private key the certificate's.
 */
async function loadIdentity(
  dir: string,
  cas: ReadonlyMap<string, X509Certificate>,
  expected: Expected,
  at: Date,
): Promise<FabricIdentity> {
  const { userId } = expected;
  const certPath = IDENTITY_LAYOUT.certificate(dir, userId);
  const keyPath = IDENTITY_LAYOUT.key(dir, userId);
  const fail: (message: string, path?: string) => never = (message, path = certPath) => {
    throw new IdentityMaterialError(`user ${userId}: ${message}`, {
      path,
      userId,
      ...(expected.mspId === undefined ? {} : { mspId: expected.mspId }),
    });
  };
  const certificatePem = await readText(certPath, `user ${userId} has no Fabric identity`, { userId });
  const certificate = certificateOf(certificatePem, certPath, { userId });
  let mspId = expected.mspId;
  if (mspId === undefined) {
    const issuers = [...cas].filter(([, ca]) => certificate.checkIssued(ca) && certificate.verify(ca.publicKey));
    const [first] = issuers;
    if (first === undefined || issuers.length > 1) {
      fail(`${certPath} is not issued by exactly one organisation's CA in ${join(dir, 'organizations')}`);
    }
    mspId = first[0];
  } else {
    const ca = cas.get(mspId);
    if (ca === undefined) {
      fail(`organisation ${mspId} has no CA certificate at ${IDENTITY_LAYOUT.caCertificate(dir, mspId)}`);
    } else if (!(certificate.checkIssued(ca) && certificate.verify(ca.publicKey))) {
      fail(`${certPath} does not chain to the CA of ${mspId} (${IDENTITY_LAYOUT.caCertificate(dir, mspId)})`);
    }
  }
  if (!isP256(certificate)) fail(`${certPath} must hold an ECDSA P-256 key, as Fabric's MSPs require`);
  if (at < new Date(certificate.validFrom) || at > new Date(certificate.validTo)) {
    fail(`${certPath} is valid only from ${certificate.validFrom} to ${certificate.validTo}`);
  }
  const commonName = commonNameOf(certificate);
  if (commonName !== userId) {
    fail(
      `${certPath} is enrolled as "${commonName ?? '(no CN)'}", not as "${userId}": the ledger would record that name`,
    );
  }
  let attributes: Record<string, string>;
  try {
    attributes = fabricAttributesOf(certificatePem);
  } catch (error) {
    throw new IdentityMaterialError(
      `user ${userId}: ${certPath} has no readable Fabric attribute extension`,
      {
        path: certPath,
        userId,
      },
      { cause: error },
    );
  }
  if (!sameAttributes(attributes, expected.attributes)) {
    fail(
      `${certPath} carries ${describeAttributes(attributes)} but ${expected.source} means ${describeAttributes(expected.attributes)}: the gateway and the ledger would disagree about who this is`,
    );
  }
  const privateKeyPem = await readText(keyPath, `user ${userId} has no private key`, { userId });
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    // Not passed on as the cause: its message could quote the key file.
    fail(`${keyPath} is not a readable private key`, keyPath);
  }
  if (!certificate.checkPrivateKey(key)) fail(`${keyPath} is not the private key of ${certPath}`, keyPath);
  return { mspId, enrollmentId: userId, certificatePem, privateKeyPem };
}

/**
 * Reads and checks every identity the gateway needs: one per user of the users file, and its own two. Refuses (throws)
 * at the first that is missing or does not fit, naming it, because a gateway acting with the wrong identity would
 * have the ledger record, or refuse, the wrong person.
 * @throws IdentityMaterialError (a ConfigError)
 */
export async function loadIdentitiesDirectory(
  dir: string,
  users: readonly User[],
  at: Date = new Date(),
): Promise<ProductionIdentities> {
  const cas = await loadOrganizations(dir);
  const identities: Record<string, FabricIdentity> = {};
  for (const user of users) {
    if (SERVICE_IDENTITY_ATTRIBUTES[user.id] !== undefined) {
      throw new IdentityMaterialError(`user ${user.id}: the ID is reserved for the gateway's own identity`, {
        path: IDENTITY_LAYOUT.userDirectory(dir, user.id),
        userId: user.id,
      });
    }
    identities[user.id] = await loadIdentity(
      dir,
      cas,
      { userId: user.id, mspId: user.org, attributes: fabricAttributes(user), source: 'its users-file entry' },
      at,
    );
  }
  // The audit contract accepts head anchors only from the hub's MSP: the hub admins' organisation.
  const hubMsps = new Set(users.filter((u) => u.role === 'hub-admin').map((u) => u.org));
  for (const [userId, attributes] of Object.entries(SERVICE_IDENTITY_ATTRIBUTES)) {
    const identity = await loadIdentity(
      dir,
      cas,
      { userId, mspId: undefined, attributes, source: "the gateway's own identity" },
      at,
    );
    if (hubMsps.size > 0 && !hubMsps.has(identity.mspId)) {
      throw new IdentityMaterialError(
        `user ${userId}: the gateway's identity is in ${identity.mspId}, not in the hub admins' ${[...hubMsps].join(', ')}`,
        { path: IDENTITY_LAYOUT.certificate(dir, userId), userId, mspId: identity.mspId },
      );
    }
    identities[userId] = identity;
  }
  const service = identities[GATEWAY_SERVICE_USER];
  const audit = identities[GATEWAY_AUDIT_USER];
  if (service === undefined || audit === undefined) {
    throw new IdentityMaterialError('the gateway has no service identities', { path: dir });
  }
  return {
    organizations: [...cas].map(([mspId, ca]) => ({ mspId, rootCertificatePems: [ca.toString()] })),
    identities,
    service,
    audit,
  };
}
