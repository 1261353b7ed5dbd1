import assert from 'node:assert/strict';
import {
  chinaDateOf,
  consentStateOn,
  decideConsent,
  registrationRegionCandidates,
  type Consent,
} from '@certhub/chaincode';

function consent(id: string, fields: Partial<Consent> = {}): Consent {
  const stamp = { txId: id, timestamp: '2026-11-01T02:00:00.000Z', mspId: 'WuhanMSP', actor: 'admin' };
  return {
    consentId: id,
    enterprise: '91420100303217469Q',
    region: '420100',
    bank: 'BankMSP',
    scope: ['credit-detail'],
    expiresOn: '2026-12-31',
    grantedOn: '2026-11-01',
    signed: null,
    recordedBy: { region: '420100', mspId: 'WuhanMSP', actor: 'admin' },
    status: 'ACTIVE',
    revokedOn: null,
    revocationReason: null,
    granted: stamp,
    lastChange: { ...stamp, action: 'grant', status: 'ACTIVE', effective: '2026-11-01', reason: null },
    ...fields,
  };
}

const at = (timestamp: string): Pick<Consent, 'granted'> => ({
  granted: { txId: 't', timestamp, mspId: 'WuhanMSP', actor: 'admin' },
});

describe('chaincode rules: consent', () => {
  it('dates a transaction in China time (UTC+8)', () => {
    assert.equal(chinaDateOf(new Date('2026-11-21T15:59:59.999Z')), '2026-11-21');
    assert.equal(chinaDateOf(new Date('2026-11-21T16:00:00.000Z')), '2026-11-22');
  });

  it('finds the registration region from USCC characters 3–8, then its prefecture and province', () => {
    assert.deepEqual(registrationRegionCandidates('91420102MA4K000031'), ['420102', '420100', '420000']);
    assert.deepEqual(registrationRegionCandidates('91420100303217469Q'), ['420100', '420000']);
    assert.deepEqual(registrationRegionCandidates('91110000MA00000XX0'), ['110000']);
    // No administrative division code at all: no candidate.
    assert.deepEqual(registrationRegionCandidates('91000000MA00000000'), []);
  });

  it('a consent is ACTIVE through its last day, EXPIRED after, REVOKED from its revocation day', () => {
    const c = consent('a');
    assert.equal(consentStateOn(c, '2026-12-31'), 'ACTIVE');
    assert.equal(consentStateOn(c, '2027-01-01'), 'EXPIRED');
    const revoked = consent('b', { status: 'REVOKED', revokedOn: '2026-11-10' });
    assert.equal(consentStateOn(revoked, '2026-11-09'), 'ACTIVE');
    assert.equal(consentStateOn(revoked, '2026-11-10'), 'REVOKED');
    assert.equal(consentStateOn(revoked, '2027-02-01'), 'REVOKED');
  });

  it('allows with the consent in force that covers the scope and runs longest', () => {
    const short = consent('short', { expiresOn: '2026-11-30' });
    const long = consent('long', { expiresOn: '2027-06-30', ...at('2026-11-01T01:00:00.000Z') });
    const licenses = consent('licenses', { expiresOn: '2028-01-01', scope: ['licenses'] });
    const decision = decideConsent([short, long, licenses], 'credit-detail', '2026-11-15');
    assert.deepEqual(decision, { allowed: true, consent: long });
    assert.equal(decideConsent([short, long, licenses], 'licenses', '2026-11-15').allowed, true);
  });

  it('refuses for the reason of the latest consent granted by the date', () => {
    assert.deepEqual(decideConsent([], 'credit-detail', '2026-11-15'), {
      allowed: false,
      reason: 'NO_CONSENT',
      consent: null,
      since: null,
    });
    const expired = consent('expired', { expiresOn: '2026-11-10', ...at('2026-11-01T01:00:00.000Z') });
    const revoked = consent('revoked', {
      status: 'REVOKED',
      revokedOn: '2026-11-12',
      ...at('2026-11-01T03:00:00.000Z'),
    });
    assert.deepEqual(decideConsent([expired], 'credit-detail', '2026-11-15'), {
      allowed: false,
      reason: 'EXPIRED',
      consent: expired,
      since: '2026-11-10',
    });
    assert.deepEqual(decideConsent([expired, revoked], 'credit-detail', '2026-11-15'), {
      allowed: false,
      reason: 'REVOKED',
      consent: revoked,
      since: '2026-11-12',
    });
    const lacking = consent('lacking', { scope: ['licenses'], ...at('2026-11-01T04:00:00.000Z') });
    assert.deepEqual(decideConsent([expired, revoked, lacking], 'credit-detail', '2026-11-15'), {
      allowed: false,
      reason: 'SCOPE',
      consent: lacking,
      since: null,
    });
    // On a date before any grant there was no consent; before the revocation day the revoked one applied.
    assert.equal(decideConsent([revoked], 'credit-detail', '2026-10-31').allowed, false);
    assert.equal(decideConsent([revoked], 'credit-detail', '2026-11-11').allowed, true);
  });
});
