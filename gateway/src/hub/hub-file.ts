import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CertHubError, Sm2Certificate, Sm2PrivateKey, verifyCertificateChain } from '@certhub/certs-service';
import { Type, type Static } from '@sinclair/typebox';
import { LicenseTypeCode, MspId, RegionCode, StringEnum, Text, Uscc } from '../schemas/common';
import { validationIssues } from '../schemas/validator';
import { regionRootKeyId } from '../services/issuer-certificates';
import { issuerKeyId } from '../services/issuer-signers';
import { HubFileError } from './errors';
import type { RegistryPlan } from './registry-bootstrap';

/*
 * CERTHUB_HUB_FILE: what a production hub registers on the ledger on its first start (and completes on a later start
 * if the first was interrupted), as JSON. Paths are relative to the hub file's folder.
 *
 *   {
 *     "regions": [{ "code": "420100", "name": "武汉市", "mspId": "WuhanMSP",
 *                   "rootCertificate": "roots/420100.pem",          the region's SM2 root CA certificate (certhub ca init)
 *                   "rootKey": "roots/420100.key" }],               optional: lets this gateway certify issuer keys
 *     "licenseTypes": [{ "code": "11100000000013338W032", "name": "营业执照", "holderIdType": "001" }],
 *     "issuers": [{ "code": "<USCC>", "name": "武汉市市场监督管理局", "region": "420100",
 *                   "licenseTypes": ["11100000000013338W032"],
 *                   "certificate": "issuers/wuhan-amr.pem",          its SM2 signing certificate from the region's root
 *                   "key": "issuers/wuhan-amr.key" }]                optional: its SM2 key, for this gateway to sign with
 *   }
 *
 * Issuers are departments: a credit source's department (the `authority` of a credit-source user) is registered the
 * same way, because its SM2 key signs its credit records. Keys are copied into the sealed key store on the first start
 * and the key files may then be removed; what the ledger already holds is never submitted again, and later changes
 * (new issuers, key rotation, license types) go through the API.
 */

const FilePath = (description: string) => Type.String({ minLength: 1, maxLength: 4096, description });

const HubFileRegion = Type.Object(
  {
    code: RegionCode(),
    name: Text(100),
    mspId: MspId(),
    rootCertificate: FilePath("PEM of the region's SM2 root CA certificate"),
    rootKey: Type.Optional(FilePath("the root's SM2 private key (PKCS#8 PEM), if this gateway certifies issuer keys")),
  },
  { additionalProperties: false },
);

const HubFileLicenseType = Type.Object(
  { code: LicenseTypeCode(), name: Text(200), holderIdType: StringEnum(['001', '111'] as const) },
  { additionalProperties: false },
);

const HubFileIssuer = Type.Object(
  {
    code: Uscc(),
    name: Text(200),
    region: RegionCode(),
    licenseTypes: Type.Array(LicenseTypeCode(), { minItems: 1, maxItems: 1000 }),
    certificate: FilePath("PEM of the issuer's SM2 signing certificate"),
    key: Type.Optional(FilePath("the issuer's SM2 private key (PKCS#8 PEM)")),
  },
  { additionalProperties: false },
);

const HubFileShape = Type.Object(
  {
    regions: Type.Array(HubFileRegion, { minItems: 1, maxItems: 1000 }),
    licenseTypes: Type.Optional(Type.Array(HubFileLicenseType, { maxItems: 10_000 })),
    issuers: Type.Optional(Type.Array(HubFileIssuer, { maxItems: 10_000 })),
  },
  { additionalProperties: false },
);
type HubFileShape = Static<typeof HubFileShape>;

/**
 * An SM2 key the hub file provides, for the key store. `key` is undefined when its file is gone (removed after an
 * earlier start); the key store must then hold it already.
 */
