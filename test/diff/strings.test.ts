/**
 * Differential tests of the string family against a real redis-server: every option of SET and
 * GETEX, every error path, int64 and long double edge cases, binary values.
 *
 * Every script uses key names of its own (prefix before ':'), so scripts stay independent even
 * where the server under test cannot flush between them.
 *
 * Scripts needing a command from another family (a non-string type for WRONGTYPE, TTL for
 * expiry, CONFIG SET for the size limit) run only once ringkv has that command, as the command
 * table says.
 */

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { COMMANDS } from '../../src/commands/table.ts';
import { diffSuite, runScript, type Script } from '../helpers/diff.ts';
import { requireRedis, startRedis, startRingkv, type TestServer } from '../helpers/servers.ts';
import { seeded } from '../helpers/random.ts';

const has = (name: string): boolean => COMMANDS.some((c) => c.name === name);

/** Every byte value, and a few awkward ones. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const CRLF_NUL = Buffer.from('a\r\n\0b\xff', 'latin1');
const INT64_MAX = '9223372036854775807';
const INT64_MIN = '-9223372036854775808';

/** Random float operands in the notations strtold takes: plain, fractional, exponent, hex. */
function randomFloats(seed: number, n: number): string[] {
  const rnd = seeded(seed);
  const int = (k: number) => Math.floor(rnd() * k);
  const digits = (k: number) => Array.from({ length: k }, () => String(int(10))).join('');
  const sign = () => ['', '-', '+'][int(3)]!;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    switch (int(6)) {
      case 0: out.push(sign() + digits(1 + int(20))); break;
      case 1: out.push(`${sign()}${digits(1 + int(8))}.${digits(int(20))}`); break;
      case 2: out.push(`${sign()}${digits(1 + int(4))}.${digits(int(6))}e${sign()}${int(40)}`); break;
      case 3: out.push(`${sign()}0.${'0'.repeat(int(20))}${digits(1 + int(6))}`); break;
      case 4: out.push(`${sign()}0x${int(2 ** 30).toString(16)}.${int(2 ** 20).toString(16)}p${sign()}${int(80)}`); break;
      default: out.push(`${sign()}${digits(1 + int(3))}e${sign()}${int(5000)}`); break;
    }
  }
  return out;
}

function randomFloatPairs(seed: number, n: number): Script {
  const f = randomFloats(seed, 2 * n);
  const script: Script = [];
  for (let i = 0; i < n; i++) script.push(['SET', `ibfr:${i}`, f[2 * i]!], ['INCRBYFLOAT', `ibfr:${i}`, f[2 * i + 1]!]);
  return script;
}

/** One key incremented again and again: each step reparses the text the previous one printed. */
function randomFloatChain(seed: number, n: number): Script {
  const rnd = seeded(seed);
  const script: Script = [];
  for (let i = 0; i < n; i++) {
    const mag = Math.floor(rnd() * 12) - 4;
    script.push(['INCRBYFLOAT', 'ibfc:a', ((rnd() - 0.5) * 10 ** mag).toPrecision(1 + Math.floor(rnd() * 17))]);
  }
  script.push(['GET', 'ibfc:a']);
  return script;
}

