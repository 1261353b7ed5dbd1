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
  return runVerificationNow(steps, context);
}

/**
 * runVerification, answered directly when every step does (no promise, no microtask): a credit profile runs its
 * three checks for each of 1,000 records, almost always from remembered answers, and 1,000 awaited runs cost more
 * than the checks. A step that returns a promise makes the rest asynchronous, with the same order and outcomes.
 */
export function runVerificationNow<S extends string, C>(
  steps: readonly RunnableStep<S, C>[],
  context: C,
): RunResult<S> | Promise<RunResult<S>> {
  const run = new StepRun(steps);
  for (let index = 0; index < steps.length; index++) {
    const pending = run.start(index, context);
    if (pending !== undefined) return run.finish(index, pending, context);
  }
  return run.result();
}

/** The outcomes so far of one run of the steps. */
class StepRun<S extends string, C> {
  readonly #outcomes = new Map<S, StepOutcome>();
  readonly #checks: CheckRecord<S>[] = [];
  #unreachable = false;
  #failed = false;

  constructor(private readonly steps: readonly RunnableStep<S, C>[]) {}

  /** Runs step `index`: records its outcome, or returns its promise when the step answers with one. */
  start(index: number, context: C): Promise<StepOutcome> | undefined {
    const definition = this.steps[index] as RunnableStep<S, C>;
    const blocker = this.#blocker(definition);
    if (blocker !== undefined) {
      this.#record(definition, { ok: null, detail: `not run: step ${blocker} did not pass` });
      return undefined;
    }
    let answer: StepOutcome | Promise<StepOutcome>;
    try {
      answer = definition.run(context);
    } catch (error) {
      this.#record(definition, this.#failure(error));
      return undefined;
    }
    if (answer instanceof Promise) return answer;
    this.#record(definition, answer);
    return undefined;
  }

  /** Awaits step `index`'s promise, then runs the remaining steps, awaiting each one's promise in turn. */
  async finish(index: number, pending: Promise<StepOutcome>, context: C): Promise<RunResult<S>> {
    let waiting: Promise<StepOutcome> | undefined = pending;
    for (let i = index; i < this.steps.length; i++) {
      if (i > index) waiting = this.start(i, context);
      if (waiting === undefined) continue;
      const definition = this.steps[i] as RunnableStep<S, C>;
      let outcome: StepOutcome;
      try {
        outcome = await waiting;
      } catch (error) {
        outcome = this.#failure(error);
      }
      this.#record(definition, outcome);
    }
    return this.result();
  }

  result(): RunResult<S> {
    // Loops rather than find/filter/every: this runs once per record of a 1,000-record credit profile.
    let decided = true;
    for (const s of this.steps) if (s.decidesVerdict && this.#outcomes.get(s.step)?.ok !== true) decided = false;
    const verdict: Verdict = this.#failed ? 'INVALID' : this.#unreachable || !decided ? 'UNKNOWN' : 'VALID';
    return { verdict, checks: this.#checks };
  }

  /** The first step `definition` needs that did not pass. */
  #blocker(definition: RunnableStep<S, C>): S | undefined {
    for (const need of definition.needs) if (this.#outcomes.get(need)?.ok !== true) return need;
    return undefined;
  }

  #record(definition: RunnableStep<S, C>, outcome: StepOutcome): void {
    this.#outcomes.set(definition.step, outcome);
    if (definition.decidesVerdict && outcome.ok === false) this.#failed = true;
    this.#checks.push({ step: definition.step, ok: outcome.ok, detail: outcome.detail });
  }

  /** A step's error as its outcome; a bug (an error that is not a typed domain one) is thrown on. */
  #failure(error: unknown): StepOutcome {
    if (isLedgerUnreachable(error)) {
      this.#unreachable = true;
      return { ok: null, detail: `ledger unreachable: ${(error as Error).message}` };
    }
    if (error instanceof CertHubError && !(error.code === 'VERIFICATION_ORDER')) {
      const what = error instanceof ChaincodeError ? 'ledger' : 'check';
      return { ok: false, detail: `${what} error ${error.code}: ${error.message}` };
    }
    throw error;
  }
}
