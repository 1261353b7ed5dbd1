import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Sm2Certificate } from '@certhub/certs-service';
import { ConfigError } from '@certhub/gateway/dist/config';
import { parseHubFile } from '@certhub/gateway/dist/hub/hub-file';
import {
  BUSINESS_LICENSE,
  WUHAN,
  WUHAN_AMR,
  makeProductionMaterial,
  type ProductionMaterial,
} from '../../../support/production-material';

/* The hub file (CERTHUB_HUB_FILE): what a production hub registers on first start, checked before anything is written. */

interface HubJson {
  regions: Record<string, unknown>[];
  licenseTypes?: Record<string, unknown>[];
  issuers?: Record<string, unknown>[];
  [field: string]: unknown;
}

describe('hub file', function () {
  this.timeout(30_000);
  let material: ProductionMaterial;
  let file: string;

  before(async () => {
    material = await makeProductionMaterial();
    file = material.inputs.hubFile;
  });
  after(() => {
    material.dispose();
  });

  const hub = (): HubJson => structuredClone(material.hub) as HubJson;
  const parse = (value: unknown) => parseHubFile(JSON.stringify(value), file);

  async function refused(value: unknown, pattern: RegExp): Promise<void> {
    await assert.rejects(parse(value), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.match(e.message, pattern);
      assert.doesNotMatch(e.message, /PRIVATE KEY|BEGIN/);
      return true;
    });
  }

  it('reads the roots, issuer certificates and keys it names, relative to its own folder', async () => {
    const parsed = await parseHubFile(readFileSync(file, 'utf8'), file);
    const root = readFileSync(join(material.folder, 'roots', `${WUHAN}.pem`), 'utf8');
    const issuer = Sm2Certificate.fromPem(readFileSync(join(material.folder, 'issuers', 'wuhan-amr.pem'), 'utf8'));
    assert.deepEqual(parsed.plan.regions, [
      { code: WUHAN, name: '武汉市', mspId: 'WuhanMSP', rootCertificatePem: Sm2Certificate.fromPem(root).pem },
    ]);
    assert.deepEqual(parsed.plan.licenseTypes, [{ code: BUSINESS_LICENSE, name: '营业执照', holderIdType: '001' }]);
    assert.deepEqual(parsed.plan.issuers, [
      { ...WUHAN_AMR, region: WUHAN, licenseTypes: [BUSINESS_LICENSE], certificatePems: [issuer.pem] },
    ]);
    assert.deepEqual(
      parsed.keys.map((k) => [k.keyId, k.owner, k.key !== undefined]),
      [
        [`region-root:${WUHAN}`, `region ${WUHAN}`, true],
        [`issuer:${WUHAN_AMR.code}:${issuer.fingerprint()}`, `issuer ${WUHAN_AMR.code}`, true],
      ],
    );
  });

  it('accepts a key file that is gone (removed after the first start): the key store must hold it then', async () => {
    const value = hub();
    value.issuers![0]!.key = 'issuers/removed.key';
    const parsed = await parse(value);
    assert.equal(parsed.keys[1]?.key, undefined);
    assert.match(parsed.keys[1]?.path ?? '', /issuers\/removed\.key$/);
  });

  it('refuses text that is not JSON, and a shape it does not know, naming the field', async () => {
    await assert.rejects(parseHubFile('{', file), /hub\.json: not valid JSON/);
    await refused({ ...hub(), admins: [] }, /hub\.json: \/admins: is not a known field/);
    await refused({ regions: [] }, /hub\.json: \/regions: /);
    const value = hub();
    value.regions[0]!.code = '42010';
    await refused(value, /\/regions\/0\/code: /);
  });

  it('refuses an entry listed twice', async () => {
    const value = hub();
    value.regions.push({ ...value.regions[0], mspId: 'OtherMSP' });
    await refused(value, /\/regions\/1: repeats the code of an earlier entry/);
    const msp = hub();
    msp.regions.push({ ...msp.regions[0], code: '420200' });
    await refused(msp, /\/regions\/1: repeats the mspId of an earlier region/);
  });

  it('refuses an issuer in a region or with a license type the file does not list', async () => {
    const region = hub();
    region.issuers![0]!.region = '420200';
    await refused(region, /\/issuers\/0\/region: region 420200 is not among the regions/);
    const type = hub();
    type.issuers![0]!.licenseTypes = ['11100000000019713D001'];
    await refused(type, /\/issuers\/0\/licenseTypes: license type 11100000000019713D001 is not among the licenseTypes/);
  });

  it('refuses a root that is not a CA, an issuer certificate naming someone else, and a key of another certificate', async () => {
    const notCa = hub();
    notCa.regions[0]!.rootCertificate = 'issuers/wuhan-amr.pem';
    delete notCa.regions[0]!.rootKey;
    await refused(notCa, /\/regions\/0\/rootCertificate: region 420100's root is not a CA certificate/);
    const other = hub();
    other.issuers![0]!.code = '113418820031587274';
    await refused(
      other,
      /\/issuers\/0\/certificate: the certificate names 114201000111350663, not the issuer 113418820031587274/,
    );
    const key = hub();
    key.issuers![0]!.key = `roots/${WUHAN}.key`;
    await refused(key, /\/issuers\/0\/key: .*roots\/420100\.key is not the key of its certificate/);
  });

  it('refuses a certificate file that cannot be read or is not an SM2 certificate', async () => {
    const missing = hub();
    missing.regions[0]!.rootCertificate = 'roots/nowhere.pem';
    await refused(missing, /\/regions\/0\/rootCertificate: cannot read .*roots\/nowhere\.pem \(ENOENT\)/);
    const notPem = hub();
    notPem.regions[0]!.rootCertificate = 'users.json';
    await refused(notPem, /\/regions\/0\/rootCertificate: .*users\.json is not an SM2 certificate/);
  });
});
