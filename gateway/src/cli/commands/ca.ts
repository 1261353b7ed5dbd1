import {
  CertificateChainError,
  Sm2PrivateKey,
  createRootCertificate,
  issueIssuerCertificate,
  validateUscc,
  verifyCertificateChain,
} from '@certhub/certs-service';
import { ExitCode, daysFlag, flag, optionalFlag, type Command } from '../command';
import { loadCertificate, loadPrivateKey, loadPublicKey, parseTime } from '../keys';

const daysDescription = (fallback: number): string => `validity in days (default ${fallback})`;

export const caInitCommand: Command = {
  path: ['ca', 'init'],
  summary: "Create a region's self-signed SM2 root CA: a new key (PKCS#8 PEM) and its certificate (PEM).",
  flags: [
    { name: 'subject', description: 'distinguished name, e.g. "CN=Wuhan Root CA,O=Wuhan,C=CN"', required: true },
    { name: 'out-key', description: 'where to write the CA private key (mode 600)', required: true },
    { name: 'out-cert', description: 'where to write the CA certificate', required: true },
    { name: 'days', description: daysDescription(3650) },
  ],
  async run(args, io) {
    const key = Sm2PrivateKey.generate();
    const certificate = await createRootCertificate({
      subject: flag(args, 'subject'),
      key,
      validityDays: daysFlag(args, 3650),
    });
    await io.writeFile(flag(args, 'out-key'), key.toPkcs8Pem(), { secret: true });
    await io.writeFile(flag(args, 'out-cert'), certificate.pem);
    return ExitCode.ok;
  },
};

export const caIssueCommand: Command = {
  path: ['ca', 'issue'],
  summary: "Issue an issuer's SM2 signing certificate (digitalSignature + nonRepudiation) under a CA.",
  flags: [
    { name: 'ca-key', description: 'the CA private key', required: true },
    { name: 'ca-cert', description: 'the CA certificate', required: true },
    { name: 'pub', description: "the issuer's SM2 public key", required: true },
    { name: 'subject', description: 'distinguished name of the issuer', required: true },
    { name: 'out', description: 'where to write the certificate', required: true },
    { name: 'days', description: daysDescription(1095) },
    { name: 'uscc', description: "the issuer's unified social credit code, put in the subject" },
  ],
  async run(args, io) {
    const uscc = optionalFlag(args, 'uscc');
    if (uscc !== undefined) validateUscc(uscc);
    const certificate = await issueIssuerCertificate({
      caKey: await loadPrivateKey(io, flag(args, 'ca-key')),
      caCertificate: await loadCertificate(io, flag(args, 'ca-cert')),
      publicKey: await loadPublicKey(io, flag(args, 'pub')),
      subject: flag(args, 'subject'),
      validityDays: daysFlag(args, 1095),
      ...(uscc === undefined ? {} : { uscc }),
    });
    await io.writeFile(flag(args, 'out'), certificate.pem);
    return ExitCode.ok;
  },
};

export const caVerifyCommand: Command = {
  path: ['ca', 'verify'],
  summary:
    'Check that a certificate chains to the CA certificate and is valid at a time. Exit 0 when valid, 1 when not.',
  flags: [
    { name: 'ca-cert', description: 'the trusted root certificate', required: true },
    { name: 'cert', description: 'the certificate to check', required: true },
    { name: 'at', description: 'ISO 8601 time to check at (default now)' },
  ],
  async run(args, io) {
    const root = await loadCertificate(io, flag(args, 'ca-cert'));
    const certificate = await loadCertificate(io, flag(args, 'cert'));
    const at = parseTime(optionalFlag(args, 'at'), 'at');
    try {
      await verifyCertificateChain(certificate, { roots: [root], at });
    } catch (error) {
      if (!(error instanceof CertificateChainError)) throw error;
      io.stderr(`${flag(args, 'cert')}: invalid: ${error.message}\n`);
      return ExitCode.invalid;
    }
    io.stdout(`${flag(args, 'cert')}: OK\n`);
    return ExitCode.ok;
  },
};
