/**
 * Child process for the crash test: opens an embedded ledger in argv[2] and submits transactions (each writing two
 * keys) as fast as it can, printing each acknowledged tx ID, until the parent kills it with SIGKILL.
 */
import { Context, Contract, Info, Transaction } from 'fabric-contract-api';
import { EmbeddedLedger } from '@certhub/gateway/dist/ledger';
import { createFabricCa, issueFabricIdentity } from '@certhub/certs-service';

@Info({ title: 'pair', description: 'writes two keys per transaction' })
class PairContract extends Contract {
  constructor() {
    super('pair');
  }

  @Transaction()
  async write(ctx: Context, n: string): Promise<void> {
    await ctx.stub.putState(`a${n}`, Buffer.from(n));
    await ctx.stub.putState(`b${n}`, Buffer.from(n));
    ctx.stub.setEvent('Pair', Buffer.from(n));
  }
}

async function main(): Promise<void> {
  const dataDir = process.argv[2] ?? '';
  const ca = await createFabricCa({ mspId: 'CrashMSP', commonName: 'ca.crashmsp' });
  const writer = await issueFabricIdentity(ca, { mspId: 'CrashMSP', enrollmentId: 'writer' });
  const ledger = await EmbeddedLedger.open({
    dataDir,
    contracts: [PairContract],
    organizations: [{ mspId: 'CrashMSP', rootCertificatePems: [ca.certificatePem] }],
  });
  for (let n = 0; ; n += 8) {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        ledger.submit(writer, { contract: 'pair', fn: 'write', args: [String(n + i)] }),
      ),
    );
    process.stdout.write(results.map((r) => `${r.txId}\n`).join(''));
  }
}

void main();
