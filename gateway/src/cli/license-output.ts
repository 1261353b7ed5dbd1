import { licenseStatusName } from '@certhub/chaincode/dist/rules/status';
import type { Static } from '@sinclair/typebox';
import type {
  LicenseHistory,
  LicenseIssueResponse,
  LicenseState,
  LicenseStatusChangeResponse,
  VerificationReport,
} from '../schemas';

/*
 * How the license commands print the gateway's answers for people. Pure functions from the answer (already checked
 * against its schema) to text, so each layout is unit-tested without a gateway; `--json` bypasses them.
 */

export const statusText = (code: string): string => `${code} ${licenseStatusName(code)}`;

/** `key: value` lines with the values aligned. */
function fields(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([key]) => key.length)) + 1;
  return rows.map(([key, value]) => `${`${key}:`.padEnd(width)} ${value}\n`).join('');
}

export function formatIssued(issued: Static<typeof LicenseIssueResponse>): string {
  return fields([
    ['licenseId', issued.licenseId],
    ['docHash', issued.docHash],
    ['txId', issued.txId],
  ]);
}

export function formatStatusChange(change: Static<typeof LicenseStatusChangeResponse>): string {
  return fields([
    ['licenseId', change.licenseId],
    ['status', statusText(change.status)],
    ['txId', change.txId],
  ]);
}

export function formatLicenseState(state: Static<typeof LicenseState>): string {
  return fields([
    ['licenseId', state.licenseId],
    ['status', statusText(state.status)],
    ['type', state.typeCode],
    ['issuer', `${state.issuer} (region ${state.region})`],
    ['holderRef', state.holderRef],
    ['valid', `${state.validFrom} .. ${state.validUntil ?? 'indefinite'}`],
    ['version', String(state.version) + (state.previous === null ? '' : ` (previous ${state.previous})`)],
    ...(typeof state.supersededBy === 'string' ? [['supersededBy', state.supersededBy] as const] : []),
    ['docHash', state.docHash],
  ]);
}

const mark = (ok: boolean | null): string => (ok === true ? '✓' : ok === false ? '✗' : '-');

// The report's `license` is an open object (its face depends on what the gateway holds): read it defensively.
const valueAt = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;

const stringAt = (value: unknown, key: string): string | undefined => {
  const found = valueAt(value, key);
  return typeof found === 'string' ? found : undefined;
};

/** The verdict first, then what the license is, then every step of DESIGN.md §6 in the order it ran. */
export function formatReport(report: Static<typeof VerificationReport>): string {
  const recognized = report.recognized === null ? 'not asked (anonymous caller)' : report.recognized ? 'yes' : 'no';
  const rows: [string, string][] = [
    ['verdict', report.verdict],
    ['recognized', recognized],
  ];
  const license = report.license;
  if (license !== null) {
    const id = stringAt(license, 'licenseId');
    if (id !== undefined && id !== '') rows.push(['license', id]);
    const name = stringAt(license, 'name');
    if (name !== undefined) rows.push(['name', name]);
    const holder = stringAt(valueAt(license, 'holder'), 'name');
    if (holder !== undefined) rows.push(['holder', holder]);
    const issuer = stringAt(valueAt(license, 'issuer'), 'name');
    if (issuer !== undefined) rows.push(['issuer', issuer]);
    const status = stringAt(license, 'status');
    if (status !== undefined) rows.push(['status', statusText(status)]);
  }
  rows.push(['checkedAt', report.checkedAt]);
  const steps = report.checks.map((check) => `${mark(check.ok)} ${check.step}: ${check.detail}\n`).join('');
  return fields(rows) + steps;
}

/** One row per ledger transaction, oldest first: time, action, status, actor, txId. */
export function formatHistory(history: Static<typeof LicenseHistory>): string {
  const header = ['time', 'action', 'status', 'actor', 'txId'] as const;
  const rows = history.entries.map((entry) => [
    entry.timestamp,
    entry.action,
    statusText(entry.status),
    `${entry.actor}@${entry.mspId}`,
    entry.txId,
  ]);
  if (rows.length === 0) return `${history.licenseId}: no history\n`;
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ') +
    '\n';
  const reasons = history.entries.flatMap((entry) => {
    const reason = entry.reason ?? '';
    return reason === '' ? [] : [`  ${entry.timestamp} ${entry.action}: ${reason}\n`];
  });
  return (
    `${history.licenseId}\n` +
    line(header) +
    rows.map(line).join('') +
    (reasons.length > 0 ? `reasons:\n${reasons.join('')}` : '')
  );
}