diffSuite('strings', {
  // ---- GET / SET ------------------------------------------------------------------------------
  'GET and SET': [
    ['GET', 'gs:a'], ['SET', 'gs:a', '1'], ['GET', 'gs:a'], ['SET', 'gs:a', 'two'], ['GET', 'gs:a'],
    ['SET', 'gs:empty', ''], ['GET', 'gs:empty'], ['STRLEN', 'gs:empty'],
    ['SET', '', 'empty key'], ['GET', ''], ['get', 'gs:a'], ['gEt', 'gs:a'],
  ],
  'arity errors': [
    ['GET'], ['GET', 'ar:a', 'b'], ['SET', 'ar:a'], ['SETNX', 'ar:a'], ['SETEX', 'ar:a', '10'], ['PSETEX', 'ar:a', '10'],
    ['GETSET', 'ar:a'], ['GETDEL'], ['GETEX'], ['MGET'], ['MSET'], ['MSET', 'ar:a'], ['MSETNX', 'ar:a'],
    ['INCR'], ['DECR', 'a', 'b'], ['INCRBY', 'ar:a'], ['DECRBY', 'ar:a'], ['INCRBYFLOAT', 'ar:a'], ['APPEND', 'ar:a'],
    ['STRLEN'], ['GETRANGE', 'ar:a', '0'], ['SUBSTR', 'ar:a', '0'], ['SETRANGE', 'ar:a', '0'],
  ],
  'binary values': [
    ['SET', 'bin:all', ALL_BYTES], ['GET', 'bin:all'], ['STRLEN', 'bin:all'],
    ['SET', ALL_BYTES, CRLF_NUL], ['GET', ALL_BYTES], ['MGET', ALL_BYTES, 'bin:all', 'bin:none'],
    ['APPEND', 'bin:all', CRLF_NUL], ['STRLEN', 'bin:all'], ['GETRANGE', 'bin:all', '250', '-1'],
    ['SETRANGE', 'bin:all', '0', Buffer.from([0, 255, 13, 10])], ['GETRANGE', 'bin:all', '0', '5'],
    ['GETSET', 'bin:all', CRLF_NUL], ['GETDEL', 'bin:all'], ['GET', 'bin:all'],
    ['SET', 'bin:crlf', '\r\n'], ['GET', 'bin:crlf'], ['SET', 'bin:nul', '\0'], ['GET', 'bin:nul'],
  ],
  'object-ish key names': [
    ['SET', '__proto__', 'p'], ['GET', '__proto__'], ['INCR', 'constructor'], ['INCRBYFLOAT', 'constructor', '0.5'],
    ['MGET', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'],
    ['APPEND', '__proto__', 'q'], ['STRLEN', '__proto__'], ['GETRANGE', 'toString', '0', '-1'], ['STRLEN', 'valueOf'],
    ['SETNX', 'hasOwnProperty', '1'], ['GETDEL', '__proto__'], ['GET', '__proto__'],
  ],

  // ---- SET options ----------------------------------------------------------------------------
  'SET NX and XX': [
    ['SET', 'nx:a', '1', 'NX'], ['SET', 'nx:a', '2', 'NX'], ['GET', 'nx:a'], ['SET', 'nx:a', '3', 'XX'], ['GET', 'nx:a'],
    ['SET', 'nx:b', '1', 'XX'], ['GET', 'nx:b'], ['SET', 'nx:a', '4', 'nx', 'nx'], ['SET', 'nx:a', '5', 'xx', 'XX'],
    ['GET', 'nx:a'], ['SET', 'nx:a', '6', 'nX'], ['SET', 'nx:c', '1', 'Nx', 'EX', '100'], ['GET', 'nx:c'],
  ],
  'SET GET': [
    ['SET', 'sg:a', '1', 'GET'], ['SET', 'sg:a', '2', 'GET'], ['GET', 'sg:a'], ['SET', 'sg:a', '3', 'GET', 'GET'],
    ['SET', 'sg:a', '4', 'GET', 'NX'], ['GET', 'sg:a'], ['SET', 'sg:b', '1', 'NX', 'GET'], ['GET', 'sg:b'],
    ['SET', 'sg:a', '5', 'XX', 'GET'], ['GET', 'sg:a'], ['SET', 'sg:c', '1', 'XX', 'GET'], ['GET', 'sg:c'],
    ['SET', 'sg:a', '6', 'GET', 'EX', '100'], ['SET', 'sg:a', '7', 'get', 'keepttl'], ['GET', 'sg:a'],
    ['SET', 'sg:d', '1', 'GET', 'EX', '0'], ['GET', 'sg:d'],
  ],
  'SET syntax errors': [
    ['SET', 'se:a', 'v', 'NX', 'XX'], ['SET', 'se:a', 'v', 'XX', 'NX'], ['SET', 'se:a', 'v', 'EX'],
    ['SET', 'se:a', 'v', 'PX'], ['SET', 'se:a', 'v', 'EXAT'], ['SET', 'se:a', 'v', 'PXAT'], ['SET', 'se:a', 'v', 'NX', 'EX'],
    ['SET', 'se:a', 'v', 'EX', '10', 'PX', '100'], ['SET', 'se:a', 'v', 'PX', '100', 'PXAT', '200'],
    ['SET', 'se:a', 'v', 'EXAT', '100', 'PX', '1'], ['SET', 'se:a', 'v', 'EX', '10', 'EXAT', '10'],
    ['SET', 'se:a', 'v', 'KEEPTTL', 'EX', '1'], ['SET', 'se:a', 'v', 'EX', '1', 'KEEPTTL'], ['SET', 'se:a', 'v', 'KEEPTTL', 'PXAT', '5'],
    ['SET', 'se:a', 'v', 'FOO'], ['SET', 'se:a', 'v', 'PERSIST'], ['SET', 'se:a', 'v', 'NXX'], ['SET', 'se:a', 'v', ''],
    ['SET', 'se:a', 'v', 'GET', 'FOO'], ['SET', 'se:a', 'v', 'EX', '10', 'FOO'], ['GET', 'se:a'],
    ['SET', 'se:a', 'v', 'KEEPTTL', 'KEEPTTL'], ['GET', 'se:a'],
  ],
  'SET expire time errors': [
    ['SET', 'sx:a', 'v', 'EX', '0'], ['SET', 'sx:a', 'v', 'EX', '-1'], ['SET', 'sx:a', 'v', 'PX', '0'], ['SET', 'sx:a', 'v', 'PX', '-100'],
    ['SET', 'sx:a', 'v', 'EXAT', '0'], ['SET', 'sx:a', 'v', 'PXAT', '-1'], ['SET', 'sx:a', 'v', 'EX', 'abc'],
    ['SET', 'sx:a', 'v', 'EX', '1.5'], ['SET', 'sx:a', 'v', 'PX', ''], ['SET', 'sx:a', 'v', 'EX', ' 10'], ['SET', 'sx:a', 'v', 'EX', '+10'],
    ['SET', 'sx:a', 'v', 'EX', '010'], ['SET', 'sx:a', 'v', 'EX', '9223372036854775808'],
    ['SET', 'sx:a', 'v', 'EX', INT64_MAX], ['SET', 'sx:a', 'v', 'EX', '9223372036854775'], ['SET', 'sx:a', 'v', 'EX', '9223372036854776'],
    ['SET', 'sx:a', 'v', 'PX', INT64_MAX], ['SET', 'sx:a', 'v', 'PX', '9223372036854775000'],
    ['SET', 'sx:a', 'v', 'EXAT', '9223372036854776'], ['SET', 'sx:a', 'v', 'EX', INT64_MIN],
    ['GET', 'sx:a'],
    // Valid but far away: the key is set.
    ['SET', 'sx:b', 'v', 'EXAT', '9223372036854775'], ['GET', 'sx:b'], ['SET', 'sx:c', 'v', 'PXAT', INT64_MAX], ['GET', 'sx:c'],
    ['SET', 'sx:d', 'v', 'EX', '9000000000000000'], ['GET', 'sx:d'], ['SET', 'sx:e', 'v', 'PX', '9000000000000000000'], ['GET', 'sx:e'],
    // The expire time is checked before GET reads the key and before NX/XX.
    ['SET', 'sx:f', 'v'], ['SET', 'sx:f', 'w', 'GET', 'EX', '0'], ['SET', 'sx:f', 'w', 'NX', 'PX', '-5'], ['GET', 'sx:f'],
  ],
  'SET with expire times': [
    ['SET', 'st:a', 'v', 'EX', '100'], ['GET', 'st:a'], ['SET', 'st:b', 'v', 'PX', '100000'], ['GET', 'st:b'],
    ['SET', 'st:c', 'v', 'EXAT', '4102444800'], ['GET', 'st:c'], ['SET', 'st:d', 'v', 'PXAT', '4102444800000'], ['GET', 'st:d'],
    ['SET', 'st:e', 'v', 'ex', '10', 'Ex', '20'], ['GET', 'st:e'], ['SET', 'st:a', 'w', 'KEEPTTL'], ['GET', 'st:a'],
  ],
  'SET EXAT and PXAT in the past': [
    ['SET', 'sp:a', 'v', 'EXAT', '1'], ['GET', 'sp:a'], ['STRLEN', 'sp:a'],
    ['SET', 'sp:b', 'v', 'PXAT', '1', 'GET'], ['GET', 'sp:b'], ['SET', 'sp:b', 'w', 'PXAT', '1000', 'GET'],
    ['SET', 'sp:c', 'v'], ['SET', 'sp:c', 'w', 'EXAT', '1', 'GET'], ['GET', 'sp:c'], ['SET', 'sp:c', 'x', 'NX'], ['GET', 'sp:c'],
    ['SET', 'sp:d', 'v', 'EXAT', '1'], ['SET', 'sp:d', 'w', 'XX'], ['GET', 'sp:d'],
    ['SET', 'sp:e', 'v', 'EXAT', '1'], ['SET', 'sp:e', 'w', 'KEEPTTL'], ['GET', 'sp:e'], ['INCR', 'sp:e'],
  ],

  // ---- SETNX SETEX PSETEX GETSET GETDEL ------------------------------------------------------
  'SETNX': [['SETNX', 'snx:a', '1'], ['SETNX', 'snx:a', '2'], ['GET', 'snx:a'], ['SETNX', 'snx:b', ''], ['GET', 'snx:b']],
  'SETEX and PSETEX': [
    ['SETEX', 'sex:a', '100', 'v'], ['GET', 'sex:a'], ['SETEX', 'sex:a', '0', 'w'], ['SETEX', 'sex:a', '-1', 'w'],
    ['SETEX', 'sex:a', 'x', 'w'], ['SETEX', 'sex:a', '9223372036854775', 'w'], ['SETEX', 'sex:a', INT64_MAX, 'w'],
    ['GET', 'sex:a'], ['PSETEX', 'sex:b', '100000', 'v'], ['GET', 'sex:b'], ['PSETEX', 'sex:b', '0', 'w'],
    ['PSETEX', 'sex:b', '-5', 'w'], ['PSETEX', 'sex:b', INT64_MAX, 'w'], ['PSETEX', 'sex:b', '1.5', 'w'], ['GET', 'sex:b'],
    ['setex', 'sex:c', '1000', ALL_BYTES], ['GET', 'sex:c'],
  ],
  'GETSET': [
    ['GETSET', 'gset:a', '1'], ['GETSET', 'gset:a', '2'], ['GET', 'gset:a'], ['GETSET', 'gset:a', ''], ['GET', 'gset:a'],
    ['INCR', 'gset:a'], ['GETSET', 'gset:a', '0'], ['INCR', 'gset:a'],
  ],
  'GETDEL': [
    ['GETDEL', 'gdel:a'], ['SET', 'gdel:a', 'v'], ['GETDEL', 'gdel:a'], ['GETDEL', 'gdel:a'], ['GET', 'gdel:a'],
    ['SET', 'gdel:b', 'v', 'EX', '100'], ['GETDEL', 'gdel:b'], ['SETNX', 'gdel:b', 'w'],
  ],

  // ---- GETEX ---------------------------------------------------------------------------------
  'GETEX': [
    ['GETEX', 'gex:none'], ['GETEX', 'gex:none', 'EX', '10'], ['GETEX', 'gex:none', 'EX', '0'], ['GETEX', 'gex:none', 'PX', 'abc'],
    ['SET', 'gex:a', 'v'], ['GETEX', 'gex:a'], ['GETEX', 'gex:a', 'EX', '100'], ['GETEX', 'gex:a', 'PX', '100000'],
    ['GETEX', 'gex:a', 'EXAT', '4102444800'], ['GETEX', 'gex:a', 'PXAT', '4102444800000'], ['GETEX', 'gex:a', 'PERSIST'],
    ['GETEX', 'gex:a', 'persist', 'PERSIST'], ['GETEX', 'gex:a', 'ex', '1', 'EX', '1000'], ['GET', 'gex:a'],
  ],
  'GETEX errors': [
    ['SET', 'gexe:a', 'v'], ['GETEX', 'gexe:a', 'EX'], ['GETEX', 'gexe:a', 'PERSIST', 'EX', '10'], ['GETEX', 'gexe:a', 'EX', '10', 'PERSIST'],
    ['GETEX', 'gexe:a', 'NX'], ['GETEX', 'gexe:a', 'XX'], ['GETEX', 'gexe:a', 'GET'], ['GETEX', 'gexe:a', 'KEEPTTL'],
    ['GETEX', 'gexe:a', 'FOO'], ['GETEX', 'gexe:a', 'EX', '1', 'PX', '2'], ['GETEX', 'gexe:a', 'EXAT', '1', 'PXAT', '2'],
    ['GETEX', 'gexe:a', 'EX', '0'], ['GETEX', 'gexe:a', 'EX', '-5'], ['GETEX', 'gexe:a', 'EXAT', '0'], ['GETEX', 'gexe:a', 'PXAT', '-1'],
    ['GETEX', 'gexe:a', 'PX', INT64_MAX], ['GETEX', 'gexe:a', 'EXAT', INT64_MAX], ['GETEX', 'gexe:a', 'EX', '9223372036854775'],
    ['GETEX', 'gexe:a', 'EX', '1.5'], ['GETEX', 'gexe:a', 'EX', 'x'], ['GET', 'gexe:a'],
    ['GETEX', 'gexe:none', 'FOO'], ['GETEX', 'gexe:none', 'EX'],
  ],
  'GETEX EXAT and PXAT in the past delete the key': [
    ['SET', 'gexp:a', 'v'], ['GETEX', 'gexp:a', 'EXAT', '1'], ['GET', 'gexp:a'], ['GETEX', 'gexp:a', 'EXAT', '1'],
    ['SET', 'gexp:b', 'w'], ['GETEX', 'gexp:b', 'PXAT', '1000'], ['GET', 'gexp:b'], ['SETNX', 'gexp:b', 'x'],
  ],

  // ---- MGET MSET MSETNX ----------------------------------------------------------------------
  'MGET': [
    ['MGET', 'mg:a'], ['SET', 'mg:a', '1'], ['SET', 'mg:b', ''], ['MGET', 'mg:a', 'mg:b', 'mg:c', 'mg:a'],
  ],
  'MSET': [
    ['MSET', 'ms:a', '1', 'ms:b', '2'], ['MGET', 'ms:a', 'ms:b'], ['MSET', 'ms:a', '1', 'ms:b'], ['MSET', 'ms:a'],
    ['MSET', 'ms:a', '1', 'ms:b', '2', 'ms:a', '3'], ['MGET', 'ms:a', 'ms:b'], ['MSET', 'ms:c', ALL_BYTES], ['GET', 'ms:c'],
  ],
  'MSETNX': [
    ['MSETNX', 'msn:a', '1', 'msn:b', '2'], ['MGET', 'msn:a', 'msn:b'], ['MSETNX', 'msn:c', '1', 'msn:a', '9'],
    ['MGET', 'msn:a', 'msn:c'], ['MSETNX', 'msn:d', '1', 'msn:e', '2', 'msn:d', '3'], ['MGET', 'msn:d', 'msn:e'],
    ['MSETNX', 'msn:f'], ['MSETNX', 'msn:f', '1', 'msn:g'], ['GET', 'msn:f'],
    ['SET', 'msn:h', 'v', 'EXAT', '1'], ['MSETNX', 'msn:h', 'w'], ['GET', 'msn:h'],
  ],

  // ---- INCR family ---------------------------------------------------------------------------
  'INCR and DECR': [
    ['INCR', 'inc:a'], ['INCR', 'inc:a'], ['DECR', 'inc:a'], ['DECR', 'inc:a'], ['DECR', 'inc:a'], ['GET', 'inc:a'],
    ['DECR', 'inc:b'], ['INCRBY', 'inc:c', '100'], ['DECRBY', 'inc:c', '250'], ['INCRBY', 'inc:c', '-5'], ['DECRBY', 'inc:c', '-5'],
    ['INCRBY', 'inc:c', '0'], ['DECRBY', 'inc:c', '0'], ['GET', 'inc:c'],
  ],
  'INCR at the int64 limits': [
    ['SET', 'i64:a', '9223372036854775806'], ['INCR', 'i64:a'], ['INCR', 'i64:a'], ['GET', 'i64:a'], ['INCRBY', 'i64:a', '0'],
    ['DECRBY', 'i64:a', INT64_MAX], ['SET', 'i64:b', '-9223372036854775807'], ['DECR', 'i64:b'], ['DECR', 'i64:b'],
    ['GET', 'i64:b'], ['INCRBY', 'i64:b', '-1'], ['INCRBY', 'i64:b', INT64_MAX], ['INCRBY', 'i64:b', INT64_MAX],
    ['INCRBY', 'i64:b', '2'], ['INCRBY', 'i64:c', INT64_MIN], ['INCRBY', 'i64:c', '-1'], ['INCRBY', 'i64:d', INT64_MAX],
    ['INCR', 'i64:d'], ['DECRBY', 'i64:e', INT64_MIN], ['DECRBY', 'i64:e', '-9223372036854775807'], ['DECRBY', 'i64:e', '-1'],
    ['INCRBY', 'i64:f', '9223372036854775808'], ['INCRBY', 'i64:f', '-9223372036854775809'],
    ['DECRBY', 'i64:f', '9223372036854775808'], ['GET', 'i64:f'],
  ],
  'INCR beyond 2^53': [
    ['SET', 'big:a', '9007199254740993'], ['INCR', 'big:a'], ['INCR', 'big:a'], ['DECR', 'big:a'], ['GET', 'big:a'],
    ['INCRBY', 'big:a', '9007199254740993'], ['DECRBY', 'big:a', '18014398509481987'], ['INCRBY', 'big:b', '9007199254740992'],
    ['INCR', 'big:b'], ['INCRBY', 'big:b', '4611686018427387904'], ['SET', 'big:c', '-9007199254740993'], ['DECR', 'big:c'],
    ['INCRBY', 'big:c', '18014398509481987'], ['INCRBY', 'big:d', '123456789012345678'], ['INCRBY', 'big:d', '-123456789012345677'],
  ],
  'INCR on values that are not integers': [
    ['SET', 'nint:a', ' 1'], ['INCR', 'nint:a'], ['SET', 'nint:a', '1 '], ['INCR', 'nint:a'], ['SET', 'nint:a', '01'],
    ['INCR', 'nint:a'], ['SET', 'nint:a', '-0'], ['INCR', 'nint:a'], ['SET', 'nint:a', '+1'], ['INCR', 'nint:a'],
    ['SET', 'nint:a', '1.0'], ['INCR', 'nint:a'], ['SET', 'nint:a', ''], ['INCR', 'nint:a'], ['SET', 'nint:a', '1e3'],
    ['DECR', 'nint:a'], ['SET', 'nint:a', '9223372036854775808'], ['INCR', 'nint:a'], ['SET', 'nint:a', 'abc'],
    ['INCRBY', 'nint:a', '1'], ['DECRBY', 'nint:a', '1'], ['SET', 'nint:a', '1\0'], ['INCR', 'nint:a'], ['GET', 'nint:a'],
    ['SET', 'nint:b', '00000000000000000001'], ['INCR', 'nint:b'], ['SET', 'nint:b', '-'], ['INCR', 'nint:b'],
  ],
  'INCRBY with bad increments': [
    ['INCRBY', 'ibad:a', 'abc'], ['INCRBY', 'ibad:a', '1.5'], ['INCRBY', 'ibad:a', ''], ['INCRBY', 'ibad:a', ' 1'],
    ['INCRBY', 'ibad:a', '+1'], ['DECRBY', 'ibad:a', '1e2'], ['DECRBY', 'ibad:a', '-0'], ['GET', 'ibad:a'],
    ['SET', 'ibad:b', 'x'], ['INCRBY', 'ibad:b', 'y'], ['DECRBY', 'ibad:b', INT64_MIN],
  ],

  // ---- INCRBYFLOAT ---------------------------------------------------------------------------
  'INCRBYFLOAT basics': [
    ['SET', 'ibf:a', '10.50'], ['INCRBYFLOAT', 'ibf:a', '0.1'], ['INCRBYFLOAT', 'ibf:a', '-5'], ['GET', 'ibf:a'],
    ['SET', 'ibf:b', '5.0e3'], ['INCRBYFLOAT', 'ibf:b', '2.0e2'], ['INCRBYFLOAT', 'ibf:c', '0.1'], ['INCRBYFLOAT', 'ibf:c', '0.2'],
    ['INCRBYFLOAT', 'ibf:d', '3'], ['INCRBYFLOAT', 'ibf:d', '-3'], ['GET', 'ibf:d'], ['INCRBYFLOAT', 'ibf:e', '-1.1'],
    ['INCRBYFLOAT', 'ibf:e', '1.1'], ['INCR', 'ibf:b'],
  ],
  'INCRBYFLOAT long double noise': [
    ['INCRBYFLOAT', 'ibfn:a', '12345.6789'], ['INCRBYFLOAT', 'ibfn:a', '0.0001'], ['INCRBYFLOAT', 'ibfn:b', '12345678.123'],
    ['INCRBYFLOAT', 'ibfn:c', '100000000000000000001'], ['INCRBYFLOAT', 'ibfn:c', '1'], ['INCRBYFLOAT', 'ibfn:d', '1.5e300'],
    ['INCRBYFLOAT', 'ibfn:e', '1e400'], ['INCRBYFLOAT', 'ibfn:e', '-1e400'], ['INCRBYFLOAT', 'ibfn:f', '1.18973149535723176502e+4932'],
    ['INCRBYFLOAT', 'ibfn:f', '1e4931'], ['GET', 'ibfn:f'],
    ['INCRBYFLOAT', 'ibfn:g', '0.000003814697265625'], ['INCRBYFLOAT', 'ibfn:h', '0.000011444091796875'],
    ['INCRBYFLOAT', 'ibfn:i', '9223372036854775807'], ['INCRBYFLOAT', 'ibfn:i', '1'],
  ],
  'INCRBYFLOAT notations': [
    ['INCRBYFLOAT', 'ibfs:a', '1e3'], ['INCRBYFLOAT', 'ibfs:a', '1E-2'], ['INCRBYFLOAT', 'ibfs:a', '+1.5'], ['INCRBYFLOAT', 'ibfs:a', '.5'],
    ['INCRBYFLOAT', 'ibfs:a', '1.'], ['INCRBYFLOAT', 'ibfs:a', '0x10'], ['INCRBYFLOAT', 'ibfs:a', '0x1.8p1'], ['INCRBYFLOAT', 'ibfs:a', '0X.8P-1'],
    ['INCRBYFLOAT', 'ibfs:a', '-0.0'], ['INCRBYFLOAT', 'ibfs:a', '00012'], ['INCRBYFLOAT', 'ibfs:a', '1e+0002'],
    ['INCRBYFLOAT', 'ibfs:b', '1e-17'], ['INCRBYFLOAT', 'ibfs:c', '5e-18'], ['INCRBYFLOAT', 'ibfs:d', '-1e-20'],
    ['INCRBYFLOAT', 'ibfs:e', '3e-4951'], ['INCRBYFLOAT', 'ibfs:f', '0e99999999'], ['INCRBYFLOAT', 'ibfs:g', '-5'],
    ['INCRBYFLOAT', 'ibfs:g', '4.99999999999999999'], ['SET', 'ibfs:h', '1.5e1'], ['INCRBYFLOAT', 'ibfs:h', '0'],
    ['INCRBYFLOAT', 'ibfs:i', `0.${'0'.repeat(60)}1e61`], ['INCRBYFLOAT', 'ibfs:j', `${'0'.repeat(5118)}1`],
  ],
  'INCRBYFLOAT errors': [
    ['INCRBYFLOAT', 'ibfx:a', 'inf'], ['INCRBYFLOAT', 'ibfx:a', '-inf'], ['INCRBYFLOAT', 'ibfx:a', '+Infinity'],
    ['INCRBYFLOAT', 'ibfx:a', 'nan'], ['INCRBYFLOAT', 'ibfx:a', 'NaN'], ['INCRBYFLOAT', 'ibfx:a', 'abc'], ['INCRBYFLOAT', 'ibfx:a', ''],
    ['INCRBYFLOAT', 'ibfx:a', ' 1'], ['INCRBYFLOAT', 'ibfx:a', '1 '], ['INCRBYFLOAT', 'ibfx:a', '1e'], ['INCRBYFLOAT', 'ibfx:a', '.'],
    ['INCRBYFLOAT', 'ibfx:a', '0x'], ['INCRBYFLOAT', 'ibfx:a', '0x1p'], ['INCRBYFLOAT', 'ibfx:a', '1_0'], ['INCRBYFLOAT', 'ibfx:a', '1e5000'],
    ['INCRBYFLOAT', 'ibfx:a', '1e-5000'], ['INCRBYFLOAT', 'ibfx:a', '1e-4951'], ['INCRBYFLOAT', 'ibfx:a', '1.1897314953572317651e+4932'],
    ['INCRBYFLOAT', 'ibfx:a', `${'0'.repeat(5119)}1`], ['INCRBYFLOAT', 'ibfx:a', '1\0'], ['GET', 'ibfx:a'],
    ['SET', 'ibfx:b', 'abc'], ['INCRBYFLOAT', 'ibfx:b', '1'], ['INCRBYFLOAT', 'ibfx:b', 'x'], ['SET', 'ibfx:c', 'inf'],
    ['INCRBYFLOAT', 'ibfx:c', '1'], ['INCRBYFLOAT', 'ibfx:c', 'x'], ['SET', 'ibfx:d', '1.18973149535723176502e+4932'],
    ['INCRBYFLOAT', 'ibfx:d', '1e4932'], ['INCRBYFLOAT', 'ibfx:d', '-1e4932'], ['SET', 'ibfx:e', ' 1'], ['INCRBYFLOAT', 'ibfx:e', '1'],
  ],

  'INCRBYFLOAT random operands': randomFloatPairs(7, 300),
  'INCRBYFLOAT random chain': randomFloatChain(11, 300),

  // ---- APPEND STRLEN GETRANGE SETRANGE -------------------------------------------------------
  'APPEND and STRLEN': [
    ['STRLEN', 'app:a'], ['APPEND', 'app:a', 'hello'], ['APPEND', 'app:a', ' world'], ['GET', 'app:a'], ['STRLEN', 'app:a'],
    ['APPEND', 'app:a', ''], ['APPEND', 'app:b', ''], ['GET', 'app:b'], ['STRLEN', 'app:b'], ['INCR', 'app:c'],
    ['APPEND', 'app:c', '5'], ['INCR', 'app:c'],
  ],
  'GETRANGE': [
    ['SET', 'gr:a', 'helloworld'], ['GETRANGE', 'gr:a', '0', '-1'], ['GETRANGE', 'gr:a', '-3', '-1'], ['GETRANGE', 'gr:a', '5', '3'],
    ['GETRANGE', 'gr:a', '-100', '100'], ['GETRANGE', 'gr:a', '100', '200'], ['GETRANGE', 'gr:a', '0', '0'],
    ['GETRANGE', 'gr:a', '-1', '-100'], ['GETRANGE', 'gr:a', '-1', '-1'], ['GETRANGE', 'gr:a', '9', '9'], ['GETRANGE', 'gr:a', '10', '10'],
    ['GETRANGE', 'gr:a', '-100', '-50'], ['GETRANGE', 'gr:a', '-100', '-99'], ['GETRANGE', 'gr:a', '3', '-100'],
    ['GETRANGE', 'gr:a', INT64_MAX, INT64_MAX], ['GETRANGE', 'gr:a', INT64_MIN, INT64_MIN], ['GETRANGE', 'gr:a', INT64_MIN, INT64_MAX],
    ['GETRANGE', 'gr:a', '-4611686018427387904', INT64_MIN], ['GETRANGE', 'gr:a', INT64_MIN, '-4611686018427387904'],
    ['GETRANGE', 'gr:a', '-9007199254740993', '-9007199254740994'], ['GETRANGE', 'gr:a', '-9007199254740994', '-9007199254740993'],
    ['GETRANGE', 'gr:a', '0', '9223372036854775808'], ['GETRANGE', 'gr:a', 'x', '1'], ['GETRANGE', 'gr:a', '1', '1.5'],
    ['GETRANGE', 'gr:none', '0', '-1'], ['GETRANGE', 'gr:none', 'x', '1'], ['SUBSTR', 'gr:a', '0', '2'], ['substr', 'gr:a', '-2', '-1'],
    ['SET', 'gr:e', ''], ['GETRANGE', 'gr:e', '0', '-1'], ['GETRANGE', 'gr:e', '0', '0'], ['GETRANGE', 'gr:e', '-1', '0'],
    ['INCRBY', 'gr:n', '12345'], ['GETRANGE', 'gr:n', '1', '2'],
  ],
  'SETRANGE': [
    ['SET', 'sr:a', 'helloworld'], ['SETRANGE', 'sr:a', '0', 'HE'], ['GET', 'sr:a'], ['SETRANGE', 'sr:a', '8', 'LDS'], ['GET', 'sr:a'],
    ['SETRANGE', 'sr:a', '15', 'X'], ['GET', 'sr:a'], ['SETRANGE', 'sr:a', '2', ''], ['SETRANGE', 'sr:a', '100', ''], ['GET', 'sr:a'],
    ['SETRANGE', 'sr:b', '3', 'abc'], ['GET', 'sr:b'], ['SETRANGE', 'sr:c', '0', ''], ['GET', 'sr:c'], ['SETRANGE', 'sr:c', '5', ''],
    ['GET', 'sr:c'], ['SETRANGE', 'sr:d', '0', ALL_BYTES], ['SETRANGE', 'sr:d', '1', CRLF_NUL], ['GET', 'sr:d'],
    ['SETRANGE', 'sr:e', '2', 'xy'], ['SETRANGE', 'sr:e', '0', 'a'], ['GET', 'sr:e'],
    ['SETRANGE', 'sr:f', '1000000', 'end'], ['STRLEN', 'sr:f'], ['GETRANGE', 'sr:f', '999998', '-1'],
    ['INCR', 'sr:g'], ['SETRANGE', 'sr:g', '0', '9'], ['INCR', 'sr:g'],
  ],
  'SETRANGE errors': [
    ['SET', 'sre:a', 'abc'], ['SETRANGE', 'sre:a', '-1', 'x'], ['SETRANGE', 'sre:none', '-1', 'x'], ['SETRANGE', 'sre:a', 'x', 'x'],
    ['SETRANGE', 'sre:a', '1.5', 'x'], ['SETRANGE', 'sre:a', '9223372036854775808', 'x'], ['SETRANGE', 'sre:a', INT64_MIN, 'x'],
    ['SETRANGE', 'sre:a', '536870912', 'x'], ['SETRANGE', 'sre:a', '536870911', 'xy'], ['SETRANGE', 'sre:a', INT64_MAX, 'x'],
    ['SETRANGE', 'sre:a', '4611686018427387904', 'x'], ['SETRANGE', 'sre:a', '536870912', ''], ['SETRANGE', 'sre:a', INT64_MAX, ''],
    ['SETRANGE', 'sre:none', '536870912', 'x'], ['SETRANGE', 'sre:none', '536870912', ''], ['GET', 'sre:a'], ['GET', 'sre:none'],
  ],
});

// ---- RESP3 ---------------------------------------------------------------------------------------

/**
 * RESP3 replies, compared like diffSuite does except for HELLO's own reply, which carries the
 * connection's client id (the two servers number their connections differently).
 */
describe.skipIf(!requireRedis())('differential: strings in RESP3', () => {
  let ringkv: TestServer;
  let redis: TestServer;
  beforeAll(async () => {
    [ringkv, redis] = await Promise.all([startRingkv(), startRedis()]);
  });
  afterAll(async () => {
    await Promise.all([ringkv?.stop(), redis?.stop()]);
  });
  const script: Script = [
    ['HELLO', '3'], ['GET', 'r3:a'], ['SET', 'r3:a', 'v', 'XX'], ['SET', 'r3:a', 'v', 'GET'], ['SET', 'r3:a', 'w', 'NX'],
    ['SET', 'r3:b', 'v', 'NX', 'GET'], ['MGET', 'r3:a', 'r3:none'], ['GETEX', 'r3:none'], ['GETDEL', 'r3:none'],
    ['GETSET', 'r3:c', 'v'], ['INCRBYFLOAT', 'r3:d', '1.5'], ['INCR', 'r3:e'], ['SETNX', 'r3:e', '1'],
    ['GETRANGE', 'r3:none', '0', '1'], ['SET', 'r3:f', 'v', 'GET', 'EX', '0'],
  ];
  test('null replies', async () => {
    const [mine, theirs] = await Promise.all([runScript(ringkv.port, script), runScript(redis.port, script)]);
    expect(mine[0]).toMatch(/^%7\r\n/);
    const show = (replies: string[]) => script.slice(1).map((argv, i) => `${argv.join(' ')} -> ${JSON.stringify(replies[i + 1])}`);
    expect(show(mine)).toEqual(show(theirs));
  });
});

// ---- scripts that need a non-string type -------------------------------------------------------

/** A command that makes `key` hold a non-string value, from whichever family ringkv has. */
const makers: Array<[string, (key: string) => string[]]> = [
  ['lpush', (k) => ['LPUSH', k, 'a']],
  ['rpush', (k) => ['RPUSH', k, 'a']],
  ['sadd', (k) => ['SADD', k, 'a']],
  ['hset', (k) => ['HSET', k, 'f', 'v']],
  ['zadd', (k) => ['ZADD', k, '1', 'a']],
];
const maker = makers.find(([name]) => has(name))?.[1];

if (maker !== undefined) {
  const l = 'wt:l';
  const wrongType: Record<string, Script> = {
    'WRONGTYPE replies': [
      maker(l), ['GET', l], ['GETSET', l, 'x'], ['GETDEL', l], ['GETEX', l], ['GETEX', l, 'EX', '10'], ['GETEX', l, 'EX', '0'],
      ['GETEX', l, 'PERSIST'], ['GETEX', l, 'FOO'], ['MGET', 'wt:none', l], ['STRLEN', l], ['APPEND', l, 'x'],
      ['GETRANGE', l, '0', '1'], ['GETRANGE', l, 'x', '1'], ['SETRANGE', l, '0', 'x'], ['SETRANGE', l, '0', ''],
      ['SETRANGE', l, '-1', 'x'], ['SETRANGE', l, '536870912', 'x'], ['SETRANGE', l, 'x', 'x'],
      ['INCR', l], ['DECR', l], ['INCRBY', l, '1'], ['INCRBY', l, 'x'], ['DECRBY', l, '1'], ['DECRBY', l, INT64_MIN],
      ['INCRBYFLOAT', l, '1'], ['INCRBYFLOAT', l, 'x'],
    ],
    'SET over a non-string': [
      maker('wt:a'), ['SET', 'wt:a', 'v', 'GET'], ['SET', 'wt:a', 'v', 'NX', 'GET'], ['SET', 'wt:a', 'v', 'XX', 'GET'],
      ['SET', 'wt:a', 'v', 'GET', 'EX', '0'], ['SET', 'wt:a', 'v', 'NX'], ['SETNX', 'wt:a', 'v'], ['MSETNX', 'wt:a', 'v'],
      ['GET', 'wt:a'], ['SET', 'wt:a', 'v', 'XX'], ['GET', 'wt:a'],
      maker('wt:b'), ['SET', 'wt:b', 'v'], ['GET', 'wt:b'], maker('wt:c'), ['SETEX', 'wt:c', '100', 'v'], ['GET', 'wt:c'],
      maker('wt:d'), ['MSET', 'wt:d', 'v'], ['GET', 'wt:d'], maker('wt:e'), ['GETEX', 'wt:e', 'PXAT', '1'],
    ],
  };
  diffSuite('strings against other types', wrongType);
} else {
  describe('differential: strings against other types', () => {
    test.skip('needs LPUSH, SADD, HSET or ZADD in ringkv', () => {});
  });
}

// ---- scripts that read TTLs --------------------------------------------------------------------

if (has('ttl') && has('expire')) {
  diffSuite('strings and TTLs', {
    'SET expire options set the TTL': [
      ['SET', 'tt:a', 'v', 'EX', '100'], ['TTL', 'tt:a'], ['SET', 'tt:b', 'v', 'PX', '100000'], ['TTL', 'tt:b'],
      ['SET', 'tt:c', 'v', 'EX', '10', 'EX', '2000'], ['TTL', 'tt:c'], ['SETEX', 'tt:d', '300', 'v'], ['TTL', 'tt:d'],
      ['PSETEX', 'tt:e', '300000', 'v'], ['TTL', 'tt:e'], ['SET', 'tt:f', 'v', 'GET', 'PX', '50000'], ['TTL', 'tt:f'],
    ],
    'writes that drop the TTL': [
      ['SET', 'td:a', 'v', 'EX', '100'], ['SET', 'td:a', 'w'], ['TTL', 'td:a'],
      ['SET', 'td:b', 'v', 'EX', '100'], ['SET', 'td:b', 'w', 'XX'], ['TTL', 'td:b'],
      ['SET', 'td:c', 'v', 'EX', '100'], ['SET', 'td:c', 'w', 'GET'], ['TTL', 'td:c'],
      ['SET', 'td:d', 'v', 'EX', '100'], ['GETSET', 'td:d', 'w'], ['TTL', 'td:d'],
      ['SET', 'td:e', 'v', 'EX', '100'], ['MSET', 'td:e', 'w'], ['TTL', 'td:e'],
      ['SET', 'td:f', 'v', 'EX', '100'], ['GETEX', 'td:f', 'PERSIST'], ['TTL', 'td:f'], ['GETEX', 'td:f', 'PERSIST'], ['TTL', 'td:f'],
    ],
    'writes that keep the TTL': [
      ['SET', 'tk:a', '1', 'EX', '100'], ['SET', 'tk:a', '2', 'KEEPTTL'], ['TTL', 'tk:a'], ['INCR', 'tk:a'], ['TTL', 'tk:a'],
      ['DECRBY', 'tk:a', '5'], ['TTL', 'tk:a'], ['INCRBYFLOAT', 'tk:a', '1.5'], ['TTL', 'tk:a'], ['APPEND', 'tk:a', '0'],
      ['TTL', 'tk:a'], ['SETRANGE', 'tk:a', '0', '9'], ['TTL', 'tk:a'], ['SET', 'tk:a', 'x', 'NX'], ['TTL', 'tk:a'],
      ['GETEX', 'tk:a'], ['TTL', 'tk:a'], ['GET', 'tk:a'], ['TTL', 'tk:a'], ['SETNX', 'tk:a', 'y'], ['TTL', 'tk:a'],
      ['SET', 'tk:b', 'v'], ['SET', 'tk:b', 'w', 'KEEPTTL'], ['TTL', 'tk:b'], ['GETEX', 'tk:b', 'EX', '500'], ['TTL', 'tk:b'],
      ['GETEX', 'tk:b', 'PX', '600000'], ['TTL', 'tk:b'], ['TTL', 'tk:none'],
    ],
    'EXPIRE then string writes': [
      ['SET', 'te:a', '10'], ['EXPIRE', 'te:a', '1000'], ['INCR', 'te:a'], ['TTL', 'te:a'], ['SET', 'te:a', '1', 'GET', 'KEEPTTL'],
      ['TTL', 'te:a'], ['GETDEL', 'te:a'], ['TTL', 'te:a'],
    ],
  });
} else {
  describe('differential: strings and TTLs', () => {
    test.skip('needs TTL and EXPIRE in ringkv', () => {});
  });
}

// ---- scripts that lower proto-max-bulk-len -----------------------------------------------------

if (has('config')) {
  diffSuite('strings and proto-max-bulk-len', {
    'size limit for APPEND and SETRANGE': [
      ['CONFIG', 'SET', 'proto-max-bulk-len', '1048576'],
      ['SETRANGE', 'pm:a', '1048575', 'x'], ['STRLEN', 'pm:a'], ['SETRANGE', 'pm:a', '1048575', 'xy'], ['SETRANGE', 'pm:a', '1048576', 'x'],
      ['APPEND', 'pm:a', 'y'], ['APPEND', 'pm:a', ''], ['SETRANGE', 'pm:a', '0', 'z'], ['SETRANGE', 'pm:b', '1048576', 'x'],
      ['SETRANGE', 'pm:b', '1048570', 'abcdef'], ['SETRANGE', 'pm:c', '1048570', 'abcdefg'], ['STRLEN', 'pm:c'],
      ['CONFIG', 'SET', 'proto-max-bulk-len', '536870912'],
    ],
  });
}
