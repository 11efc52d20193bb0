/**
 * The ring-buffer deque behind lists (src/store/list.ts), against a plain array as the model:
 * seeded random operation sequences (pushes and pops at both ends, inserts, LREM-style
 * removals, trims, index writes) that make the ring wrap, grow and shrink, checked after every
 * step; plus the cases the random walk reaches rarely.
 */
import { describe, expect, test } from 'vitest';
import { ListValue } from '../../src/store/list.ts';
import { dupValue } from '../../src/store/db.ts';
import { seeded } from '../helpers/random.ts';

/** The model of LREM: remove up to |count| elements equal to v (all when 0), from the tail when negative. */
function modelRemove(a: string[], v: string, count: number): number {
  const limit = count === 0 ? Infinity : Math.abs(count);
  let removed = 0;
  if (count >= 0) {
    for (let i = 0; i < a.length && removed < limit;) {
      if (a[i] === v) {
        a.splice(i, 1);
        removed++;
      } else i++;
    }
  } else {
    for (let i = a.length - 1; i >= 0 && removed < limit; i--) {
      if (a[i] === v) {
        a.splice(i, 1);
        removed++;
      }
    }
  }
  return removed;
}

function check(l: ListValue, model: string[]): void {
  expect(l.length).toBe(model.length);
  expect(l.toArray()).toEqual(model);
  for (let i = 0; i < model.length; i++) expect(l.at(i)).toBe(model[i]);
}

describe('ListValue', () => {
  test('type and a fresh list', () => {
    const l = new ListValue();
    expect(l.type).toBe('list');
    expect(l.length).toBe(0);
    expect(l.popHead()).toBeUndefined();
    expect(l.popTail()).toBeUndefined();
    expect(Object.keys(l)).not.toContain('type'); // on the prototype: no slot per list
  });

  test('pushes at both ends wrap around the ring and keep order', () => {
    const l = new ListValue();
    const model: string[] = [];
    for (let i = 0; i < 40; i++) {
      if (i % 3 === 0) {
        l.pushHead(`h${i}`);
        model.unshift(`h${i}`);
      } else {
        l.pushTail(`t${i}`);
        model.push(`t${i}`);
      }
      check(l, model);
    }
    while (model.length > 0) {
      if (model.length % 2 === 0) expect(l.popHead()).toBe(model.shift());
      else expect(l.popTail()).toBe(model.pop());
      check(l, model);
    }
  });

  test('insertAt shifts the shorter side, at every position of a wrapped ring', () => {
    for (let n = 0; n < 12; n++) {
      for (let at = 0; at <= n; at++) {
        const l = new ListValue();
        const model: string[] = [];
        // Wrap the ring first: pushes at the head start at the array's end.
        for (let i = 0; i < n; i++) {
          if (i % 2 === 0) {
            l.pushHead(String(i));
            model.unshift(String(i));
          } else {
            l.pushTail(String(i));
            model.push(String(i));
          }
        }
        l.insertAt(at, 'X');
        model.splice(at, 0, 'X');
        check(l, model);
      }
    }
  });

  test('keepRange keeps a run at either end or in the middle, and can empty the list', () => {
    const base = Array.from({ length: 20 }, (_, i) => `e${i}`);
    for (const [start, n] of [[0, 10], [10, 10], [5, 3], [0, 20], [0, 0], [19, 1], [0, 1]] as const) {
      const l = new ListValue();
      for (const x of base) l.pushHead(x);
      const model = [...base].reverse();
      l.keepRange(start, n);
      check(l, model.slice(start, start + n));
    }
  });

  test('removeEqual from the head, the tail, and everywhere', () => {
    const base = ['a', 'b', 'a', 'c', 'a', 'a', 'd', 'a'];
    for (const count of [0, 1, 2, 3, 100, -1, -2, -3, -100]) {
      const l = new ListValue();
      for (const x of base) l.pushTail(x);
      const model = [...base];
      expect(l.removeEqual('a', count)).toBe(modelRemove(model, 'a', count));
      check(l, model);
      expect(l.removeEqual('zz', count)).toBe(0);
      check(l, model);
    }
  });

  test('dup is independent and dupValue uses it', () => {
    const l = new ListValue();
    for (let i = 0; i < 9; i++) l.pushHead(String(i));
    const d = dupValue(l) as ListValue;
    expect(d).toBeInstanceOf(ListValue);
    expect(d.toArray()).toEqual(l.toArray());
    d.pushTail('new');
    d.setAt(0, 'changed');
    expect(l.toArray()).toEqual(['8', '7', '6', '5', '4', '3', '2', '1', '0']);
  });

  test('a big list drained to a few elements gives its memory back and stays correct', () => {
    const l = new ListValue();
    for (let i = 0; i < 10000; i++) l.pushTail(String(i));
    l.keepRange(9990, 10);
    const model = Array.from({ length: 10 }, (_, i) => String(9990 + i));
    check(l, model);
    // The ring shrank: pushing a few more and popping them all still works at both ends.
    for (let i = 0; i < 100; i++) l.pushHead(`x${i}`);
    for (let i = 0; i < 100; i++) expect(l.popHead()).toBe(`x${99 - i}`);
    check(l, model);
    const ring = (l as unknown as { items: unknown[] }).items;
    expect(ring.length).toBeLessThanOrEqual(64);
  });

  test('random operation sequences agree with an array model', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rnd = seeded(seed);
      const int = (n: number) => Math.floor(rnd() * n);
      const l = new ListValue(int(3) === 0 ? 100 : 1);
      const model: string[] = [];
      for (let step = 0; step < 600; step++) {
        const v = String.fromCharCode(97 + int(4));
        switch (int(9)) {
          case 0: case 1: l.pushHead(v); model.unshift(v); break;
          case 2: case 3: l.pushTail(v); model.push(v); break;
          case 4: expect(l.popHead()).toBe(model.shift()); break;
          case 5: expect(l.popTail()).toBe(model.pop()); break;
          case 6: {
            const at = int(model.length + 1);
            l.insertAt(at, v);
            model.splice(at, 0, v);
            break;
          }
          case 7: {
            const count = int(5) - 2;
            expect(l.removeEqual(v, count)).toBe(modelRemove(model, v, count));
            break;
          }
          default: {
            if (model.length === 0) break;
            if (int(2) === 0) {
              const i = int(model.length);
              l.setAt(i, v);
              model[i] = v;
            } else {
              const start = int(model.length);
              const n = int(model.length - start + 1);
              l.keepRange(start, n);
              model.splice(0, model.length, ...model.slice(start, start + n));
            }
          }
        }
        check(l, model);
        expect(l.indexOf('a')).toBe(model.indexOf('a'));
      }
    }
  });
});
