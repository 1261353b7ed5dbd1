import assert from 'node:assert/strict';
import { planImport, type ImportPlan } from '@certhub/gateway/dist/cli/import-file';
import { MemoryIo } from './memory-io';

interface SentPart {
  number: number;
  firstIndex: number;
  where: string;
  contentType: string;
  text: string;
}

/** Reads every part's body the way an upload would, one part after the other. */
async function send(plan: ImportPlan): Promise<SentPart[]> {
  const sent: SentPart[] = [];
  for await (const part of plan.parts()) {
    const chunks: Uint8Array[] = [];
    if (part.body.bytes instanceof Uint8Array) chunks.push(part.body.bytes);
    else for await (const chunk of part.body.bytes) chunks.push(chunk);
    sent.push({
      number: part.number,
      firstIndex: part.firstIndex,
      where: part.where,
      contentType: part.body.contentType,
      text: Buffer.concat(chunks).toString('utf8'),
    });
  }
  return sent;
}

describe('planImport: a bulk file as batch request bodies', () => {
  let io: MemoryIo;
  beforeEach(() => {
    io = new MemoryIo();
  });

  it('cuts NDJSON into parts by item count at line ends, keeping blank lines and file positions', async () => {
    io.files.set('f.ndjson', Buffer.from('{"a":1}\n\n{"a":2}\r\n{"a":3}\n{"a":4}\n\n'));
    const plan = await planImport(io, 'f.ndjson', undefined, { maxItems: 2, maxBytes: 1_000 });
    assert.equal(plan.format, 'ndjson');
    assert.equal(plan.items, 4);
    assert.equal(plan.partCount, 2);
    assert.deepEqual(await send(plan), [
      {
        number: 1,
        firstIndex: 0,
        where: 'lines 1–3',
        contentType: 'application/x-ndjson',
        text: '{"a":1}\n\n{"a":2}\r\n',
      },
      {
        number: 2,
        firstIndex: 3,
        where: 'lines 4–6',
        contentType: 'application/x-ndjson',
        text: '{"a":3}\n{"a":4}\n\n',
      },
    ]);
  });

  it('cuts NDJSON by bytes too, never leaving a part empty', async () => {
    const long = `{"pad":"${'x'.repeat(30)}"}`;
    io.files.set('f.ndjson', Buffer.from(`${long}\n${long}\n{"a":1}`));
    const plan = await planImport(io, 'f.ndjson', undefined, { maxItems: 100, maxBytes: 50 });
    const parts = await send(plan);
    assert.deepEqual(
      parts.map((p) => p.text),
      [`${long}\n`, `${long}\n{"a":1}`],
    );
    assert.deepEqual(
      parts.map((p) => p.firstIndex),
      [0, 1],
    );
  });

  it('reads each part lazily: the second pass starts only when parts are asked for', async () => {
    io.files.set('f.ndjson', Buffer.from('{"a":1}\n{"a":2}\n'));
    const plan = await planImport(io, 'f.ndjson');
    io.files.set('f.ndjson', Buffer.from('{"a":1}\n{"a":9}\n'));
    assert.deepEqual(
      (await send(plan)).map((p) => p.text),
      ['{"a":1}\n{"a":9}\n'],
    );
  });

  it('sends a JSON array that fits as it is, and slices a larger one into JSON arrays', async () => {
    const text = '[ {"a":1}, {"a":2}, {"a":3} ]';
    io.files.set('f.json', Buffer.from(text));
    const whole = await send(await planImport(io, 'f.json'));
    assert.deepEqual(whole, [{ number: 1, firstIndex: 0, where: 'items 0–2', contentType: 'application/json', text }]);
    const plan = await planImport(io, 'f.json', undefined, { maxItems: 2, maxBytes: 1_000 });
    assert.equal(plan.items, 3);
    assert.deepEqual(
      (await send(plan)).map((p) => [p.firstIndex, p.where, p.text]),
      [
        [0, 'items 0–1', '[{"a":1},{"a":2}]'],
        [2, 'items 2–2', '[{"a":3}]'],
      ],
    );
  });
});
