/**
 * dupValue (src/store/db.ts), the copy behind COPY: a copied value must share nothing mutable
 * with its source, keep its class (so the type's methods still work), and keep the shape of
 * shared references and cycles inside the value. Types that provide dup() get it called.
 */

import { expect, test } from 'vitest';
import { dupValue, type TypedValue } from '../../src/store/db.ts';

class FakeList implements TypedValue {
  readonly type = 'list';
  items: string[] = [];
  index = new Map<string, number[]>();
  members = new Set<string>();
  raw = Buffer.from('abc', 'latin1');
  floats = new Float64Array([1.5, 2.5]);
  self: FakeList | null = null;
  shared: { n: number } = { n: 1 };
  alias: { n: number } = this.shared;

  push(x: string): void {
    this.items.push(x);
    this.members.add(x);
    const at = this.index.get(x) ?? [];
    at.push(this.items.length - 1);
    this.index.set(x, at);
  }
}

test('strings are returned as they are', () => {
  expect(dupValue('abc')).toBe('abc');
});

test('a structural copy is deep, keeps the class, and keeps shared references and cycles', () => {
  const a = new FakeList();
  a.push('x');
  a.push('y');
  a.self = a;
  const b = dupValue(a) as FakeList;
  expect(b).toBeInstanceOf(FakeList);
  expect(b).not.toBe(a);
  expect(b.items).toEqual(['x', 'y']);
  expect(b.self).toBe(b);
  expect(b.alias).toBe(b.shared);
  expect(b.shared).not.toBe(a.shared);

  b.push('z');
  b.raw[0] = 0x7a;
  b.floats[0] = 9;
  b.shared.n = 2;
  expect(a.items).toEqual(['x', 'y']);
  expect([...a.members]).toEqual(['x', 'y']);
  expect(a.index.get('z')).toBeUndefined();
  expect(a.index.get('x')).toEqual([0]);
  expect(b.index.get('x')).not.toBe(a.index.get('x'));
  expect(a.raw.toString('latin1')).toBe('abc');
  expect(Buffer.isBuffer(b.raw)).toBe(true);
  expect(a.floats[0]).toBe(1.5);
  expect(a.shared.n).toBe(1);
});

test("a type's own dup() is used when it has one", () => {
  class Opaque implements TypedValue {
    readonly type = 'set';
    #secret: number[] = [1];
    dup(): Opaque {
      const o = new Opaque();
      o.#secret = [...this.#secret];
      return o;
    }
    add(n: number): void {
      this.#secret.push(n);
    }
    size(): number {
      return this.#secret.length;
    }
  }
  const a = new Opaque();
  const b = dupValue(a) as Opaque;
  b.add(2);
  expect(a.size()).toBe(1);
  expect(b.size()).toBe(2);
});
