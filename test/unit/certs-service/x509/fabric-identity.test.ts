import assert from 'node:assert/strict';
import { X509Certificate as NodeX509, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { ClientIdentity, type ChaincodeStub } from 'fabric-shim';
import {
  createFabricCa,
  FabricIdentityError,
  fabricAttributesOf,
  issueFabricIdentity,
  OID_FABRIC_ATTRIBUTES,
  type FabricIdentity,
} from '@certhub/certs-service';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509Certificate,
} from '@certhub/certs-service/dist/x509/peculiar';

/** The part of a ChaincodeStub that fabric-shim's ClientIdentity reads: the creator's MSP ID and certificate. */
function creatorStub(identity: FabricIdentity): ChaincodeStub {
  const stub = {
    getChannelID: () => 'certhub',
    getTxID: () => 'tx-x509-test',
    getCreator: () => ({ mspid: identity.mspId, idBytes: Buffer.from(identity.certificatePem) }),
  };
  return stub as unknown as ChaincodeStub;
}

describe('x509 / Fabric identities (ECDSA P-256, Fabric CA attributes, NodeOUs)', () => {
  it('creates a self-signed P-256 CA whose key is PKCS#8 and matches the certificate', async () => {
    const ca = await createFabricCa({ mspId: 'WuhanMSP', commonName: 'ca.wuhan.certhub' });
    const certificate = new NodeX509(ca.certificatePem);
    assert.equal(certificate.subject, 'O=WuhanMSP\nCN=ca.wuhan.certhub');
    assert.equal(certificate.ca, true);
    assert.equal(certificate.checkIssued(certificate), true);
    assert.equal(certificate.verify(certificate.publicKey), true);
    assert.match(ca.privateKeyPem, /^-----BEGIN PRIVATE KEY-----/);
    const key = createPrivateKey(ca.privateKeyPem);
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(certificate.checkPrivateKey(key), true);
    const parsed = new X509Certificate(ca.certificatePem);
    assert.equal(
      parsed.getExtension(KeyUsagesExtension)?.usages,
      KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign | KeyUsageFlags.digitalSignature,
    );
  });

  it('issues a client identity that fabric-shim reads: MSP ID, x509:: ID and attributes', async () => {
    const ca = await createFabricCa({ mspId: 'WuhanMSP', commonName: 'ca.wuhan.certhub' });
    const clerk = await issueFabricIdentity(ca, {
      mspId: 'WuhanMSP',
      enrollmentId: 'clerk1',
      ou: 'client',
      attrs: { role: 'clerk', region: '420100', issuer: '914403001922038216' },
    });
    assert.equal(clerk.mspId, 'WuhanMSP');
    assert.equal(clerk.enrollmentId, 'clerk1');
    const identity = new ClientIdentity(creatorStub(clerk));
    assert.equal(identity.getMSPID(), 'WuhanMSP');
    assert.equal(identity.getID(), 'x509::/OU=client/CN=clerk1::/O=WuhanMSP/CN=ca.wuhan.certhub');
    assert.equal(identity.getAttributeValue('role'), 'clerk');
    assert.equal(identity.getAttributeValue('region'), '420100');
    assert.equal(identity.getAttributeValue('issuer'), '914403001922038216');
    assert.equal(identity.getAttributeValue('hf.EnrollmentID'), 'clerk1');
    assert.equal(identity.getAttributeValue('hf.Type'), 'client');
    assert.equal(identity.getAttributeValue('missing'), null);
    assert.equal(identity.assertAttributeValue('role', 'clerk'), true);
  });

  it('writes the attribute extension as raw JSON bytes (no inner DER string), non-critical', async () => {
    const ca = await createFabricCa({ mspId: 'BankMSP', commonName: 'ca.bank' });
    const bank = await issueFabricIdentity(ca, {
      mspId: 'BankMSP',
      enrollmentId: 'bank-reader',
      attrs: { role: 'bank' },
    });
    const extension = new X509Certificate(bank.certificatePem).getExtension(OID_FABRIC_ATTRIBUTES);
    assert.ok(extension);
    assert.equal(extension.critical, false);
    assert.equal(
      Buffer.from(extension.value).toString('utf8'),
      '{"attrs":{"hf.EnrollmentID":"bank-reader","hf.Type":"client","role":"bank"}}',
    );
  });

  it('puts the NodeOU in OU, marks the certificate CA:FALSE with digitalSignature, and chains to the CA', async () => {
    const ca = await createFabricCa({ mspId: 'GuangdeMSP', commonName: 'ca.guangde' });
    for (const ou of ['client', 'admin', 'peer', 'orderer'] as const) {
      const identity = await issueFabricIdentity(ca, { mspId: 'GuangdeMSP', enrollmentId: `${ou}0`, ou });
      const certificate = new NodeX509(identity.certificatePem);
      assert.equal(certificate.subject, `OU=${ou}\nCN=${ou}0`);
      assert.equal(certificate.ca, false);
      assert.equal(certificate.checkIssued(new NodeX509(ca.certificatePem)), true);
      assert.equal(certificate.verify(new NodeX509(ca.certificatePem).publicKey), true);
      const parsed = new X509Certificate(identity.certificatePem);
      assert.equal(parsed.getExtension(KeyUsagesExtension)?.usages, KeyUsageFlags.digitalSignature);
      assert.equal(parsed.getExtension(BasicConstraintsExtension)?.ca, false);
      assert.equal(new ClientIdentity(creatorStub(identity)).getAttributeValue('hf.Type'), ou);
      // The private key signs what the certificate's public key verifies (what the Fabric gateway client does).
      const message = Buffer.from('proposal');
      const signature = sign('sha256', message, createPrivateKey(identity.privateKeyPem));
      assert.equal(verify('sha256', message, createPublicKey(identity.certificatePem), signature), true);
    }
  });

  it('refuses reserved hf.* attributes, empty IDs and an unreadable CA with FabricIdentityError', async () => {
    const ca = await createFabricCa({ mspId: 'WuhanMSP', commonName: 'ca.wuhan' });
    const invalid = (error: unknown): boolean =>
      error instanceof FabricIdentityError && (error.code as string) === 'INVALID_FABRIC_IDENTITY';
    await assert.rejects(
      issueFabricIdentity(ca, { mspId: 'WuhanMSP', enrollmentId: 'x', attrs: { 'hf.Type': 'admin' } }),
      invalid,
    );
    await assert.rejects(issueFabricIdentity(ca, { mspId: 'WuhanMSP', enrollmentId: ' ' }), invalid);
    await assert.rejects(issueFabricIdentity(ca, { mspId: '', enrollmentId: 'x' }), invalid);
    await assert.rejects(
      issueFabricIdentity({ ...ca, privateKeyPem: 'garbage' }, { mspId: 'WuhanMSP', enrollmentId: 'x' }),
      invalid,
    );
    await assert.rejects(createFabricCa({ mspId: 'WuhanMSP', commonName: '' }), invalid);
  });

  it('reads the attributes back from a certificate (without hf.*), and none from a certificate without them', async () => {
    const ca = await createFabricCa({ mspId: 'WuhanMSP', commonName: 'ca.wuhan' });
    const source = await issueFabricIdentity(ca, {
      mspId: 'WuhanMSP',
      enrollmentId: 'credit-1',
      attrs: { role: 'credit-source', region: '420100', authority: '114201000111350663' },
    });
    assert.deepEqual(fabricAttributesOf(source.certificatePem), {
      role: 'credit-source',
      region: '420100',
      authority: '114201000111350663',
    });
    assert.deepEqual(fabricAttributesOf(ca.certificatePem), {});
    assert.throws(
      () => fabricAttributesOf('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
      FabricIdentityError,
    );
  });
});
