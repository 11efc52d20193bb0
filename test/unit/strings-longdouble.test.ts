/**
 * Unit tests of the x87 long double model behind INCRBYFLOAT (src/commands/longdouble.ts).
 * Every expected text below is what Redis 7.0.15 on x86-64 answered to INCRBYFLOAT of the
 * operand on a missing key (or to the pair), recorded from a real server.
 */

import { describe, expect, test } from 'vitest';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../../src/commands/longdouble.ts';

/** What INCRBYFLOAT answers for `a + b`: the sum's text, or the error Redis gives. */
function incrbyfloat(a: string, b: string): string {
  const x = parseLongDouble(a);
  const y = parseLongDouble(b);
  if (x === null || y === null) return 'ERR value is not a valid float';
  const r = addLongDouble(x, y);
  if (r.kind !== 'finite') return 'ERR increment would produce NaN or Infinity';
  return formatLongDoubleHuman(r);
}

describe('sums as Redis prints them', () => {
  const cases: Array<[string, string, string]> = [
    ['10.50', '0.1', '10.6'],
    ['10.6', '-5', '5.6'],
    ['5.0e3', '2.0e2', '5200'],
    ['0.1', '0.2', '0.3'],
    ['0', '12345.6789', '12345.67889999999999961'],
    ['0', '12345678.123', '12345678.12299999999959255'],
    ['0', '100000000000000000001', '100000000000000000000'],
    ['0', '1e20', '100000000000000000000'],
    ['0', '-0.0', '0'],
    ['0', '-1e-20', '0'],
    ['0', '5e-18', '0'],
    ['0', '6e-18', '0.00000000000000001'],
    ['0', '1e-17', '0.00000000000000001'],
    // Ties at the 17th decimal round to even, as glibc's printf does.
    ['0', '0.000003814697265625', '0.00000381469726562'],
    ['0', '0.000011444091796875', '0.00001144409179688'],
    ['0', '-0.000003814697265625', '-0.00000381469726562'],
    ['0', '0x10', '16'],
    ['0', '0x1.8p1', '3'],
    ['0', '0x.8', '0.5'],
    ['0', '+1.5', '1.5'],
    ['0', '.5', '0.5'],
    ['0', '1.', '1'],
    ['0', '00012', '12'],
    ['0', '0e99999999', '0'],
    ['0', '3e-4951', '0'],
    ['0', '0x1p-16445', '0'],
    ['0', '0x1.8p-16446', '0'],
  ];
  for (const [a, b, want] of cases) {
    test(`${a} + ${b} = ${want}`, () => expect(incrbyfloat(a, b)).toBe(want));
  }

  test('huge magnitudes print every digit of the binary value', () => {
    expect(incrbyfloat('0', '1.5e300').slice(0, 60)).toBe('150000000000000000004980010986147216636237923911867392855121');
    expect(incrbyfloat('0', '1.5e300')).toHaveLength(301);
    expect(incrbyfloat('0', '1e400').slice(0, 40)).toBe('1000000000000000000028188068394758651458');
    expect(incrbyfloat('0', '1.18973149535723176502e+4932').slice(0, 40)).toBe('1189731495357231765021263853030970205169');
    expect(incrbyfloat('0', '0x1p16383').slice(0, 40)).toBe('5948657476786158825428796633140035653817');
  });
});

describe('operands Redis refuses', () => {
  const refused = ['nan', 'NaN', '', ' 1', '1 ', '1e', '.', '0x', '0x1p', '1_0', '1e-5000', '1e-4951',
    '1.1897314953572317651e+4932', '0x1p16384', '0x1p-16446', '1\0', `${'0'.repeat(5119)}1`, 'infinit', '+-1'];
  for (const s of refused) {
    test(JSON.stringify(s), () => expect(parseLongDouble(s)).toBeNull());
  }

  test('a 5119-character operand is still accepted', () => {
    expect(incrbyfloat('0', `${'0'.repeat(5118)}1`)).toBe('1');
  });
});

describe('infinities', () => {
  test('inf is a valid operand but never a valid result', () => {
    for (const s of ['inf', '-inf', '+inf', 'Infinity', '-INFINITY']) {
      expect(parseLongDouble(s)?.kind).toBe('inf');
      expect(incrbyfloat('1', s)).toBe('ERR increment would produce NaN or Infinity');
    }
    expect(addLongDouble(parseLongDouble('inf')!, parseLongDouble('-inf')!).kind).toBe('nan');
  });

  test('a finite sum past the largest value overflows', () => {
    expect(incrbyfloat('1.18973149535723176502e+4932', '1e4932')).toBe('ERR increment would produce NaN or Infinity');
    expect(incrbyfloat('1.18973149535723176502e+4932', '-1e4932')).toMatch(/^189731495357231765/);
  });
});