export interface ProvidedKey {
  readonly keyId: string;
  /** Whose key, for messages: "issuer 114201000111350663", "region 420100". */
  readonly owner: string;
  readonly path: string;
  readonly key: Sm2PrivateKey | undefined;
  /** The certificate the key must belong to. */
  readonly certificate: Sm2Certificate;
}

export interface HubBootstrap {
  readonly file: string;
  readonly plan: RegistryPlan;
  readonly keys: readonly ProvidedKey[];
}

interface Reader {
  readonly file: string;
  readonly folder: string;
}

async function readPem(reader: Reader, pointer: string, relative: string): Promise<{ path: string; text: string }> {
  const path = resolve(reader.folder, relative);
  try {
    return { path, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new HubFileError(`${reader.file}: ${pointer}: cannot read ${path} (${code})`, {
      file: reader.file,
      pointer,
      path,
    });
  }
}

async function certificateAt(reader: Reader, pointer: string, relative: string): Promise<Sm2Certificate> {
  const { path, text } = await readPem(reader, pointer, relative);
  try {
    return Sm2Certificate.fromPem(text);
  } catch (error) {
    const reason = error instanceof CertHubError ? `: ${error.message}` : '';
    throw new HubFileError(`${reader.file}: ${pointer}: ${path} is not an SM2 certificate${reason}`, {
      file: reader.file,
      pointer,
      path,
    });
  }
}

/** A key file, or undefined when it no longer exists; a key that does not belong to `certificate` is refused. */
async function keyAt(
  reader: Reader,
  pointer: string,
  relative: string,
  certificate: Sm2Certificate,
): Promise<{ path: string; key: Sm2PrivateKey | undefined }> {
  const path = resolve(reader.folder, relative);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, key: undefined };
    throw new HubFileError(`${reader.file}: ${pointer}: cannot read ${path}`, { file: reader.file, pointer, path });
  }
  let key: Sm2PrivateKey;
  try {
    key = Sm2PrivateKey.fromPem(text);
  } catch {
    // The parser's error is not passed on: it could quote the key.
    throw new HubFileError(`${reader.file}: ${pointer}: ${path} is not an SM2 private key (PEM)`, {
      file: reader.file,
      pointer,
      path,
    });
  }
  if (!key.publicKey.equals(certificate.publicKey)) {
    throw new HubFileError(`${reader.file}: ${pointer}: ${path} is not the key of its certificate`, {
      file: reader.file,
      pointer,
      path,
    });
  }
  return { path, key };
}

function refuse(reader: Reader, pointer: string, message: string): never {
  throw new HubFileError(`${reader.file}: ${pointer}: ${message}`, { file: reader.file, pointer });
}

function firstRepeated(values: readonly string[]): number {
  const seen = new Set<string>();
  return values.findIndex((value) => {
    if (seen.has(value)) return true;
    seen.add(value);
    return false;
  });
}

/**
 * Parses a hub file's text and reads the certificates and keys it names, checking each: roots are CA certificates,
 * issuer certificates name their issuer and chain to their region's root at `at`, keys belong to their certificates,
 * issuers name regions and license types of the file, and nothing is listed twice.
 * @param file the hub file's path: named in messages, and the folder relative paths start from
 * @throws HubFileError (a ConfigError) naming the file, the entry (as a JSON pointer) and the file at fault
 */
