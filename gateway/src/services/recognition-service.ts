import type { User } from '../auth/user';
import { ChaincodeError, type Ledger } from '../ledger';
import type { RecognitionProposal, RecognitionQuery } from '../schemas';
import { AccessDeniedError, RecordNotFoundError, UnknownReferenceError } from './errors';
import type { LedgerIdentities } from './identities';
import { evaluateJson, submitJson } from './ledger-json';
import type { RecognitionRecord, RegionRecord } from './ledger-records';
import type { RegistryService } from './registry-service';

/** What a proposal, acceptance or revocation answers: the agreement's ID and new status, and the whole agreement. */
export interface RecognitionChange {
  readonly id: string;
  readonly status: RecognitionRecord['status'];
  readonly txId: string;
  readonly agreement: RecognitionRecord;
}

const describe = (user: User): string =>
  `${user.id} (${user.role}${user.region === null ? '' : ` of region ${user.region}`})`;

/**
 * Mutual-recognition agreements (DESIGN.md §1, §5) over the recognition chaincode: region A accepts license types T
 * issued in region B. One region's admin proposes, the other region's admin accepts, either revokes with a reason. The
 * chaincode decides; the gateway checks first so that a refusal says which region's admin may act and writes nothing.
 */
export class RecognitionService {
  constructor(
    private readonly ledger: Ledger,
    private readonly identities: LedgerIdentities,
    private readonly registry: RegistryService,
  ) {}

  async propose(caller: User, proposal: RecognitionProposal): Promise<RecognitionChange> {
    for (const code of [proposal.acceptingRegion, proposal.issuingRegion]) {
      if ((await this.registry.region(caller, code)) === undefined) {
        throw new UnknownReferenceError(`region ${code} is not registered`, { region: code });
      }
    }
    if (
      caller.role !== 'region-admin' ||
      (caller.region !== proposal.acceptingRegion && caller.region !== proposal.issuingRegion)
    ) {
      throw new AccessDeniedError(
        `only a region-admin of ${proposal.acceptingRegion} or ${proposal.issuingRegion} may propose an agreement between them, not ${describe(caller)}`,
        { userId: caller.id },
      );
    }
    const known = new Set((await this.registry.licenseTypes(caller)).map((t) => t.code));
    const unknown = proposal.licenseTypes.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw new UnknownReferenceError(`license types not registered: ${unknown.join(', ')}`, { licenseTypes: unknown });
    }
    return this.submit(caller, 'propose', [
      JSON.stringify({
        acceptingRegion: proposal.acceptingRegion,
        issuingRegion: proposal.issuingRegion,
        licenseTypes: proposal.licenseTypes,
        validFrom: proposal.validFrom,
        validUntil: proposal.validUntil ?? null,
      }),
    ]);
  }

  /** The admin of the region that did not propose accepts; the agreement becomes ACTIVE. */
  async accept(caller: User, id: string): Promise<RecognitionChange> {
    const agreement = await this.get(caller, id);
    const counterpart =
      agreement.proposedBy === agreement.acceptingRegion ? agreement.issuingRegion : agreement.acceptingRegion;
    if (caller.role !== 'region-admin' || caller.region !== counterpart) {
      throw new AccessDeniedError(
        `region ${agreement.proposedBy} proposed agreement ${id}; only a region-admin of region ${counterpart} may accept it, not ${describe(caller)}`,
        { id, userId: caller.id },
      );
    }
    return this.submit(caller, 'accept', [id]);
  }

  /** Either region's admin ends a proposed or active agreement; the reason is recorded on the ledger. */
  async revoke(caller: User, id: string, reason: string): Promise<RecognitionChange> {
    const agreement = await this.get(caller, id);
    const parties = [agreement.acceptingRegion, agreement.issuingRegion];
    if (caller.role !== 'region-admin' || caller.region === null || !parties.includes(caller.region)) {
      throw new AccessDeniedError(
        `only a region-admin of region ${parties.join(' or ')} may revoke agreement ${id}, not ${describe(caller)}`,
        { id, userId: caller.id },
      );
    }
    return this.submit(caller, 'revoke', [id, reason]);
  }

  async get(caller: User, id: string): Promise<RecognitionRecord> {
    try {
      return (await evaluateJson(this.ledger, this.identities.forUser(caller), 'recognition', 'get', [
        id,
      ])) as RecognitionRecord;
    } catch (error) {
      if (error instanceof ChaincodeError && error.code === 'NOT_FOUND') {
        throw new RecordNotFoundError(`no recognition agreement ${id}`, { id });
      }
      throw error;
    }
  }

  /** Agreements a region takes part in (either side), or every region's; oldest proposal first. */
  async list(caller: User, query: RecognitionQuery): Promise<{ recognitions: RecognitionRecord[] }> {
    const identity = this.identities.forUser(caller);
    const regions =
      query.region === undefined
        ? ((await evaluateJson(this.ledger, identity, 'registry', 'listRegions')) as RegionRecord[]).map((r) => r.code)
        : [query.region];
    const byId = new Map<string, RecognitionRecord>();
    for (const region of regions) {
      for (const agreement of (await evaluateJson(this.ledger, identity, 'recognition', 'list', [
        region,
      ])) as RecognitionRecord[]) {
        byId.set(agreement.id, agreement);
      }
    }
    const recognitions = [...byId.values()]
      .filter((a) => query.status === undefined || a.status === query.status)
      .sort((a, b) => a.proposed.timestamp.localeCompare(b.proposed.timestamp) || a.id.localeCompare(b.id));
    return { recognitions };
  }

  private async submit(caller: User, fn: string, args: string[]): Promise<RecognitionChange> {
    const { result, submitted } = await submitJson(this.ledger, this.identities.forUser(caller), {
      contract: 'recognition',
      fn,
      args,
    });
    const agreement = result as RecognitionRecord;
    return { id: agreement.id, status: agreement.status, txId: submitted.txId, agreement };
  }
}
