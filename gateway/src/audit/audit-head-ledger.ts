import type { AuditHead } from '@certhub/chaincode';
import { ChaincodeError, type Ledger, type LedgerIdentity } from '../ledger';
import { evaluateJson, submitJson } from '../services/ledger-json';
import type { AnchoredHead } from './audit-verification';

const anchoredHead = (head: AuditHead): AnchoredHead => ({
  seq: head.seq,
  headHash: head.headHash,
  anchoredAt: head.anchored.timestamp,
  txId: head.anchored.txId,
});

/** Where a log's heads are anchored: the narrow interface the anchoring and verification need (tests fake it). */
export interface AuditHeads {
  readonly logId: string;
  /** Anchors `(seq, headHash)`; the chain refuses a seq not above the anchored one (STALE_AUDIT_HEAD). */
  anchor(seq: number, headHash: string): Promise<AnchoredHead>;
  /** The newest anchored head, or null before the first anchor. */
  latest(): Promise<AnchoredHead | null>;
  /** Every anchored head, oldest first. */
  history(): Promise<AnchoredHead[]>;
}

/** The chaincode's `audit` contract for one log, acting with the gateway's audit identity (role audit-anchor). */
export class AuditHeadLedger implements AuditHeads {
  constructor(
    private readonly ledger: Ledger,
    private readonly identity: LedgerIdentity,
    readonly logId: string,
  ) {}

  async anchor(seq: number, headHash: string): Promise<AnchoredHead> {
    const { result } = await submitJson(this.ledger, this.identity, {
      contract: 'audit',
      fn: 'anchorAuditHead',
      args: [this.logId, String(seq), headHash],
    });
    return anchoredHead(result as AuditHead);
  }

  async latest(): Promise<AnchoredHead | null> {
    try {
      return anchoredHead(
        (await evaluateJson(this.ledger, this.identity, 'audit', 'getAuditHead', [this.logId])) as AuditHead,
      );
    } catch (error) {
      if (error instanceof ChaincodeError && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  async history(): Promise<AnchoredHead[]> {
    const answer = (await evaluateJson(this.ledger, this.identity, 'audit', 'auditHeadHistory', [this.logId])) as {
      heads: AuditHead[];
    };
    return answer.heads.map(anchoredHead);
  }
}
