/**
 * Differential tests of the list family against a real redis-server: every command and option,
 * every error path in Redis's order, RESP2 and RESP3 null shapes, negative and out-of-range
 * indexes, binary elements, lists far beyond 128 elements (a list's order is deterministic at
 * any size), TTLs kept by in-place writes, and seeded random command sequences.
 *
 * Every script starts from FLUSHALL (diffSuite), so key names only need to be distinct within a
 * script.
 */

import { diffSuite, type Script } from '../helpers/diff.ts';
import { diffSuiteResp3 } from '../helpers/resp3.ts';
import { seeded } from '../helpers/random.ts';

/** Every byte value, and a few awkward ones. */
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const CRLF_NUL = Buffer.from('a\r\n\0b\xff', 'latin1');
const INT64_MAX = '9223372036854775807';
const INT64_MIN = '-9223372036854775808';
const T2100 = '4102444800';


/** `n` elements e0..e(n-1). */
function elems(n: number, prefix = 'e'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

/** A random sequence of list commands on two keys, with a small alphabet so elements repeat. */
function randomListScript(seed: number, steps: number): Script {
  const rnd = seeded(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const key = () => (int(4) === 0 ? 'r2' : 'r1');
  const el = () => 'abcd'[int(4)]!;
  const idx = () => String(int(30) - 15);
  const side = () => (int(2) === 0 ? 'LEFT' : 'RIGHT');
  const script: Script = [];
  for (let i = 0; i < steps; i++) {
    switch (int(16)) {
      case 0: case 1: script.push(['LPUSH', key(), ...Array.from({ length: 1 + int(4) }, el)]); break;
      case 2: case 3: script.push(['RPUSH', key(), ...Array.from({ length: 1 + int(4) }, el)]); break;
      case 4: script.push([int(2) ? 'LPOP' : 'RPOP', key(), ...(int(2) ? [String(int(4))] : [])]); break;
      case 5: script.push(['LRANGE', key(), idx(), idx()]); break;
      case 6: script.push(['LINDEX', key(), idx()]); break;
      case 7: script.push(['LSET', key(), idx(), el()]); break;
      case 8: script.push(['LINSERT', key(), int(2) ? 'BEFORE' : 'AFTER', el(), el()]); break;
      case 9: script.push(['LREM', key(), String(int(7) - 3), el()]); break;
      case 10: script.push(['LTRIM', key(), idx(), idx()]); break;
      case 11: {
        const opts: string[] = [];
        if (int(2)) opts.push('RANK', String((int(3) + 1) * (int(2) ? 1 : -1)));
        if (int(2)) opts.push('COUNT', String(int(3)));
        if (int(3) === 0) opts.push('MAXLEN', String(int(10)));
        script.push(['LPOS', key(), el(), ...opts]);
        break;
      }
      case 12: script.push(['LMOVE', key(), key(), side(), side()]); break;
      case 13: script.push(['LMPOP', '2', 'r1', 'r2', side(), 'COUNT', String(1 + int(3))]); break;
      case 14: script.push(['LPUSHX', key(), el()], ['RPOPLPUSH', key(), key()]); break;
      default: script.push(['LLEN', key()], ['LRANGE', key(), '0', '-1']); break;
    }
  }
  script.push(['LRANGE', 'r1', '0', '-1'], ['LRANGE', 'r2', '0', '-1'], ['EXISTS', 'r1', 'r2']);
  return script;
}

const BIG = elems(300);

diffSuite('lists', {
  // ---- pushes ------------------------------------------------------------------------------------
  'LPUSH and RPUSH order and lengths': [
    ['LPUSH', 'l', 'a'], ['LPUSH', 'l', 'b', 'c'], ['RPUSH', 'l', 'x', 'y', 'z'], ['LRANGE', 'l', '0', '-1'],
    ['LLEN', 'l'], ['RPUSH', 'r', 'only'], ['LRANGE', 'r', '0', '-1'], ['lpush', 'l', ''], ['LINDEX', 'l', '0'],
    ['TYPE', 'l'], ['LLEN', 'nokey'],
  ],
  'LPUSHX and RPUSHX need an existing list': [
    ['LPUSHX', 'l', 'a'], ['RPUSHX', 'l', 'a', 'b'], ['EXISTS', 'l'], ['RPUSH', 'l', 'm'], ['LPUSHX', 'l', 'h1', 'h2'],
    ['RPUSHX', 'l', 't1', 't2'], ['LRANGE', 'l', '0', '-1'],
  ],
  'push arity': [['LPUSH', 'l'], ['RPUSH'], ['LPUSHX', 'l'], ['RPUSHX', 'l'], ['LLEN'], ['LLEN', 'a', 'b']],

  // ---- pops --------------------------------------------------------------------------------------
  'LPOP and RPOP one element': [
    ['LPOP', 'l'], ['RPOP', 'l'], ['RPUSH', 'l', 'a', 'b', 'c'], ['LPOP', 'l'], ['RPOP', 'l'], ['LLEN', 'l'],
    ['RPOP', 'l'], ['EXISTS', 'l'], ['LPOP', 'l'],
  ],
  'LPOP and RPOP with a count': [
    ['LPOP', 'l', '0'], ['LPOP', 'l', '1'], ['RPOP', 'l', '5'],
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'], ['LPOP', 'l', '0'], ['LPOP', 'l', '2'], ['RPOP', 'l', '2'],
    ['RPOP', 'l', '10'], ['EXISTS', 'l'],
    ['RPUSH', 'l', 'a', 'b', 'c'], ['LPOP', 'l', INT64_MAX], ['EXISTS', 'l'],
    ['RPUSH', 'l', 'a', 'b', 'c'], ['RPOP', 'l', '3'], ['EXISTS', 'l'],
  ],
  'LPOP and RPOP count errors come before the key': [
    ['LPOP', 'l', '-1'], ['LPOP', 'l', 'x'], ['RPOP', 'l', ''], ['RPOP', 'l', INT64_MIN], ['LPOP', 'l', '1.5'],
    ['LPOP', 'l', '99999999999999999999'], ['LPOP', 'l', '1', '2'], ['RPOP', 'l', '1', '2', '3'], ['LPOP'],
    ['SET', 's', 'v'], ['LPOP', 's', '-1'], ['LPOP', 's', '0'], ['LPOP', 's'], ['RPOP', 's', '2'],
    ['RPUSH', 'l', 'a'], ['LPOP', 'l', '-1'], ['LLEN', 'l'],
  ],
  // ---- LRANGE and LINDEX -------------------------------------------------------------------------
  'LRANGE indexes': [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'],
    ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'l', '0', '0'], ['LRANGE', 'l', '-1', '-1'], ['LRANGE', 'l', '-2', '-1'],
    ['LRANGE', 'l', '1', '3'], ['LRANGE', 'l', '3', '1'], ['LRANGE', 'l', '-100', '100'], ['LRANGE', 'l', '5', '10'],
    ['LRANGE', 'l', '4', '4'], ['LRANGE', 'l', '-6', '0'], ['LRANGE', 'l', '-100', '-6'], ['LRANGE', 'l', '-1', '-100'],
    ['LRANGE', 'l', INT64_MAX, INT64_MIN], ['LRANGE', 'l', INT64_MIN, INT64_MAX], ['LRANGE', 'l', INT64_MIN, INT64_MIN],
    ['LRANGE', 'l', '2', INT64_MAX], ['LRANGE', 'nokey', '0', '-1'],
  ],
  'LRANGE errors: indexes are parsed before the key': [
    ['RPUSH', 'l', 'a'], ['SET', 's', 'v'],
    ['LRANGE', 'l', 'x', '1'], ['LRANGE', 'l', '0', 'y'], ['LRANGE', 'l', '0', '99999999999999999999'],
    ['LRANGE', 'l', '+1', '2'], ['LRANGE', 'l', ' 1', '2'], ['LRANGE', 'l', '01', '2'], ['LRANGE', 'l', '-0', '2'],
    ['LRANGE', 's', '0', '-1'], ['LRANGE', 's', 'x', '1'], ['LRANGE', 'nokey', 'x', '1'],
    ['LRANGE', 'l', '0'], ['LRANGE', 'l', '0', '1', '2'],
  ],
  'LINDEX: the key is looked up before the index is parsed': [
    ['RPUSH', 'l', 'a', 'b', 'c'], ['SET', 's', 'v'],
    ['LINDEX', 'l', '0'], ['LINDEX', 'l', '2'], ['LINDEX', 'l', '3'], ['LINDEX', 'l', '-1'], ['LINDEX', 'l', '-3'],
    ['LINDEX', 'l', '-4'], ['LINDEX', 'l', INT64_MAX], ['LINDEX', 'l', INT64_MIN], ['LINDEX', 'l', 'x'],
    ['LINDEX', 'nokey', '0'], ['LINDEX', 'nokey', 'x'], ['LINDEX', 's', '0'], ['LINDEX', 's', 'x'], ['LINDEX', 'l'],
  ],

  // ---- writes in place ---------------------------------------------------------------------------
  'LSET': [
    ['RPUSH', 'l', 'a', 'b', 'c'], ['SET', 's', 'v'],
    ['LSET', 'l', '0', 'A'], ['LSET', 'l', '-1', 'C'], ['LSET', 'l', '1', ''], ['LRANGE', 'l', '0', '-1'],
    ['LSET', 'l', '3', 'x'], ['LSET', 'l', '-4', 'x'], ['LSET', 'l', INT64_MAX, 'x'], ['LSET', 'l', INT64_MIN, 'x'],
    ['LSET', 'l', 'x', 'y'], ['LSET', 'nokey', '0', 'x'], ['LSET', 'nokey', 'x', 'x'], ['LSET', 's', '0', 'x'],
    ['LSET', 's', 'x', 'x'], ['EXISTS', 'nokey'], ['LSET', 'l', '0'], ['LRANGE', 'l', '0', '-1'],
  ],
  'LINSERT': [
    ['RPUSH', 'l', 'a', 'b', 'c'], ['SET', 's', 'v'],
    ['LINSERT', 'l', 'BEFORE', 'a', 'first'], ['LINSERT', 'l', 'AFTER', 'c', 'last'], ['LINSERT', 'l', 'before', 'b', 'B-'],
    ['LINSERT', 'l', 'after', 'b', 'B+'], ['LINSERT', 'l', 'After', 'nope', 'x'], ['LRANGE', 'l', '0', '-1'],
    ['RPUSH', 'l', 'b'], ['LINSERT', 'l', 'AFTER', 'b', 'after-first-b'], ['LRANGE', 'l', '0', '-1'],
    ['LINSERT', 'l', 'MIDDLE', 'b', 'x'], ['LINSERT', 'nokey', 'BEFORE', 'a', 'x'], ['LINSERT', 'nokey', 'MIDDLE', 'a', 'x'],
    ['LINSERT', 's', 'BEFORE', 'a', 'x'], ['LINSERT', 's', 'MIDDLE', 'a', 'x'], ['EXISTS', 'nokey'],
    ['LINSERT', 'l', 'BEFORE', 'a'],
  ],
  'LREM from the head, the tail, and everywhere': [
    ['RPUSH', 'l', 'a', 'b', 'a', 'c', 'a', 'd', 'a'], ['SET', 's', 'v'],
    ['LREM', 'l', '2', 'a'], ['LRANGE', 'l', '0', '-1'], ['LREM', 'l', '-1', 'a'], ['LRANGE', 'l', '0', '-1'],
    ['LREM', 'l', '0', 'a'], ['LRANGE', 'l', '0', '-1'], ['LREM', 'l', '0', 'zz'], ['LREM', 'l', INT64_MIN, 'b'],
    ['LREM', 'l', INT64_MAX, 'c'], ['LREM', 'l', '-5', 'd'], ['EXISTS', 'l'],
    ['LREM', 'l', 'x', 'a'], ['LREM', 'nokey', '1', 'a'], ['LREM', 'nokey', 'x', 'a'], ['LREM', 's', '1', 'a'],
    ['LREM', 's', 'x', 'a'],
  ],
  'LTRIM': [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd', 'e'], ['SET', 's', 'v'],
    ['LTRIM', 'l', '1', '-2'], ['LRANGE', 'l', '0', '-1'], ['LTRIM', 'l', '0', '-1'], ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', '-100', '1'], ['LRANGE', 'l', '0', '-1'], ['LTRIM', 'l', '5', '10'], ['EXISTS', 'l'],
    ['RPUSH', 'l', 'a', 'b', 'c'], ['LTRIM', 'l', '-1', '-100'], ['EXISTS', 'l'],
    ['RPUSH', 'l', 'a', 'b', 'c'], ['LTRIM', 'l', '2', '1'], ['EXISTS', 'l'],
    ['RPUSH', 'l', 'a', 'b', 'c'], ['LTRIM', 'l', INT64_MIN, INT64_MAX], ['LRANGE', 'l', '0', '-1'],
    ['LTRIM', 'l', INT64_MAX, INT64_MIN], ['EXISTS', 'l'],
    ['LTRIM', 'l', 'x', '1'], ['LTRIM', 'nokey', '0', '1'], ['LTRIM', 'nokey', 'x', '1'], ['LTRIM', 's', '0', '1'],
    ['LTRIM', 's', 'x', '1'], ['EXISTS', 'nokey'],
  ],

  // ---- LPOS --------------------------------------------------------------------------------------
  'LPOS with RANK, COUNT and MAXLEN': [
    ['RPUSH', 'l', 'a', 'b', 'c', 'a', 'b', 'c', 'a'],
    ['LPOS', 'l', 'a'], ['LPOS', 'l', 'c'], ['LPOS', 'l', 'z'], ['LPOS', 'l', 'a', 'RANK', '2'], ['LPOS', 'l', 'a', 'RANK', '3'],
    ['LPOS', 'l', 'a', 'RANK', '4'], ['LPOS', 'l', 'a', 'RANK', '-1'], ['LPOS', 'l', 'a', 'RANK', '-3'],
    ['LPOS', 'l', 'a', 'RANK', '-4'], ['LPOS', 'l', 'a', 'RANK', INT64_MAX], ['LPOS', 'l', 'a', 'RANK', INT64_MIN],
    ['LPOS', 'l', 'a', 'COUNT', '0'], ['LPOS', 'l', 'a', 'COUNT', '1'], ['LPOS', 'l', 'a', 'COUNT', '2'],
    ['LPOS', 'l', 'a', 'COUNT', '100'], ['LPOS', 'l', 'z', 'COUNT', '0'], ['LPOS', 'l', 'a', 'COUNT', '0', 'RANK', '-1'],
    ['LPOS', 'l', 'a', 'COUNT', '0', 'RANK', '-2'], ['LPOS', 'l', 'a', 'COUNT', '1', 'RANK', '2'],
    ['LPOS', 'l', 'a', 'RANK', '2', 'COUNT', '5'], ['LPOS', 'l', 'a', 'COUNT', '2', 'RANK', INT64_MIN],
    ['LPOS', 'l', 'a', 'COUNT', '0', 'RANK', INT64_MIN], ['LPOS', 'l', 'a', 'COUNT', '0', 'RANK', '-9223372036854775807'],
    ['LPOS', 'l', 'a', 'MAXLEN', '3'], ['LPOS', 'l', 'a', 'MAXLEN', '3', 'COUNT', '0'], ['LPOS', 'l', 'c', 'MAXLEN', '2'],
    ['LPOS', 'l', 'a', 'MAXLEN', '1', 'RANK', '-1'], ['LPOS', 'l', 'b', 'MAXLEN', '1', 'RANK', '-1'],
    ['LPOS', 'l', 'b', 'MAXLEN', '2', 'RANK', '-1', 'COUNT', '0'], ['LPOS', 'l', 'a', 'MAXLEN', '0'],
    ['LPOS', 'l', 'a', 'MAXLEN', INT64_MAX, 'COUNT', '0'], ['LPOS', 'l', 'a', 'RANK', '1', 'RANK', '2'],
    ['lpos', 'l', 'a', 'count', '1', 'rank', '2', 'maxlen', '10'],
  ],
  'LPOS errors and missing keys': [
    ['RPUSH', 'l', 'a'], ['SET', 's', 'v'],
    ['LPOS', 'l', 'a', 'RANK', '0'], ['LPOS', 'l', 'a', 'RANK', 'x'], ['LPOS', 'l', 'a', 'COUNT', '-1'],
    ['LPOS', 'l', 'a', 'COUNT', 'x'], ['LPOS', 'l', 'a', 'MAXLEN', '-1'], ['LPOS', 'l', 'a', 'MAXLEN', 'x'],
    ['LPOS', 'l', 'a', 'RANK'], ['LPOS', 'l', 'a', 'COUNT'], ['LPOS', 'l', 'a', 'FOO', '1'], ['LPOS', 'l', 'a', 'RANK', '1', 'X'],
    ['LPOS', 'l', 'a', 'COUNT', '99999999999999999999'], ['LPOS', 'l', 'a', 'RANK', '0', 'COUNT', '-1'],
    ['LPOS', 'nokey', 'a'], ['LPOS', 'nokey', 'a', 'COUNT', '1'], ['LPOS', 'nokey', 'a', 'RANK', '0'],
    ['LPOS', 's', 'a'], ['LPOS', 's', 'a', 'COUNT', '1'], ['LPOS', 's', 'a', 'RANK', '0'], ['LPOS', 's', 'a', 'FOO'],
    ['LPOS', 'l'],
  ],

  // ---- moving between lists ----------------------------------------------------------------------
  'LMOVE every direction': [
    ['RPUSH', 'src', 'a', 'b', 'c', 'd'],
    ['LMOVE', 'src', 'dst', 'LEFT', 'RIGHT'], ['LMOVE', 'src', 'dst', 'RIGHT', 'LEFT'], ['LMOVE', 'src', 'dst', 'left', 'left'],
    ['LMOVE', 'src', 'dst', 'right', 'right'], ['EXISTS', 'src'], ['LRANGE', 'dst', '0', '-1'],
    ['LMOVE', 'dst', 'dst', 'LEFT', 'RIGHT'], ['LRANGE', 'dst', '0', '-1'], ['LMOVE', 'dst', 'dst', 'RIGHT', 'LEFT'],
    ['LRANGE', 'dst', '0', '-1'], ['LMOVE', 'dst', 'dst', 'LEFT', 'LEFT'], ['LMOVE', 'dst', 'dst', 'RIGHT', 'RIGHT'],
    ['LRANGE', 'dst', '0', '-1'], ['RPUSH', 'one', 'x'], ['LMOVE', 'one', 'one', 'LEFT', 'RIGHT'], ['LRANGE', 'one', '0', '-1'],
  ],
  'LMOVE and RPOPLPUSH errors': [
    ['RPUSH', 'src', 'a', 'b'], ['SET', 's', 'v'],
    ['LMOVE', 'src', 'dst', 'UP', 'LEFT'], ['LMOVE', 'src', 'dst', 'LEFT', 'DOWN'], ['LMOVE', 'nokey', 'dst', 'UP', 'LEFT'],
    ['LMOVE', 's', 'dst', 'UP', 'LEFT'], ['LMOVE', 'nokey', 'dst', 'LEFT', 'LEFT'], ['LMOVE', 's', 'dst', 'LEFT', 'LEFT'],
    ['LMOVE', 'src', 's', 'LEFT', 'LEFT'], ['LMOVE', 'nokey', 's', 'LEFT', 'LEFT'], ['LRANGE', 'src', '0', '-1'],
    ['EXISTS', 'dst'], ['RPOPLPUSH', 'nokey', 'dst'], ['RPOPLPUSH', 's', 'dst'], ['RPOPLPUSH', 'src', 's'],
    ['RPOPLPUSH', 'nokey', 's'], ['LMOVE', 'src', 'dst', 'LEFT'], ['RPOPLPUSH', 'src'],
  ],
  'RPOPLPUSH': [
    ['RPUSH', 'src', 'a', 'b', 'c'], ['RPOPLPUSH', 'src', 'dst'], ['RPOPLPUSH', 'src', 'dst'], ['LRANGE', 'dst', '0', '-1'],
    ['RPOPLPUSH', 'dst', 'dst'], ['LRANGE', 'dst', '0', '-1'], ['RPOPLPUSH', 'src', 'dst'], ['EXISTS', 'src'],
    ['RPOPLPUSH', 'src', 'dst'], ['LRANGE', 'dst', '0', '-1'],
  ],
  'LMPOP': [
    ['RPUSH', 'l1', 'a', 'b', 'c'], ['RPUSH', 'l2', 'd', 'e'], ['SET', 's', 'v'],
    ['LMPOP', '2', 'nokey', 'l1', 'LEFT'], ['LMPOP', '2', 'nokey', 'l1', 'RIGHT', 'COUNT', '5'],
    ['LMPOP', '2', 'nokey', 'l1', 'RIGHT', 'COUNT', '5'], ['EXISTS', 'l1'], ['LMPOP', '1', 'l2', 'left', 'count', '1'],
    ['LMPOP', '3', 'nokey', 'l1', 'l2', 'RIGHT', 'COUNT', INT64_MAX], ['LMPOP', '1', 'nokey', 'LEFT'],
    ['RPUSH', 'l2', 'x'], ['LMPOP', '2', 's', 'l2', 'LEFT'], ['LMPOP', '2', 'l2', 's', 'LEFT'], ['LMPOP', '2', 'nokey', 's', 'LEFT'],
    ['LMPOP', '2', 'l2', 'l2', 'LEFT'],
  ],
  'LMPOP argument errors': [
    ['RPUSH', 'l', 'a', 'b'],
    ['LMPOP', '2', 'nokey', 'l', 'LEFT', 'COUNT', '0'], ['LMPOP', '2', 'nokey', 'l', 'LEFT', 'COUNT', '-1'],
    ['LMPOP', '2', 'nokey', 'l', 'LEFT', 'COUNT', 'x'], ['LMPOP', '0', 'l', 'LEFT'], ['LMPOP', '-1', 'l', 'LEFT'],
    ['LMPOP', 'x', 'l', 'LEFT'], ['LMPOP', '99999999999999999999', 'l', 'LEFT'], ['LMPOP', '3', 'l', 'LEFT'],
    ['LMPOP', '2', 'l', 'LEFT'], ['LMPOP', '1', 'l', 'UP'], ['LMPOP', '1', 'l', 'UP', 'COUNT', '0'],
    ['LMPOP', '1', 'l', 'LEFT', 'COUNT'], ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '1', 'COUNT', '2'],
    ['LMPOP', '1', 'l', 'LEFT', 'FOO', '1'], ['LMPOP', '1', 'l', 'LEFT', 'COUNT', '0', 'FOO'],
    ['LMPOP', '2147483648', 'l', 'LEFT'], ['LMPOP', '1', 'l'], ['LMPOP', '1'], ['LRANGE', 'l', '0', '-1'],
  ],

  // ---- types, TTLs, binary data ------------------------------------------------------------------
  'list commands against other types': [
    ['SET', 's', 'v'], ['HSET', 'h', 'f', 'v'],
    ['LPUSH', 's', 'a'], ['RPUSH', 'h', 'a'], ['LPUSHX', 's', 'a'], ['RPUSHX', 'h', 'a'], ['LPOP', 'h'], ['RPOP', 's', '1'],
    ['LLEN', 's'], ['LLEN', 'h'], ['LRANGE', 'h', '0', '-1'], ['LINDEX', 'h', '0'], ['LSET', 'h', '0', 'x'],
    ['LINSERT', 'h', 'BEFORE', 'a', 'b'], ['LREM', 'h', '0', 'a'], ['LTRIM', 'h', '0', '1'], ['LPOS', 'h', 'a'],
    ['LMOVE', 'h', 'x', 'LEFT', 'LEFT'], ['RPOPLPUSH', 'h', 'x'], ['LMPOP', '1', 'h', 'LEFT'],
    ['GET', 's'], ['HGETALL', 'h'],
    ['RPUSH', 'l', 'a'], ['GET', 'l'], ['HGET', 'l', 'f'], ['HSET', 'l', 'f', 'v'], ['APPEND', 'l', 'x'], ['INCR', 'l'],
    ['STRLEN', 'l'], ['TYPE', 'l'], ['MGET', 'l', 's'],
  ],
  'in-place writes keep the TTL; new keys and deletions drop it': [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd'], ['EXPIREAT', 'l', T2100], ['LPUSH', 'l', 'x'], ['EXPIRETIME', 'l'],
    ['RPUSH', 'l', 'y'], ['LPOP', 'l'], ['RPOP', 'l', '1'], ['LSET', 'l', '0', 'z'], ['LINSERT', 'l', 'BEFORE', 'z', 'w'],
    ['LREM', 'l', '0', 'w'], ['LTRIM', 'l', '0', '2'], ['LPUSHX', 'l', 'q'], ['LMOVE', 'l', 'l', 'LEFT', 'RIGHT'],
    ['LMPOP', '1', 'l', 'LEFT'], ['EXPIRETIME', 'l'], ['LRANGE', 'l', '0', '-1'],
    ['LMOVE', 'l', 'other', 'LEFT', 'LEFT'], ['EXPIRETIME', 'other'], ['LPOP', 'l', '10'], ['EXPIRETIME', 'l'],
    ['RPUSH', 'l', 'new'], ['EXPIRETIME', 'l'],
    // A string whose PXAT is already past (Redis 7.0 stores it as is): expired on access, so no WRONGTYPE.
    ['SET', 'e', 'v', 'PXAT', '1'], ['LPUSHX', 'e', 'x'], ['RPUSH', 'e', 'x'], ['LRANGE', 'e', '0', '-1'], ['TTL', 'e'],
    ['SET', 'f', 'v', 'PXAT', '1'], ['LPOP', 'f'], ['LRANGE', 'f', '0', '-1'], ['LMOVE', 'f', 'e', 'LEFT', 'LEFT'],
  ],
  'binary elements': [
    ['RPUSH', 'b', ALL_BYTES, CRLF_NUL, '', '\0'], ['LRANGE', 'b', '0', '-1'], ['LPOS', 'b', CRLF_NUL], ['LPOS', 'b', ''],
    ['LINSERT', 'b', 'AFTER', ALL_BYTES, 'after'], ['LREM', 'b', '0', '\0'], ['LINDEX', 'b', '1'],
    ['LSET', 'b', '0', CRLF_NUL], ['LREM', 'b', '-1', CRLF_NUL], ['LRANGE', 'b', '0', '-1'],
    ['RPUSH', Buffer.from('k\0\xff', 'latin1'), 'v'], ['LPOP', Buffer.from('k\0\xff', 'latin1')],
  ],
  'COPY, RENAME and DEL of lists': [
    ['RPUSH', 'l', 'a', 'b', 'c'], ['COPY', 'l', 'c'], ['RPUSH', 'c', 'd'], ['LRANGE', 'l', '0', '-1'], ['LRANGE', 'c', '0', '-1'],
    ['RENAME', 'c', 'r'], ['LRANGE', 'r', '0', '-1'], ['TYPE', 'r'], ['DEL', 'l', 'r'], ['EXISTS', 'l', 'r'],
  ],
  'COMMAND INFO of the list commands': [
    ['COMMAND', 'INFO', 'lpush', 'rpush', 'lpushx', 'rpushx', 'lpop', 'rpop', 'llen', 'lrange', 'lindex'],
    ['COMMAND', 'INFO', 'lset', 'linsert', 'lrem', 'ltrim', 'lpos', 'lmove', 'rpoplpush', 'lmpop'],
    ['COMMAND', 'GETKEYS', 'LMPOP', '2', 'a', 'b', 'LEFT'], ['COMMAND', 'GETKEYS', 'LMOVE', 'a', 'b', 'LEFT', 'RIGHT'],
  ],

  // ---- big lists ---------------------------------------------------------------------------------
  'a list of 300 elements': [
    ['RPUSH', 'big', ...BIG], ['LLEN', 'big'], ['LRANGE', 'big', '0', '-1'], ['LRANGE', 'big', '100', '199'],
    ['LRANGE', 'big', '-150', '-140'], ['LINDEX', 'big', '150'], ['LINDEX', 'big', '-150'], ['LINDEX', 'big', '299'],
    ['LPUSH', 'big', ...elems(200, 'h')], ['LLEN', 'big'], ['LINDEX', 'big', '0'], ['LINDEX', 'big', '250'],
    ['LINSERT', 'big', 'BEFORE', 'e150', 'mid'], ['LPOS', 'big', 'mid'], ['LINSERT', 'big', 'AFTER', 'h0', 'tail-side'],
    ['LRANGE', 'big', '195', '205'], ['LSET', 'big', '250', 'set'], ['LRANGE', 'big', '248', '252'],
    ['RPUSH', 'big', 'e5', 'e5'], ['LREM', 'big', '-2', 'e5'], ['LREM', 'big', '0', 'h7'], ['LPOS', 'big', 'e5', 'COUNT', '0'],
    ['LTRIM', 'big', '100', '-100'], ['LLEN', 'big'], ['LRANGE', 'big', '0', '-1'],
    ['LPOP', 'big', '50'], ['RPOP', 'big', '50'], ['LRANGE', 'big', '0', '-1'], ['LTRIM', 'big', '0', '9'],
    ['LRANGE', 'big', '0', '-1'],
  ],
  'latest-N: LPUSH then LTRIM 0 9 then LRANGE 0 9': (() => {
    const script: Script = [];
    for (let i = 0; i < 40; i++) script.push(['LPUSH', 'feed', `item${i}`], ['LTRIM', 'feed', '0', '9'], ['LRANGE', 'feed', '0', '9']);
    script.push(['LLEN', 'feed']);
    return script;
  })(),
  'a queue drained and refilled many times': (() => {
    const script: Script = [];
    for (let round = 0; round < 5; round++) {
      script.push(['RPUSH', 'q', ...elems(100 + round * 37, `r${round}-`)], ['LPOP', 'q', '60'], ['RPOP', 'q', '3'],
        ['LINDEX', 'q', '0'], ['LINDEX', 'q', '-1'], ['LLEN', 'q']);
      script.push(['LPOP', 'q', '1000'], ['EXISTS', 'q']);
    }
    return script;
  })(),

  // ---- random sequences --------------------------------------------------------------------------
  'random commands, seed 1': randomListScript(1, 400),
  'random commands, seed 2': randomListScript(2, 400),
  'random commands, seed 3': randomListScript(3, 400),
  'random commands, seed 4': randomListScript(4, 400),
});

