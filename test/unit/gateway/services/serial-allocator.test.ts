import assert from 'node:assert/strict';
import { HolderRefs, SerialAllocator, chinaDate, type StringSpace } from '@certhub/gateway/dist/services';

/** An in-memory space, shared between allocators to stand for one database across a restart. */
function memorySpace(): StringSpace & { readonly data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: (key) => Promise.resolve(data.get(key)),
    put: (key, value) => {
      data.set(key, value);
      return Promise.resolve();
    },
  };
}

describe('serial allocator', () => {
  it('hands out date-prefixed serials, unique under concurrency, counting per issuer and day', async () => {
    const allocator = new SerialAllocator(memorySpace());
    const serials = await Promise.all(
      Array.from({ length: 50 }, () => allocator.next('114201000111350663', '2026-11-21')),
    );
    assert.equal(new Set(serials).size, 50);
    assert.deepEqual(serials.slice(0, 2), ['20261121000001', '20261121000002']);
    assert.equal(await allocator.next('113418820031587274', '2026-11-21'), '20261121000001', 'another issuer');
    assert.equal(await allocator.next('114201000111350663', '2026-11-22'), '20261122000001', 'another day');
  });

  it('never repeats a serial after a restart', async () => {
    const space = memorySpace();
    await new SerialAllocator(space).next('114201000111350663', '2026-11-21');
    assert.equal(await new SerialAllocator(space).next('114201000111350663', '2026-11-21'), '20261121000002');
  });
});

describe('holder references', () => {
  it('keeps an enterprise USCC as is and turns a resident ID into a keyed HMAC-SM3', () => {
    const refs = new HolderRefs(new Uint8Array(32).fill(7));
    assert.equal(refs.refFor({ idType: '001', id: '91420100303217469Q' }), '91420100303217469Q');
    const person = refs.refFor({ idType: '111', id: '11010519491231002X' });
    assert.match(person, /^[0-9a-f]{64}$/);
    assert.equal(refs.refFor({ idType: '111', id: '11010519491231002X' }), person, 'stable');
    assert.notEqual(
      new HolderRefs(new Uint8Array(32).fill(8)).refFor({ idType: '111', id: '11010519491231002X' }),
      person,
    );
  });
});

describe('China date', () => {
  it('is the calendar day at UTC+8', () => {
    assert.equal(chinaDate(new Date('2026-11-21T15:59:59Z')), '2026-11-21');
    assert.equal(chinaDate(new Date('2026-11-21T16:00:00Z')), '2026-11-22');
  });
});
