import assert from 'node:assert/strict';
import { LruMap } from '@certhub/gateway/dist/lru-map';

describe('LruMap', () => {
  it('forgets the least recently used entry beyond its capacity', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    assert.equal(map.get('a'), 1); // a is now more recent than b
    map.set('c', 3);
    assert.equal(map.get('b'), undefined);
    assert.equal(map.get('a'), 1);
    assert.equal(map.get('c'), 3);
  });

  it('replaces a value under an existing key without evicting another', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 10);
    assert.equal(map.get('a'), 10);
    assert.equal(map.get('b'), 2);
  });

  it('forgets a deleted key, leaving room for another', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.delete('a');
    assert.equal(map.get('a'), undefined);
    map.set('c', 3);
    assert.equal(map.get('b'), 2);
    assert.equal(map.get('c'), 3);
  });
});
