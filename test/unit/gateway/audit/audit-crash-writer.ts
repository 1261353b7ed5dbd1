/**
 * Child process for the audit crash test: opens a development hub in argv[2] that anchors only when asked, anchors
 * after the first two detailed queries, logs three more, prints each entry (`entry <seq> <hash>`), then waits to be
 * killed with SIGKILL — so entries 3–5 are stored but never anchored.
 */
import { DEVELOPMENT_USERS } from '@certhub/gateway/dist/auth';
import { openDevelopmentHub } from '@certhub/gateway/dist/seed';

const user = (token: string) => {
  const found = DEVELOPMENT_USERS.find((u) => u.token === token);
  if (found === undefined) throw new Error(token);
  return found.user;
};

async function main(): Promise<void> {
  const hub = await openDevelopmentHub({
    dataDir: process.argv[2] ?? '',
    audit: { anchorEvery: 1_000_000, anchorIntervalMs: 3_600_000 },
  });
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  await hub.api.consents.grant(user('dev-wuhan-admin'), '91420100303217469Q', {
    bank: 'BankMSP',
    scope: ['credit-detail'],
    expiresOn: today,
  });
  for (let n = 1; n <= 5; n += 1) {
    const grant = await hub.api.creditAccess.openDetail(
      user('dev-bank'),
      '91420100303217469Q',
      `loan ${String(n)}`,
      'credit-detail',
    );
    process.stdout.write(`entry ${String(grant.audit.seq)} ${grant.audit.entryHash}\n`);
    if (n === 2) {
      const head = await hub.audit.anchoring.anchorNow();
      process.stdout.write(`anchored ${String(head?.seq)}\n`);
    }
  }
  process.stdout.write('ready\n');
  // Keep the process alive until the parent kills it.
  setInterval(() => undefined, 60_000);
}

void main();
