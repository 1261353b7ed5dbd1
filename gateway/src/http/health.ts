/** Something `/healthz` asks about: the ledger, the key store. */
export interface HealthCheck {
  readonly name: string;
  check(): Promise<void>;
}

export interface HealthReport {
  readonly status: 'ok' | 'failing';
  readonly checks: Record<string, { ok: boolean; detail?: string }>;
}

/** Runs every check at once, each bounded by a timeout so a hung dependency reads as failing, not as a hung probe. */
export async function runHealthChecks(checks: readonly HealthCheck[], timeoutMs: number): Promise<HealthReport> {
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer within ${timeoutMs} ms`));
        }, timeoutMs);
      });
      try {
        await Promise.race([c.check(), timeout]);
        return [c.name, { ok: true }] as [string, { ok: boolean; detail?: string }];
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        return [c.name, { ok: false, detail }] as [string, { ok: boolean; detail?: string }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const checksOut: HealthReport['checks'] = {};
  for (const [name, result] of results) checksOut[name] = result;
  return { status: results.every(([, r]) => r.ok) ? 'ok' : 'failing', checks: checksOut };
}
