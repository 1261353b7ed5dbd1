import { SM2_DEFAULT_ID, Sm2PrivateKey, Sm2SignatureFormatError, sm2Sign, sm2Verify } from '@certhub/certs-service';
import { ExitCode, flag, optionalFlag, type Command, type FlagSpec } from '../command';
import { loadPrivateKey, loadPublicKey } from '../keys';

const idFlag: FlagSpec = {
  name: 'id',
  description: `signer's distinguishing ID (default ${SM2_DEFAULT_ID}, GM/T 0009)`,
};

export const sm2KeygenCommand: Command = {
  path: ['sm2', 'keygen'],
  summary: 'Generate an SM2 private key and write it as PKCS#8 PEM (readable by OpenSSL 3).',
  flags: [{ name: 'out', description: 'where to write the private key (created mode 600)', required: true }],
  async run(args, io) {
    const key = Sm2PrivateKey.generate();
    await io.writeFile(flag(args, 'out'), key.toPkcs8Pem(), { secret: true });
    return ExitCode.ok;
  },
};

export const sm2PubCommand: Command = {
  path: ['sm2', 'pub'],
  summary: 'Write the SPKI PEM public key of an SM2 private key (PKCS#8 or SEC1, PEM or DER).',
  flags: [
    { name: 'key', description: 'the private key file', required: true },
    { name: 'out', description: 'where to write the public key', required: true },
  ],
  async run(args, io) {
    const key = await loadPrivateKey(io, flag(args, 'key'));
    await io.writeFile(flag(args, 'out'), key.publicKey.toPem());
    return ExitCode.ok;
  },
};

export const sm2SignCommand: Command = {
  path: ['sm2', 'sign'],
  summary: 'Sign a file with SM2/SM3; writes the DER signature (same as openssl dgst -sm3 -sign -sigopt distid:ID).',
  flags: [
    { name: 'key', description: 'the private key file', required: true },
    { name: 'in', description: 'the file to sign', required: true },
    { name: 'out', description: 'where to write the DER signature', required: true },
    idFlag,
  ],
  async run(args, io) {
    const key = await loadPrivateKey(io, flag(args, 'key'));
    const message = await io.readFile(flag(args, 'in'));
    const signature = sm2Sign(key, message, { id: optionalFlag(args, 'id') ?? SM2_DEFAULT_ID });
    await io.writeFile(flag(args, 'out'), signature);
    return ExitCode.ok;
  },
};

export const sm2VerifyCommand: Command = {
  path: ['sm2', 'verify'],
  summary: 'Verify a DER SM2/SM3 signature over a file. Exit 0 when valid, 1 when not.',
  flags: [
    { name: 'pub', description: 'the public key (SPKI PEM/DER) or a certificate', required: true },
    { name: 'in', description: 'the signed file', required: true },
    { name: 'sig', description: 'the DER signature', required: true },
    idFlag,
  ],
  async run(args, io) {
    const key = await loadPublicKey(io, flag(args, 'pub'));
    const message = await io.readFile(flag(args, 'in'));
    const signature = await io.readFile(flag(args, 'sig'));
    try {
      if (sm2Verify(key, message, signature, { id: optionalFlag(args, 'id') ?? SM2_DEFAULT_ID })) {
        io.stdout('Verified OK\n');
        return ExitCode.ok;
      }
      io.stderr('Verification failure: the signature does not match this key, ID and file\n');
    } catch (error) {
      // A malformed signature file is an invalid signature to the person checking it, not a usage mistake.
      if (!(error instanceof Sm2SignatureFormatError)) throw error;
      io.stderr(`Verification failure: malformed signature: ${error.message}\n`);
    }
    return ExitCode.invalid;
  },
};