diffSuiteResp3('lists', {
  'null and empty replies': [
    ['LPOP', 'l'], ['LPOP', 'l', '0'], ['RPOP', 'l', '2'], ['RPUSH', 'l', 'a', 'b'], ['LPOP', 'l', '0'],
    ['RPOP', 'l', '1'], ['LPOP', 'l'], ['LPOP', 'l'], ['LMPOP', '1', 'l', 'LEFT'], ['RPUSH', 'l', 'x', 'a'],
    ['LMPOP', '1', 'l', 'RIGHT', 'COUNT', '1'], ['LINDEX', 'l', '5'], ['LINDEX', 'nokey', '0'], ['LPOS', 'l', 'a'],
    ['LPOS', 'l', 'x'], ['LPOS', 'l', 'a', 'COUNT', '0'], ['LPOS', 'nokey', 'a'], ['LPOS', 'nokey', 'a', 'COUNT', '0'],
    ['LRANGE', 'nokey', '0', '-1'], ['LMOVE', 'nokey', 'm', 'LEFT', 'LEFT'], ['RPOPLPUSH', 'nokey', 'm'],
    ['LMOVE', 'l', 'm', 'LEFT', 'LEFT'], ['LRANGE', 'm', '0', '-1'], ['LMPOP', '2', 'nokey', 'm', 'LEFT', 'COUNT', '9'],
  ],
});
