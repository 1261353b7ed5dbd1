// Context is imported as a value: @Transaction reads its design-time type to skip it as a parameter.
import { Context, Info, Transaction } from 'fabric-contract-api';
import { ChaincodeRuleError, forbidden, invalidArgument, notFound } from '../errors';
import type { AuditHead } from '../model/audit-head';
import { assertAuditAnchor, callerOf } from '../rules/access';
import { HEX_256 } from '../rules/input';
import { ObjectType } from '../state/keys';
import { readRecord, writeRecord } from '../state/repository';
import { fromBytes, serialize } from '../serialization';
import { CertHubContract, emit, requireHub, stampOf } from './certhub-contract';

const LOG_ID = /^[A-Za-z0-9._-]{1,64}$/;
const SEQ = /^[1-9]\d{0,14}$/;

/**
 * Heads of the gateways' audit logs of bank credit-detail queries (issue 6). The log itself stays off chain (it names
 * purposes and people); its keeper anchors the newest entry's sequence number and hash from time to time, always
 * forward, so the log can later be shown complete and unchanged up to every anchored head.
 */
@Info({ title: 'audit', description: 'Anchored heads of hash-chained audit logs' })
export class AuditContract extends CertHubContract {
  constructor() {
    super('audit');
  }

  /**
   * Anchors `(seq, headHash)` as the head of log `logId`: by the gateway's audit identity (role audit-anchor of the hub
   * MSP), the same identity as the log's first anchor, and only with a seq above the current head's.
   */
  @Transaction()
  async anchorAuditHead(ctx: Context, logId: string, seq: string, headHash: string): Promise<string> {
    const caller = callerOf(ctx);
    assertAuditAnchor(caller, await requireHub(ctx), 'anchor an audit log head');
    requireLogId(logId);
    if (!SEQ.test(seq)) throw invalidArgument('seq must be a positive integer', { field: 'seq', seq });
    if (!HEX_256.test(headHash))
      throw invalidArgument('headHash must be 64 lower-case hex digits', { field: 'headHash' });
    const next = Number(seq);
    const current = await readRecord<AuditHead>(ctx, ObjectType.AUDIT_HEAD, [logId]);
    if (current !== undefined) {
      // Two gateways extending one log would fork it; a log has one keeper.
      if (current.writer.actor !== caller.id || current.writer.mspId !== caller.mspId) {
        throw forbidden(`Audit log ${logId} is kept by another identity`, { logId, writer: current.writer.actor });
      }
      if (next <= current.seq) {
        throw new ChaincodeRuleError(
          'STALE_AUDIT_HEAD',
          `Audit log ${logId} is already anchored at seq ${current.seq}`,
          {
            logId,
            seq: next,
            anchoredSeq: current.seq,
          },
        );
      }
    }
    const head: AuditHead = {
      logId,
      seq: next,
      headHash,
      previousSeq: current?.seq ?? null,
      writer: current?.writer ?? { mspId: caller.mspId, actor: caller.id },
      anchored: stampOf(ctx, caller),
    };
    await writeRecord(ctx, ObjectType.AUDIT_HEAD, [logId], head);
    emit(ctx, 'AuditHeadAnchored', { logId, seq: next, headHash });
    return serialize(head);
  }

  /** The newest anchored head of a log. */
  @Transaction(false)
  async getAuditHead(ctx: Context, logId: string): Promise<string> {
    requireLogId(logId);
    const head = await readRecord<AuditHead>(ctx, ObjectType.AUDIT_HEAD, [logId]);
    if (head === undefined) throw notFound('audit log', logId);
    return serialize(head);
  }

  /** Every head anchored for a log, oldest first: `{logId, heads}` (empty when none yet). */
  @Transaction(false)
  async auditHeadHistory(ctx: Context, logId: string): Promise<string> {
    requireLogId(logId);
    const key = ctx.stub.createCompositeKey(ObjectType.AUDIT_HEAD, [logId]);
    const heads: AuditHead[] = [];
    for await (const modification of ctx.stub.getHistoryForKey(key)) {
      if (!modification.isDelete) heads.push(fromBytes(modification.value) as AuditHead);
    }
    // Fabric returns history newest first.
    heads.reverse();
    return serialize({ logId, heads });
  }
}

function requireLogId(logId: string): void {
  if (!LOG_ID.test(logId)) throw invalidArgument('logId must be 1–64 of A-Z a-z 0-9 . _ -', { field: 'logId' });
}
