import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { Sm2PrivateKey, createFabricCa, createRootCertificate, issueFabricIdentity } from '@certhub/certs-service';
import { ConfigError } from '@certhub/gateway/dist/config';
import { createJsonLogger } from '@certhub/gateway/dist/http/logger';
import { openProductionHub, type ProductionHub } from '@certhub/gateway/dist/hub/production-hub';
import { createServer } from '@certhub/gateway/dist/server';
import {
  WUHAN,
  makeProductionMaterial,
  type ProductionMaterial,
  type UserEntryJson,
} from '../../../support/production-material';
import { bearer, businessLicenseRequest } from '../routes/hub-app';

/*
 * The production hub over the embedded ledger, from material an operator makes with `certhub identities issue`,
 * token hashes and certs-service's SM2 CAs: each user acts with its own Fabric identity, and every piece of material
 * that is missing or does not fit stops the start with a ConfigError naming it.
 */

const appOf = (hub: ProductionHub) =>
  createServer({
    config: { bodyLimitBytes: 1_048_576, mode: 'production' },
    logger: createJsonLogger('silent'),
    healthChecks: hub.healthChecks,
    api: hub.api,
  });

interface Issued {
  readonly licenseId: string;
  readonly document: unknown;
}

/** `x509::<subject>::<issuer>` as fabric-shim's ClientIdentity.getID() builds it from a certificate. */
function fabricIdOf(certificatePem: string): string {
  const certificate = new X509Certificate(certificatePem);
  const path = (name: string) => `/${name.split('\n').join('/')}`;
  return `x509::${path(certificate.subject)}::${path(certificate.issuer)}`;
}