export async function parseHubFile(text: string, file: string, at: Date = new Date()): Promise<HubBootstrap> {
  const reader: Reader = { file, folder: dirname(file) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new HubFileError(`${file}: not valid JSON`, { file }, { cause: error });
  }
  const issues = validationIssues(HubFileShape, parsed);
  const [first] = issues;
  if (first !== undefined) {
    const problems = issues.map((i) => `${i.pointer === '' ? '(root)' : i.pointer}: ${i.message}`);
    throw new HubFileError(`${file}: ${problems.join('; ')}`, { file, pointer: first.pointer });
  }
  const hub = parsed as HubFileShape;
  const licenseTypes = hub.licenseTypes ?? [];
  const issuers = hub.issuers ?? [];
  for (const [list, name, key] of [
    [hub.regions, 'regions', 'code'],
    [licenseTypes, 'licenseTypes', 'code'],
    [issuers, 'issuers', 'code'],
  ] as const) {
    const repeated = firstRepeated(list.map((entry) => entry[key]));
    if (repeated >= 0) refuse(reader, `/${name}/${String(repeated)}`, `repeats the ${key} of an earlier entry`);
  }
  const mspRepeated = firstRepeated(hub.regions.map((r) => r.mspId));
  if (mspRepeated >= 0) refuse(reader, `/regions/${String(mspRepeated)}`, 'repeats the mspId of an earlier region');

  const keys: ProvidedKey[] = [];
  const roots = new Map<string, Sm2Certificate>();
  const regions = [];
  for (const [index, region] of hub.regions.entries()) {
    const pointer = `/regions/${String(index)}`;
    const root = await certificateAt(reader, `${pointer}/rootCertificate`, region.rootCertificate);
    if (!root.isCa)
      refuse(reader, `${pointer}/rootCertificate`, `region ${region.code}'s root is not a CA certificate`);
    roots.set(region.code, root);
    regions.push({ code: region.code, name: region.name, mspId: region.mspId, rootCertificatePem: root.pem });
    if (region.rootKey !== undefined) {
      const { path, key } = await keyAt(reader, `${pointer}/rootKey`, region.rootKey, root);
      keys.push({ keyId: regionRootKeyId(region.code), owner: `region ${region.code}`, path, key, certificate: root });
    }
  }
  const typeCodes = new Set(licenseTypes.map((t) => t.code));
  const plannedIssuers = [];
  for (const [index, issuer] of issuers.entries()) {
    const pointer = `/issuers/${String(index)}`;
    const root = roots.get(issuer.region);
    if (root === undefined) refuse(reader, `${pointer}/region`, `region ${issuer.region} is not among the regions`);
    const unknownType = issuer.licenseTypes.find((code) => !typeCodes.has(code));
    if (unknownType !== undefined) {
      refuse(reader, `${pointer}/licenseTypes`, `license type ${unknownType} is not among the licenseTypes`);
    }
    const certificate = await certificateAt(reader, `${pointer}/certificate`, issuer.certificate);
    if (certificate.isCa || certificate.uscc !== issuer.code) {
      refuse(
        reader,
        `${pointer}/certificate`,
        certificate.isCa
          ? 'an issuer signing certificate must not be a CA certificate'
          : `the certificate names ${certificate.uscc ?? 'no USCC'}, not the issuer ${issuer.code}`,
      );
    }
    try {
      await verifyCertificateChain(certificate, { roots: [root], at });
    } catch (error) {
      const reason = error instanceof CertHubError ? error.message : String(error);
      refuse(reader, `${pointer}/certificate`, `does not chain to region ${issuer.region}'s root now: ${reason}`);
    }
    plannedIssuers.push({
      code: issuer.code,
      name: issuer.name,
      region: issuer.region,
      licenseTypes: issuer.licenseTypes,
      certificatePems: [certificate.pem],
    });
    if (issuer.key !== undefined) {
      const { path, key } = await keyAt(reader, `${pointer}/key`, issuer.key, certificate);
      keys.push({
        keyId: issuerKeyId(issuer.code, certificate.fingerprint()),
        owner: `issuer ${issuer.code}`,
        path,
        key,
        certificate,
      });
    }
  }
  return { file, plan: { regions, licenseTypes, issuers: plannedIssuers }, keys };
}

/** Reads and parses the hub file at `path`. @throws HubFileError */
export async function loadHubFile(path: string, at: Date = new Date()): Promise<HubBootstrap> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new HubFileError(`${path}: cannot read the hub file`, { file: path }, { cause: error });
  }
  return parseHubFile(text, path, at);
}
