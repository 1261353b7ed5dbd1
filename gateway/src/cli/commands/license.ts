import {
  LicenseHistory,
  LicenseIssueResponse,
  LicenseState,
  LicenseStatusChangeResponse,
  VerificationReport,
} from '../../schemas';
import { ExitCode, flag, optionalFlag, positional, type Command, type FlagSpec, type ParsedArgs } from '../command';
import { CliInputError, CliUsageError } from '../errors';
import { connectGateway, gatewayFlags, jsonText, wantsJson } from '../gateway-options';
import type { CliIo } from '../io';
import { formatHistory, formatIssued, formatLicenseState, formatReport, formatStatusChange } from '../license-output';

/** The `certhub license …` commands: one gateway route each (DESIGN.md §5), printed for people or as JSON. */

const idempotencyKeyFlag: FlagSpec = {
  name: 'idempotency-key',
  description: 'a retry with the same key returns the first result instead of issuing again',
};

/** The Idempotency-Key header, checked like the gateway checks it (1–128 visible ASCII characters). */
export function idempotencyHeader(args: ParsedArgs): Record<string, string> {
  const key = optionalFlag(args, 'idempotency-key');
  if (key === undefined) return {};
  if (!/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new CliUsageError('--idempotency-key must be 1 to 128 visible ASCII characters', {
      flag: 'idempotency-key',
    });
  }
  return { 'idempotency-key': key };
}

/** A JSON input file (an issue request, a signed document), with a UTF-8 byte order mark tolerated. */
async function readJsonFile(io: CliIo, path: string): Promise<unknown> {
  const text = Buffer.from(await io.readFile(path))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new CliInputError(`${path} is not JSON: ${why}`, { path }, { cause });
  }
}

const licensePath = (args: ParsedArgs, suffix = ''): string =>
  `/v1/licenses/${encodeURIComponent(positional(args, 0))}${suffix}`;

export const licenseIssueCommand: Command = {
  path: ['license', 'issue'],
  summary: 'Issue an e-license from a JSON request through the gateway (clerk token).',
  details: [
    "POST /v1/licenses with the request file as the body; the issuer is the token's. Prints licenseId, docHash and",
    'txId (--json: the whole answer, with the signed document). Example:',
    '  certhub license issue --in request.json --out license.json --token dev-wuhan-clerk',
  ].join('\n'),
  flags: [
    {
      name: 'in',
      description: 'the request: {typeCode, number, name, holder: {name, idType, id}, validFrom, validUntil, fields}',
      required: true,
    },
    idempotencyKeyFlag,
    { name: 'out', description: 'where to write the signed document (JSON), e.g. for `license verify --in`' },
    ...gatewayFlags('required'),
  ],
  async run(args, io) {
    const client = connectGateway(args, io, 'required');
    const headers = idempotencyHeader(args);
    const request = await readJsonFile(io, flag(args, 'in'));
    const issued = await client.post('/v1/licenses', { json: request }, LicenseIssueResponse, headers);
    const out = optionalFlag(args, 'out');
    if (out !== undefined) await io.writeFile(out, jsonText(issued.document));
    io.stdout(wantsJson(args) ? jsonText(issued) : formatIssued(issued));
    return ExitCode.ok;
  },
};

const VERDICT_EXIT = { VALID: ExitCode.ok, INVALID: ExitCode.invalid, UNKNOWN: ExitCode.error } as const;

