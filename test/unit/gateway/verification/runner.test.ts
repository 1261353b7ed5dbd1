import assert from 'node:assert/strict';
import { CertHubError } from '@certhub/certs-service';
import { ChaincodeError, LedgerError } from '@certhub/gateway/dist/ledger';
import type { VerificationStep } from '@certhub/gateway/dist/schemas';
import {
  runVerification,
  runVerificationNow,
  type StepDefinition,
  type StepOutcome,
  type VerificationContext,
} from '@certhub/gateway/dist/verification';

class InputProblem extends CertHubError {
  readonly code = 'MALFORMED_PEM';
}

const context: VerificationContext = {
  caller: undefined,
  now: new Date('2026-11-21T00:00:00Z'),
  subject: { document: undefined, documentSupplied: false, licenseId: 'x', expectedDocHash: undefined },
  facts: {},
};

/** A step whose behaviour is given, recording that it ran. */
function step(
  name: VerificationStep,
  behaviour: () => StepOutcome,
  needs: VerificationStep[] = [],
  ran: VerificationStep[] = [],
  decidesVerdict = true,
): StepDefinition {
  return {
    step: name,
    needs,
    decidesVerdict,
    run: () => {
      ran.push(name);
      return Promise.resolve(behaviour());
    },
  };
}

const ok = (): StepOutcome => ({ ok: true, detail: 'fine' });
const no = (): StepOutcome => ({ ok: false, detail: 'broken' });

describe('verification runner', () => {
  it('runs every step in order and answers VALID when all pass', async () => {
    const ran: VerificationStep[] = [];
    const result = await runVerification(
      [step('format', ok, [], ran), step('hash', ok, ['format'], ran), step('recognition', ok, ['format'], ran, false)],
      context,
    );
    assert.equal(result.verdict, 'VALID');
    assert.deepEqual(ran, ['format', 'hash', 'recognition']);
    assert.deepEqual(
      result.checks.map((c) => [c.step, c.ok]),
      [
        ['format', true],
        ['hash', true],
        ['recognition', true],
      ],
    );
  });

  it('skips (ok null) a step whose prerequisite failed, names the blocker, and answers INVALID', async () => {
    const ran: VerificationStep[] = [];
    const result = await runVerification(
      [
        step('format', ok, [], ran),
        step('signature', no, ['format'], ran),
        step('issuer', ok, ['signature'], ran),
        step('status', ok, ['format'], ran),
      ],
      context,
    );
    assert.equal(result.verdict, 'INVALID');
    assert.deepEqual(ran, ['format', 'signature', 'status']);
    assert.deepEqual(result.checks[2], { step: 'issuer', ok: null, detail: 'not run: step signature did not pass' });
    assert.equal(result.checks[1]?.detail, 'broken');
  });

  it('does not let recognition decide the verdict', async () => {
    const result = await runVerification([step('format', ok), step('recognition', no, ['format'], [], false)], context);
    assert.equal(result.verdict, 'VALID');
    assert.equal(result.checks[1]?.ok, false);
  });

  it('records a typed domain error as the failure of its step, with the code', async () => {
    const result = await runVerification(
      [
        step('format', () => {
          throw new InputProblem('no PEM here');
        }),
        step('anchor', () => {
          throw new ChaincodeError('LICENSE_NOT_FOUND', 'No license x', 'tx1');
        }),
      ],
      context,
    );
    assert.equal(result.verdict, 'INVALID');
    assert.deepEqual(result.checks[0], { step: 'format', ok: false, detail: 'check error MALFORMED_PEM: no PEM here' });
    assert.deepEqual(result.checks[1], {
      step: 'anchor',
      ok: false,
      detail: 'ledger error LICENSE_NOT_FOUND: No license x',
    });
  });

  it('answers UNKNOWN when the ledger cannot be reached, and skips what depends on it', async () => {
    const result = await runVerification(
      [
        step('format', ok),
        step('anchor', () => {
          throw new LedgerError('LEDGER_CLOSED', 'The ledger is closed');
        }),
        step('status', ok, ['anchor']),
      ],
      context,
    );
    assert.equal(result.verdict, 'UNKNOWN');
    assert.deepEqual(
      result.checks.map((c) => c.ok),
      [true, null, null],
    );
    assert.match(result.checks[1]?.detail ?? '', /^ledger unreachable: The ledger is closed/);
  });

  it('lets a failure win over an unreachable ledger: INVALID is certain', async () => {
    const result = await runVerification(
      [
        step('signature', no),
        step('anchor', () => {
          throw new LedgerError('LEDGER_CLOSED', 'closed');
        }),
      ],
      context,
    );
    assert.equal(result.verdict, 'INVALID');
  });

  it('answers directly when every step does, and alike, in order, when some return a promise', async () => {
    const direct = (name: VerificationStep, behaviour: () => StepOutcome, needs: VerificationStep[] = []) => ({
      step: name,
      needs,
      decidesVerdict: true,
      run: behaviour,
    });
    const typed = (): StepOutcome => {
      throw new InputProblem('bad PEM');
    };
    const allDirect = runVerificationNow(
      [direct('format', ok), direct('hash', typed, ['format']), direct('signature', ok, ['hash'])],
      context,
    );
    assert.ok(!(allDirect instanceof Promise), 'no promise when no step returns one');
    const ran: VerificationStep[] = [];
    const mixed = runVerificationNow(
      [
        direct('format', () => (ran.push('format'), ok())),
        // A promise that rejects with the typed error: the same failure as the direct throw.
        {
          ...direct('hash', typed, ['format']),
          run: () => Promise.resolve().then(() => (ran.push('hash'), typed())),
        },
        direct('signature', () => (ran.push('signature'), ok()), ['hash']),
      ],
      context,
    );
    assert.ok(mixed instanceof Promise);
    const awaited = await mixed;
    assert.deepEqual(awaited, allDirect);
    assert.equal(awaited.verdict, 'INVALID');
    assert.deepEqual(ran, ['format', 'hash']);
    assert.deepEqual(
      awaited.checks.map((c) => [c.step, c.ok]),
      [
        ['format', true],
        ['hash', false],
        ['signature', null],
      ],
    );
    assert.throws(
      () =>
        runVerificationNow(
          [
            direct('format', () => {
              throw new TypeError('oops');
            }),
          ],
          context,
        ),
      TypeError,
    );
  });

  it('never swallows a bug: an untyped error propagates', async () => {
    await assert.rejects(
      runVerification(
        [
          step('format', () => {
            throw new TypeError('oops');
          }),
        ],
        context,
      ),
      TypeError,
    );
  });
});
