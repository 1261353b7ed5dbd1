import type { User } from '../auth/user';
import { ChaincodeError } from '../ledger';
import { parseQrPayload } from '../qr';
import type { VerifyRequest } from '../schemas';
import type { LicenseService } from '../services/license-service';
import type { LicenseHistoryRecord } from '../services/ledger-records';
import type { VerificationContext, VerificationSubject } from './context';
import { runVerification, type CheckRecord, type Verdict } from './runner';
import type { StepDefinition } from './steps';

/** The report of DESIGN.md §6. */
export interface VerificationReport {
  readonly verdict: Verdict;
  readonly recognized: boolean | null;
  readonly checkedAt: string;
  readonly license: Record<string, unknown> | null;
  readonly checks: readonly CheckRecord[];
  readonly history: readonly LicenseHistoryRecord[];
}

function licenseIdOf(document: unknown): string {
  if (typeof document === 'object' && document !== null && 'licenseId' in document) {
    const id: unknown = document.licenseId;
    if (typeof id === 'string') return id;
  }
  return '';
}

/** POST /v1/verify: turns any of the three request shapes into one subject and runs every step on it. */
export class Verifier {
  constructor(
    private readonly steps: readonly StepDefinition[],
    private readonly licenses: LicenseService,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async verify(caller: User | undefined, request: VerifyRequest): Promise<VerificationReport> {
    const subject = await this.subjectOf(request);
    const context: VerificationContext = { caller, now: this.clock(), subject, facts: {} };
    const { verdict, checks } = await runVerification(this.steps, context);
    const { document, anchor } = context.facts;
    return {
      verdict,
      recognized: context.facts.recognized ?? null,
      checkedAt: context.now.toISOString(),
      license:
        document === undefined && anchor === undefined
          ? null
          : {
              licenseId: subject.licenseId,
              ...(document === undefined
                ? {}
                : {
                    // The face without the holder's ID number: a verifier sees who holds it, not their ID.
                    type: document.type,
                    number: document.number,
                    name: document.name,
                    holder: { name: document.holder.name, idType: document.holder.idType },
                    issuer: document.issuer,
                    issuedOn: document.issuedOn,
                    validFrom: document.validFrom,
                    validUntil: document.validUntil,
                    fields: document.fields,
                  }),
              ...(anchor === undefined
                ? {}
                : { status: anchor.status, version: anchor.version, docHash: anchor.docHash }),
            },
      checks,
      history: anchor === undefined ? [] : await this.historyOf(caller, subject.licenseId),
    };
  }

  private async subjectOf(request: VerifyRequest): Promise<VerificationSubject> {
    if (request.document !== undefined) {
      return {
        document: request.document,
        documentSupplied: true,
        licenseId: licenseIdOf(request.document),
        expectedDocHash: undefined,
      };
    }
    const { licenseId, docHash } =
      request.qr !== undefined
        ? parseQrPayload(request.qr)
        : { licenseId: request.licenseId ?? '', docHash: request.docHash };
    return {
      document: await this.licenses.findStoredDocument(licenseId),
      documentSupplied: false,
      licenseId,
      expectedDocHash: docHash,
    };
  }

  private async historyOf(caller: User | undefined, licenseId: string): Promise<LicenseHistoryRecord[]> {
    try {
      return (await this.licenses.history(caller, licenseId)).entries;
    } catch (error) {
      if (error instanceof ChaincodeError && error.code === 'LICENSE_NOT_FOUND') return [];
      throw error;
    }
  }
}