export const licenseVerifyCommand: Command = {
  path: ['license', 'verify'],
  summary: 'Verify a license by its signed file, its ID or its QR payload; exit 0 VALID, 1 INVALID.',
  details: [
    'POST /v1/verify with exactly one of --in, --id (+ --doc-hash) or --qr. Prints the verdict, whether your region',
    'recognises the license (only with a token) and every step: ✓ passed, ✗ failed, - not run.',
    'Exit 0 VALID, 1 INVALID, 2 UNKNOWN (the ledger could not be reached) or any error. No token needed.',
  ].join('\n'),
  flags: [
    { name: 'in', description: 'a signed e-license document (JSON)' },
    { name: 'id', description: 'a license ID (the gateway checks its stored document and anchor)' },
    { name: 'doc-hash', description: 'with --id: the SM3 hash of the exact version expected' },
    { name: 'qr', description: 'a scanned QR payload, certhub:1:<licenseId>:<docHash>' },
    ...gatewayFlags('optional'),
  ],
  async run(args, io) {
    const given = ['in', 'id', 'qr'].filter((name) => args.flags.has(name));
    if (given.length !== 1) {
      throw new CliUsageError(
        given.length === 0
          ? 'say what to verify: --in FILE, --id LICENSE_ID or --qr PAYLOAD'
          : `give only one of --in, --id and --qr (got ${given.map((name) => `--${name}`).join(', ')})`,
        { flags: given },
      );
    }
    const docHash = optionalFlag(args, 'doc-hash');
    const id = optionalFlag(args, 'id');
    if (docHash !== undefined && id === undefined) {
      throw new CliUsageError('--doc-hash goes with --id', { flag: 'doc-hash' });
    }
    const client = connectGateway(args, io, 'optional');
    const qr = optionalFlag(args, 'qr');
    const body =
      id !== undefined
        ? { licenseId: id, ...(docHash === undefined ? {} : { docHash }) }
        : qr !== undefined
          ? { qr }
          : { document: await readJsonFile(io, flag(args, 'in')) };
    const report = await client.post('/v1/verify', { json: body }, VerificationReport);
    io.stdout(wantsJson(args) ? jsonText(report) : formatReport(report));
    return VERDICT_EXIT[report.verdict];
  },
};

/** suspend · reinstate · revoke · cancel share one route shape: POST /v1/licenses/{id}/<action> {reason}. */
function statusChangeCommand(action: 'suspend' | 'reinstate' | 'revoke' | 'cancel', summary: string): Command {
  return {
    path: ['license', action],
    summary: `${summary}, with a reason (clerk of the issuer).`,
    details: `POST /v1/licenses/{id}/${action} {reason}; prints the new status and the ledger transaction ID.`,
    positionals: ['LICENSE_ID'],
    flags: [
      { name: 'reason', description: 'why, in words recorded on the ledger (up to 500 characters)', required: true },
      ...gatewayFlags('required'),
    ],
    async run(args, io) {
      const client = connectGateway(args, io, 'required');
      const change = await client.post(
        licensePath(args, `/${action}`),
        { json: { reason: flag(args, 'reason') } },
        LicenseStatusChangeResponse,
      );
      io.stdout(wantsJson(args) ? jsonText(change) : formatStatusChange(change));
      return ExitCode.ok;
    },
  };
}

export const licenseSuspendCommand = statusChangeCommand('suspend', 'Suspend a valid license (01 → 02)');
export const licenseReinstateCommand = statusChangeCommand('reinstate', 'Reinstate a suspended license (02 → 01)');
export const licenseRevokeCommand = statusChangeCommand('revoke', 'Revoke a license for good (→ 07)');
export const licenseCancelCommand = statusChangeCommand('cancel', 'Cancel a license (→ 04)');

export const licenseHistoryCommand: Command = {
  path: ['license', 'history'],
  summary: "A license's provenance, oldest first: time, action, status, actor, txId.",
  details: 'GET /v1/licenses/{id}/history; one row per ledger transaction, then the reasons given.',
  positionals: ['LICENSE_ID'],
  flags: gatewayFlags('required'),
  async run(args, io) {
    const client = connectGateway(args, io, 'required');
    const history = await client.get(licensePath(args, '/history'), LicenseHistory);
    io.stdout(wantsJson(args) ? jsonText(history) : formatHistory(history));
    return ExitCode.ok;
  },
};

export const licenseGetCommand: Command = {
  path: ['license', 'get'],
  summary: "A license's on-chain anchor and current status.",
  details: 'GET /v1/licenses/{id}: status, type, issuer, holder reference (no personal data), validity, docHash.',
  positionals: ['LICENSE_ID'],
  flags: gatewayFlags('required'),
  async run(args, io) {
    const client = connectGateway(args, io, 'required');
    const state = await client.get(licensePath(args), LicenseState);
    io.stdout(wantsJson(args) ? jsonText(state) : formatLicenseState(state));
    return ExitCode.ok;
  },
};
