import assert from 'node:assert/strict';
import type { FullCreditRecord } from '@certhub/certs-service';
import type { CreditRecord, CreditRecordSummary } from '@certhub/chaincode';
import { addDays } from '@certhub/chaincode/dist/rules/publicity';
import { DEVELOPMENT_USERS } from '@certhub/gateway/dist/auth';
import type { CreditRecordRequest } from '@certhub/gateway/dist/schemas';
import { GATEWAY_SERVICE_USER } from '@certhub/gateway/dist/seed';
import { CertificateCache, LedgerIdentities, RegistryService, evaluateJson } from '@certhub/gateway/dist/services';
import { buildFullCreditRecord } from '@certhub/gateway/dist/services/credit-records';
import { runVerification } from '@certhub/gateway/dist/verification';
import {
  creditCheckSteps,
  type CreditCheckContext,
  type CreditSource,
} from '@certhub/gateway/dist/verification/credit-steps';
import { penaltyRequest } from '../../../support/credit-requests';
import { openHubApp, type HubApp } from '../routes/hub-app';

const source = DEVELOPMENT_USERS.find((u) => u.token === 'dev-wuhan-credit')!.user;

describe('credit record checks (signature, anchor, status)', function () {
  this.timeout(60_000);
  const today = new Date(Date.now() + 36 * 3600_000).toISOString().slice(0, 10);
  let hub: HubApp;
  let steps: ReturnType<typeof creditCheckSteps>;
  let registry: RegistryService;
  let listed: CreditRecordSummary;
  let anchor: CreditRecord;
  let full: FullCreditRecord;
  const subject = '91420100MA4K00001U';

  before(async () => {
    hub = await openHubApp({ clock: () => new Date(`${today}T04:00:00Z`) });
    const { ledger, world } = hub.hub;
    const identities = new LedgerIdentities(world.identities, world.identities[GATEWAY_SERVICE_USER]!);
    registry = new RegistryService(ledger, identities);
    steps = creditCheckSteps({ certificates: new CertificateCache() });
    const body = penaltyRequest(addDays(today, -10), { subject }) as unknown as CreditRecordRequest;
    full = buildFullCreditRecord(body, today);
    const created = await hub.hub.api.creditRecords.create(source, body);
    const profile = (await evaluateJson(ledger, identities.forCaller(undefined), 'credit', 'profile', [
      subject,
      today,
    ])) as { records: CreditRecordSummary[] };
    listed = profile.records.find((r) => r.recordId === created.recordId)!;
    anchor = await hub.hub.api.creditRecords.get(undefined, created.recordId);
  });
  after(async () => {
    await hub.dispose();
  });

  /** The source's registry entry as a profile reads it: once, before its records are checked. */
  const sourceOf = async (uscc: string): Promise<CreditSource | undefined> => {
    const issuer = await registry.issuer(undefined, uscc);
    const region = issuer === undefined ? undefined : await registry.region(undefined, issuer.region);
    return issuer === undefined || region === undefined ? undefined : { issuer, region };
  };
  const check = async (overrides: Partial<CreditCheckContext> = {}) => {
    const shown = overrides.anchor ?? anchor;
    const registered = await sourceOf(shown.source);
    const context: CreditCheckContext = {
      caller: undefined,
      subject,
      onDate: today,
      listed,
      fullRecord: undefined,
      source: (uscc) => (uscc === shown.source ? registered : undefined),
      anchor: shown,
      ...overrides,
    };
    const { verdict, checks } = await runVerification(steps, context);
    const by = (step: string) => {
      const found = checks.find((c) => c.step === step);
      assert.ok(found, step);
      return found;
    };
    return { verdict, checks: { signature: by('signature'), anchor: by('anchor'), status: by('status') } };
  };

  it('passes a record as anchored', async () => {
    const { verdict, checks } = await check();
    assert.equal(verdict, 'VALID');
    assert.deepEqual(
      Object.values(checks).map((c) => [c.step, c.ok]),
      [
        ['signature', true],
        ['anchor', true],
        ['status', true],
      ],
    );
  });

  it('fails the signature when any signed fact, the signature or the signer differs from what was signed', async () => {
    const bySubject = await check({ anchor: { ...anchor, subject: '914403001922038216' } });
    assert.equal(bySubject.checks.signature.ok, false);
    assert.match(bySubject.checks.signature.detail, /does not verify/);
    assert.equal(bySubject.checks.anchor.ok, false, 'and the anchor no longer matches the profile');
    const bytes = Buffer.from(anchor.signature, 'base64');
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0x01, bytes.length - 1);
    const flipped = await check({ anchor: { ...anchor, signature: bytes.toString('base64') } });
    assert.equal(flipped.checks.signature.ok, false);
    assert.equal(flipped.verdict, 'INVALID');
    const unknownSigner = await check({ anchor: { ...anchor, signerFingerprint: 'ab'.repeat(32) } });
    assert.match(unknownSigner.checks.signature.detail, /is not registered for 114201000111350663/);
    const unregistered = await check({ anchor: { ...anchor, source: '914403001922038216' } });
    assert.match(unregistered.checks.signature.detail, /source 914403001922038216 is not registered/);
  });

  it('remembers a signature’s answer only for the same anchor under the same signer state', async () => {
    const registered = (await sourceOf(anchor.source))!;
    const run = (source: CreditSource, shown: CreditRecord = anchor) =>
      runVerification(steps, {
        caller: undefined,
        subject,
        onDate: today,
        listed,
        fullRecord: undefined,
        source: (uscc) => (uscc === shown.source ? source : undefined),
        anchor: shown,
      });
    assert.equal((await run(registered)).verdict, 'VALID');
    assert.equal((await run(registered)).verdict, 'VALID', 'the remembered answer');
    const retired = {
      ...registered,
      issuer: {
        ...registered.issuer,
        certificates: registered.issuer.certificates.map((c) => ({ ...c, retiredAt: '2000-01-01T00:00:00.000Z' })),
      },
    };
    const afterRetirement = await run(retired);
    assert.equal(afterRetirement.verdict, 'INVALID', 'a retirement before anchoring is seen at once');
    assert.match(afterRetirement.checks[0]!.detail, /retired at 2000-01-01/);
    assert.equal((await run(registered)).verdict, 'VALID', 'and the registry as it was passes again');
    const tampered = { ...anchor, decisionDate: addDays(anchor.decisionDate, -1) };
    assert.equal((await run(registered, tampered)).checks[0]!.ok, false, 'a changed stored anchor is judged afresh');
  });

  it('with the full record, compares its SM3 and its facts with the anchor', async () => {
    const held = await check({ fullRecord: full });
    assert.equal(held.checks.anchor.ok, true);
    assert.match(held.checks.anchor.detail, /SM3 of the full record equals it/);
    const changed = await check({ fullRecord: { ...full, documentNumber: '武市监处罚〔2026〕99号' } });
    assert.equal(changed.checks.anchor.ok, false);
    assert.match(changed.checks.anchor.detail, /^SM3 of the full record held here is [0-9a-f]{64}, not the anchored/);
    assert.equal(changed.checks.status.ok, null, 'status is not judged without the anchor');
    const missing = await check({ fullRecord: null });
    assert.equal(missing.checks.anchor.ok, true);
    assert.match(missing.checks.anchor.detail, /holds no full record/);
  });

  it('fails the anchor when the profile lists other facts, and the status (the profile’s own) when not active or public', async () => {
    const other = await check({ listed: { ...listed, severity: 'SERIOUS' } });
    assert.match(other.checks.anchor.detail, /disagree on severity \(SERIOUS ≠ GENERAL\)/);
    const repaired = await check({ listed: { ...listed, status: 'REPAIRED', repairedOn: today } });
    assert.equal(repaired.checks.status.ok, false);
    assert.equal(repaired.checks.status.detail, `REPAIRED on ${today}`);
    const later = await check({ onDate: addDays(anchor.publicUntil!, 1) });
    assert.match(later.checks.status.detail, /^not public on/);
  });
});
