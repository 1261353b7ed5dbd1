import { CertHubError } from '@certhub/certs-service';
import { ChaincodeError, LedgerError } from '../ledger';
import type { VerificationStep } from '../schemas';
import type { StepOutcome } from './steps';

export interface CheckRecord<S extends string = VerificationStep> {
  readonly step: S;
  readonly ok: boolean | null;
  readonly detail: string;
}

export type Verdict = 'VALID' | 'INVALID' | 'UNKNOWN';

export interface RunResult<S extends string = VerificationStep> {
  readonly verdict: Verdict;
  readonly checks: readonly CheckRecord<S>[];
}

/**
 * A step the runner can run: a license verification step (steps.ts) or a credit record check (credit-steps.ts), each
 * over its own context and named by its own step names.
 */
export interface RunnableStep<S extends string, C> {
  readonly step: S;
  readonly needs: readonly S[];
  readonly decidesVerdict: boolean;
  /** A step whose answer is at hand (a remembered one, a comparison) returns it directly rather than as a promise. */
  run(context: C): StepOutcome | Promise<StepOutcome>;
}

/**
 * Whether an error means "the ledger could not answer" (verdict UNKNOWN) rather than "the ledger answered no". The
 * chaincode's own refusals (ChaincodeError) are answers; a closed or failing ledger is not.
 */
function isLedgerUnreachable(error: unknown): boolean {
  return error instanceof LedgerError;
}

/**
 * Runs the declared steps in order and records each one's `{step, ok, detail}`. A step is skipped (ok null) when a
 * step it needs did not pass. A typed domain error from a step (a certificate that does not parse, a license the
 * ledger does not know) is that step's failure, recorded with its code; a ledger that cannot be reached makes the
 * step (and the verdict) unknown; anything else is a bug and propagates to the caller as a 500.
 */
export async function runVerification<S extends string, C>(
  steps: readonly RunnableStep<S, C>[],
  context: C,
): Promise<RunResult<S>> {
  const outcomes = new Map<S, StepOutcome>();
  const checks: CheckRecord<S>[] = [];
  let unreachable = false;
  let failed = false;
  for (const definition of steps) {
    const blocker = definition.needs.find((need) => outcomes.get(need)?.ok !== true);
    let outcome: StepOutcome;
    if (blocker !== undefined) {
      outcome = { ok: null, detail: `not run: step ${blocker} did not pass` };
    } else {
      try {
        // Awaited only when it is a promise: a profile runs these for each of its 1,000 records.
        const answer = definition.run(context);
        outcome = answer instanceof Promise ? await answer : answer;
      } catch (error) {
        if (isLedgerUnreachable(error)) {
          unreachable = true;
          outcome = { ok: null, detail: `ledger unreachable: ${(error as Error).message}` };
        } else if (error instanceof CertHubError && !(error.code === 'VERIFICATION_ORDER')) {
          const what = error instanceof ChaincodeError ? 'ledger' : 'check';
          outcome = { ok: false, detail: `${what} error ${error.code}: ${error.message}` };
        } else {
          throw error;
        }
      }
    }
    outcomes.set(definition.step, outcome);
    if (definition.decidesVerdict && outcome.ok === false) failed = true;
    checks.push({ step: definition.step, ok: outcome.ok, detail: outcome.detail });
  }
  const decided = steps.filter((s) => s.decidesVerdict).every((s) => outcomes.get(s.step)?.ok === true);
  const verdict: Verdict = failed ? 'INVALID' : unreachable || !decided ? 'UNKNOWN' : 'VALID';
  return { verdict, checks };
}