describe('production hub (embedded ledger)', function () {
  this.timeout(60_000);
  let material: ProductionMaterial;
  let opened: ProductionHub[] = [];

  before(async () => {
    material = await makeProductionMaterial();
  });
  after(() => {
    material.dispose();
  });
  afterEach(async () => {
    for (const hub of opened) await hub.close();
    opened = [];
  });

  async function open(dataDir: string, inputs = material.inputs): Promise<ProductionHub> {
    const hub = await openProductionHub({ dataDir, inputs });
    opened.push(hub);
    return hub;
  }

  it('starts from the operator’s material; a clerk issues and the ledger records the clerk’s own identity', async () => {
    const hub = await open(material.dataDir('issue'));
    assert.ok(hub.seededTransactions >= 5, `initHub, region, type, issuer, certificate: ${hub.seededTransactions}`);
    const app = appOf(hub);
    const token = material.tokens['wuhan-clerk']!;
    const me = (await request(app).get('/v1/me').set(bearer(token)).expect(200)).body as {
      role: string;
      issuer: { code: string };
    };
    assert.equal(me.role, 'clerk');
    assert.equal(me.issuer.code, '114201000111350663');

    const issued = (
      await request(app).post('/v1/licenses').set(bearer(token)).send(businessLicenseRequest()).expect(201)
    ).body as Issued;
    const history = (
      await request(app)
        .get(`/v1/licenses/${encodeURIComponent(issued.licenseId)}/history`)
        .set(bearer(material.tokens.bank!))
        .expect(200)
    ).body as { entries: { mspId: string; actor: string; action: string }[] };
    const [anchored] = history.entries;
    const clerkCertificate = readFileSync(
      join(material.inputs.identitiesDir, 'users', 'wuhan-clerk', 'cert.pem'),
      'utf8',
    );
    assert.equal(anchored?.mspId, 'WuhanMSP');
    assert.equal(anchored.actor, fabricIdOf(clerkCertificate));
    assert.match(anchored.actor, /CN=wuhan-clerk::/);

    // Verification by an anonymous caller runs on the gateway's own service identity.
    const verified = (await request(app).post('/v1/verify').send({ document: issued.document }).expect(200)).body as {
      verdict: string;
    };
    assert.equal(verified.verdict, 'VALID');
    assert.equal(((await request(app).get('/healthz').expect(200)).body as { status: string }).status, 'ok');
  });

  it('knows only the users file’s tokens: unknown and development tokens get 401', async () => {
    const app = appOf(await open(material.dataDir('tokens')));
    for (const token of ['dev-wuhan-clerk', 'dev-hub-admin', 'not-a-token-of-anyone']) {
      const res = await request(app).get('/v1/me').set(bearer(token)).expect(401);
      assert.equal((res.body as { code: string }).code, 'UNAUTHENTICATED', token);
    }
    await request(app).post('/v1/licenses').set(bearer('dev-wuhan-clerk')).send(businessLicenseRequest()).expect(401);
    await request(app).get('/v1/me').set(bearer(material.tokens.bank!)).expect(200);
  });

  it('a second start re-uses the chain: nothing of the hub file is submitted again, and issued licenses remain', async () => {
    const dataDir = material.dataDir('restart');
    const first = await open(dataDir);
    assert.ok(first.seededTransactions > 0);
    const issued = (
      await request(appOf(first))
        .post('/v1/licenses')
        .set(bearer(material.tokens['wuhan-clerk']!))
        .send(businessLicenseRequest())
        .expect(201)
    ).body as Issued;
    const height = (await first.ledger.history()).length;
    await first.close();
    opened = [];

    const second = await open(dataDir);
    assert.equal(second.seededTransactions, 0);
    assert.equal((await second.ledger.history()).length, height, 'no transaction at start-up');
    const res = await request(appOf(second))
      .get(`/v1/licenses/${encodeURIComponent(issued.licenseId)}`)
      .set(bearer(material.tokens.bank!))
      .expect(200);
    assert.equal((res.body as { status: string }).status, '01');
  });

  it('needs the hub file’s key files only until the key store holds them', async () => {
    const dataDir = material.dataDir('keys-removed');
    await (await open(dataDir)).close();
    opened = [];
    const hub = structuredClone(material.hub) as { issuers: { key: string }[] };
    hub.issuers[0]!.key = 'issuers/moved-away.key';
    const hubFile = join(material.folder, 'hub-keys-removed.json');
    writeFileSync(hubFile, JSON.stringify(hub));
    const restarted = await open(dataDir, { ...material.inputs, hubFile });
    await request(appOf(restarted))
      .post('/v1/licenses')
      .set(bearer(material.tokens['wuhan-clerk']!))
      .send(businessLicenseRequest())
      .expect(201);
    // A fresh data directory has no such key: the start is refused.
    await assert.rejects(
      open(material.dataDir('keys-never-stored'), { ...material.inputs, hubFile }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /^issuer 114201000111350663: the key file .*moved-away\.key is missing and the key store holds no key/.test(
          e.message,
        ),
    );
  });

  describe('refuses to start, naming the problem', () => {
    /** A copy of the material's identities folder, for a test to damage. */
    function identitiesCopy(name: string): string {
      const dir = join(material.folder, `identities-${name}`);
      rmSync(dir, { recursive: true, force: true });
      cpSync(material.inputs.identitiesDir, dir, { recursive: true });
      return dir;
    }

    function usersFileWith(name: string, change: (users: UserEntryJson[]) => UserEntryJson[]): string {
      const path = join(material.folder, `users-${name}.json`);
      writeFileSync(path, JSON.stringify({ users: change([...material.users]) }));
      return path;
    }

    async function refusal(name: string, inputs: Partial<typeof material.inputs>): Promise<ConfigError> {
      const dataDir = material.dataDir(`refused-${name}`);
      try {
        await open(dataDir, { ...material.inputs, ...inputs });
      } catch (error) {
        assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
        assert.equal(error.code, 'CONFIG_INVALID');
        assert.doesNotMatch(error.message, /PRIVATE KEY|BEGIN/, 'no key material in the message');
        assert.ok(!error.message.includes(material.masterKeyHex));
        return error;
      }
      assert.fail('the hub started');
    }

    it('a user of the users file without a Fabric identity', async () => {
      const usersFile = usersFileWith('no-identity', (users) => [
        ...users,
        { ...users.find((u) => u.id === 'wuhan-clerk')!, id: 'wuhan-clerk-2', tokenHash: 'ab'.repeat(32) },
      ]);
      const error = await refusal('no-identity', { usersFile });
      assert.match(
        error.message,
        /^user wuhan-clerk-2 has no Fabric identity: cannot read .*users\/wuhan-clerk-2\/cert\.pem/,
      );
      assert.equal(existsSync(material.dataDir('refused-no-identity')), false, 'nothing written');
    });

    it('a certificate that does not chain to its organisation’s CA', async () => {
      const dir = identitiesCopy('foreign-ca');
      const foreign = await createFabricCa({ mspId: 'WuhanMSP', commonName: 'ca.wuhanmsp' });
      const impostor = await issueFabricIdentity(foreign, {
        mspId: 'WuhanMSP',
        enrollmentId: 'wuhan-clerk',
        attrs: { role: 'clerk', region: WUHAN, issuer: '114201000111350663' },
      });
      writeFileSync(join(dir, 'users', 'wuhan-clerk', 'cert.pem'), impostor.certificatePem);
      writeFileSync(join(dir, 'users', 'wuhan-clerk', 'key.pem'), impostor.privateKeyPem);
      const error = await refusal('foreign-ca', { identitiesDir: dir });
      assert.match(error.message, /^user wuhan-clerk: .*cert\.pem does not chain to the CA of WuhanMSP/);
    });

    it('certificate attributes that differ from the users-file entry', async () => {
      const usersFile = usersFileWith('attributes', (users) =>
        users.map((u) =>
          u.id === 'wuhan-clerk' ? { ...u, issuer: { code: '113418820031587274', name: '广德市市场监督管理局' } } : u,
        ),
      );
      const error = await refusal('attributes', { usersFile });
      assert.match(
        error.message,
        /^user wuhan-clerk: .*cert\.pem carries issuer=114201000111350663, region=420100, role=clerk but its users-file entry means issuer=113418820031587274, region=420100, role=clerk/,
      );
    });

    it('a certificate enrolled under another name than its user', async () => {
      const dir = identitiesCopy('cn');
      const wuhanCa = {
        certificatePem: readFileSync(join(dir, 'organizations', 'WuhanMSP', 'ca.pem'), 'utf8'),
        privateKeyPem: readFileSync(join(dir, 'organizations', 'WuhanMSP', 'ca-key.pem'), 'utf8'),
      };
      const renamed = await issueFabricIdentity(wuhanCa, {
        mspId: 'WuhanMSP',
        enrollmentId: 'someone-else',
        attrs: { role: 'clerk', region: WUHAN, issuer: '114201000111350663' },
      });
      writeFileSync(join(dir, 'users', 'wuhan-clerk', 'cert.pem'), renamed.certificatePem);
      writeFileSync(join(dir, 'users', 'wuhan-clerk', 'key.pem'), renamed.privateKeyPem);
      const error = await refusal('cn', { identitiesDir: dir });
      assert.match(error.message, /^user wuhan-clerk: .*cert\.pem is enrolled as "someone-else", not as "wuhan-clerk"/);
    });

    it('a certificate outside its validity at start-up', async () => {
      const inTwoYears = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000);
      await assert.rejects(
        openProductionHub({ dataDir: material.dataDir('expired'), inputs: material.inputs, clock: () => inTwoYears }),
        (e: unknown) => e instanceof ConfigError && /^user hub-admin: .*cert\.pem is valid only from /.test(e.message),
      );
    });

    it('a private key that is not its certificate’s', async () => {
      const dir = identitiesCopy('key');
      copyFileSync(join(dir, 'users', 'bank', 'key.pem'), join(dir, 'users', 'wuhan-clerk', 'key.pem'));
      const error = await refusal('key', { identitiesDir: dir });
      assert.match(error.message, /^user wuhan-clerk: .*users\/wuhan-clerk\/key\.pem is not the private key of/);
    });

    for (const service of ['gateway-service', 'gateway-audit']) {
      it(`a missing service identity (${service})`, async () => {
        const dir = identitiesCopy(service);
        rmSync(join(dir, 'users', service), { recursive: true });
        const error = await refusal(service, { identitiesDir: dir });
        assert.match(error.message, new RegExp(`^user ${service} has no Fabric identity`));
      });
    }

    it('a user that is not in its region’s organisation', async () => {
      const dir = identitiesCopy('org');
      const usersFile = usersFileWith('org', (users) =>
        users.map((u) => (u.id === 'wuhan-admin' ? { ...u, org: 'BankMSP' } : u)),
      );
      // Give it a matching identity from the bank's CA, so only the region check can fail.
      const bankCa = {
        certificatePem: readFileSync(join(dir, 'organizations', 'BankMSP', 'ca.pem'), 'utf8'),
        privateKeyPem: readFileSync(join(dir, 'organizations', 'BankMSP', 'ca-key.pem'), 'utf8'),
      };
      const moved = await issueFabricIdentity(bankCa, {
        mspId: 'BankMSP',
        enrollmentId: 'wuhan-admin',
        attrs: { role: 'region-admin', region: WUHAN },
      });
      writeFileSync(join(dir, 'users', 'wuhan-admin', 'cert.pem'), moved.certificatePem);
      writeFileSync(join(dir, 'users', 'wuhan-admin', 'key.pem'), moved.privateKeyPem);
      const error = await refusal('org', { identitiesDir: dir, usersFile });
      assert.match(
        error.message,
        /user wuhan-admin is a region-admin of region 420100 in BankMSP, but .* makes WuhanMSP/,
      );
    });

    it('an issuer certificate that does not chain to its region’s root', async () => {
      const hubFile = join(material.folder, 'hub-foreign-issuer.json');
      // The region's root replaced by another one: the issuer's certificate (from the real root) no longer chains.
      const hub = structuredClone(material.hub) as { regions: { rootCertificate: string; rootKey?: string }[] };
      const other = await makeForeignRoot(material.folder);
      hub.regions[0]!.rootCertificate = other;
      delete hub.regions[0]!.rootKey;
      writeFileSync(hubFile, JSON.stringify(hub));
      const error = await refusal('foreign-issuer', { hubFile });
      assert.match(
        error.message,
        /hub-foreign-issuer\.json: \/issuers\/0\/certificate: does not chain to region 420100's root/,
      );
    });

    it('a region on the ledger with another root than the hub file names', async () => {
      const dataDir = material.dataDir('conflict');
      await (await open(dataDir)).close();
      opened = [];
      const hub = structuredClone(material.hub) as {
        regions: { rootCertificate: string; rootKey?: string }[];
        issuers?: unknown[];
      };
      hub.regions[0]!.rootCertificate = await makeForeignRoot(material.folder);
      delete hub.regions[0]!.rootKey;
      delete hub.issuers;
      const hubFile = join(material.folder, 'hub-conflict.json');
      writeFileSync(hubFile, JSON.stringify(hub));
      await assert.rejects(
        open(dataDir, { ...material.inputs, hubFile }),
        (e: unknown) =>
          e instanceof ConfigError &&
          /hub-conflict\.json: region 420100 is on the ledger with another root/.test(e.message),
      );
    });

    it('issuers to register but no region admin in the users file', async () => {
      const usersFile = usersFileWith('no-admin', (users) => users.filter((u) => u.id !== 'wuhan-admin'));
      const error = await refusal('no-admin', { usersFile });
      assert.match(error.message, /needs a region-admin of that region in the users file/);
    });

    it('a master key other than the one the data directory was sealed with', async () => {
      const dataDir = material.dataDir('master-key');
      await (await open(dataDir)).close();
      opened = [];
      await assert.rejects(
        open(dataDir, { ...material.inputs, masterKey: Buffer.alloc(32, 7) }),
        (e: unknown) => e instanceof ConfigError && /CERTHUB_MASTER_KEY does not open the key store/.test(e.message),
      );
    });

    it('a users file that is not one (the users-file parser’s own refusal)', async () => {
      const usersFile = join(material.folder, 'users-broken.json');
      writeFileSync(usersFile, '{"users": [{"id": "x"}]}');
      const error = await refusal('broken-users', { usersFile });
      assert.match(error.message, /users-broken\.json: users\[0\] \("x"\) is invalid/);
    });
  });
});

/** A second SM2 root (certhub ca init's output) in `folder`; returns its file name relative to the folder. */
async function makeForeignRoot(folder: string): Promise<string> {
  const root = await createRootCertificate({ subject: 'CN=Another Root,C=CN', key: Sm2PrivateKey.generate() });
  const name = `foreign-root-${root.serialNumber}.pem`;
  writeFileSync(join(folder, name), root.pem);
  return name;
}
