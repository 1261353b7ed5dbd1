import type { Stamp } from './registry';

export type RecognitionStatus = 'PROPOSED' | 'ACTIVE' | 'REVOKED';

/** Region `acceptingRegion` accepts the listed license types issued in `issuingRegion`, within validFrom..validUntil. */
export interface RecognitionAgreement {
  readonly id: string;
  readonly acceptingRegion: string;
  readonly issuingRegion: string;
  readonly licenseTypes: readonly string[];
  readonly validFrom: string;
  readonly validUntil: string | null;
  readonly status: RecognitionStatus;
  readonly proposedBy: string;
  readonly proposed: Stamp;
  readonly accepted: Stamp | null;
  readonly revoked: Stamp | null;
  /** Why it was revoked (absent on agreements revoked before reasons were recorded). */
  readonly revocationReason?: string | null;
}
