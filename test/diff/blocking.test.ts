/**
 * Differential tests of the blocking commands on one connection, against a real redis-server:
 * BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP (and ZMPOP). What one client can
 * see alone: immediate pops when data is there (every reply shape, RESP2 and RESP3), argument
 * errors in Redis's order (the timeout's parsing included), WRONGTYPE, short timeouts answered
 * with the null array, the non-blocking behaviour inside MULTI/EXEC, CLIENT UNBLOCK's errors,
 * and the commands' COMMAND INFO. Several clients (serving order, held pipelines, disconnects)
 * are in test/integration/blocking.test.ts.
 */

import { diffSuite } from '../helpers/diff.ts';
import { diffSuiteResp3 } from '../helpers/resp3.ts';

/** Every timeout spelling whose parsing Redis does something particular with. */
const TIMEOUTS = [
  'abc', '', ' 1', '1 ', 'nan', '-1', '-inf', 'inf', '1e400', '9223372036854775807', '9223372036854775.808',
  '-0.00100000001', '0x', '1e', '--1',
];

diffSuite('blocking commands', {
  'BLPOP and BRPOP pop at once from the first non-empty list': [
    ['RPUSH', 'l', 'a', 'b', 'c'], ['BLPOP', 'l', '0'], ['BRPOP', 'l', '0'], ['BLPOP', 'nokey', 'l', '0'],
    ['LLEN', 'l'], ['EXISTS', 'l'],
    ['RPUSH', 'm', 'x'], ['RPUSH', 'n', 'y'], ['BRPOP', 'none', 'n', 'm', '1'], ['BLPOP', 'm', 'm', '1'],
    ['RPUSH', 'bin', Buffer.from('a\r\n\0\xff', 'latin1')], ['BLPOP', 'bin', '0'],
  ],
  'BLMOVE and BRPOPLPUSH move at once when the source has elements': [
    ['RPUSH', 's', 'a', 'b', 'c'], ['BLMOVE', 's', 'd', 'LEFT', 'RIGHT', '0'], ['BLMOVE', 's', 'd', 'right', 'left', '0'],
    ['BRPOPLPUSH', 's', 'd', '0'], ['LRANGE', 'd', '0', '-1'], ['EXISTS', 's'],
    ['BLMOVE', 'd', 'd', 'LEFT', 'RIGHT', '0'], ['LRANGE', 'd', '0', '-1'],
    ['SET', 'str', 'v'], ['RPUSH', 'src', 'x'], ['BLMOVE', 'src', 'str', 'LEFT', 'LEFT', '0'], ['LRANGE', 'src', '0', '-1'],
    ['BRPOPLPUSH', 'src', 'str', '0'], ['BLMOVE', 'str', 'd', 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', 'str', 'd', '0'],
  ],
  'BLMPOP pops at once, with and without COUNT': [
    ['RPUSH', 'l', 'a', 'b', 'c', 'd'], ['BLMPOP', '0', '2', 'x', 'l', 'LEFT'], ['BLMPOP', '0', '1', 'l', 'RIGHT', 'COUNT', '2'],
    ['BLMPOP', '0', '1', 'l', 'left', 'count', '10'], ['EXISTS', 'l'],
  ],
  'BZPOPMIN, BZPOPMAX, BZMPOP and ZMPOP pop at once': [
    ['ZADD', 'z', '1', 'a', '2', 'b', '3', 'c', '-inf', 'lo', 'inf', 'hi', '1.5', 'm'],
    ['BZPOPMIN', 'z', '0'], ['BZPOPMAX', 'nokey', 'z', '0'], ['BZMPOP', '0', '2', 'x', 'z', 'MIN'],
    ['BZMPOP', '0', '1', 'z', 'max', 'COUNT', '2'], ['ZMPOP', '1', 'z', 'MIN', 'COUNT', '10'], ['EXISTS', 'z'],
    ['ZMPOP', '2', 'x', 'y', 'MIN'], ['ZADD', 'z2', '0.1', 'm'], ['ZMPOP', '2', 'x', 'z2', 'MAX'],
  ],
  'argument errors, in Redis order': [
    ['BLPOP', 'k'], ['BRPOP'], ['BLMOVE', 's', 'd', 'LEFT', 'RIGHT'], ['BRPOPLPUSH', 's', 'd'], ['BLMPOP', '0', '1', 'k'],
    ['BZPOPMIN', 'z'], ['BZMPOP', '0', '1', 'z'], ['ZMPOP', '1', 'z'],
    ['BLMOVE', 's', 'd', 'UP', 'RIGHT', 'x'], ['BLMOVE', 's', 'd', 'LEFT', 'UP', 'x'], ['BLMOVE', 's', 'd', 'LEFT', 'RIGHT', 'x'],
    ['BLMPOP', 'x', '0', 'k', 'LEFT'], ['BLMPOP', 'x', 'abc', 'k', 'LEFT'], ['BLMPOP', 'x', '2', 'k', 'LEFT'],
    ['BLMPOP', 'x', '1', 'k', 'MIDDLE'], ['BLMPOP', 'x', '1', 'k', 'LEFT', 'COUNT', '0'], ['BLMPOP', 'x', '1', 'k', 'LEFT', 'COUNT'],
    ['BLMPOP', 'x', '1', 'k', 'LEFT', 'COUNT', '1', 'COUNT', '1'], ['BLMPOP', 'x', '1', 'k', 'LEFT'],
    ['BLMPOP', '-1', '1', 'k', 'LEFT'], ['BLMPOP', 'x', '9223372036854775807', 'k', 'LEFT'],
    ['BZMPOP', 'x', '0', 'z', 'MIN'], ['BZMPOP', 'x', '1', 'z', 'LEFT'], ['BZMPOP', 'x', '1', 'z', 'MIN', 'COUNT', '-1'],
    ['BZMPOP', 'x', '1', 'z', 'MIN', 'LIMIT', '1'], ['BZMPOP', 'x', '3', 'z', 'MIN'], ['BZMPOP', 'x', '1', 'z', 'MIN'],
    ['ZMPOP', '0', 'z', 'MIN'], ['ZMPOP', '1', 'z', 'MIN', 'COUNT', 'x'], ['ZMPOP', '1', 'z', 'MAX', 'x'], ['ZMPOP', 'abc', 'z', 'MIN'],
  ],
  'timeout spellings that are errors': TIMEOUTS.flatMap((t) => [
    ['BLPOP', 'k', t], ['BZPOPMAX', 'k', t], ['BLMOVE', 's', 'd', 'LEFT', 'LEFT', t], ['BLMPOP', t, '1', 'k', 'LEFT'],
  ]),
  'the timeout is checked before the keys, except for BLMPOP and BZMPOP arguments': [
    ['SET', 'str', 'v'], ['BLPOP', 'str', 'abc'], ['BLPOP', 'str', '-1'], ['BLPOP', 'str', '0'], ['BZPOPMIN', 'str', 'abc'],
    ['BZPOPMIN', 'str', '0'], ['BLMOVE', 'str', 'd', 'LEFT', 'LEFT', 'abc'], ['BRPOPLPUSH', 'str', 'd', '-1'],
    ['BLMPOP', 'abc', '1', 'str', 'LEFT'], ['BLMPOP', '0', '1', 'str', 'LEFT'], ['BZMPOP', '0', '1', 'str', 'MIN'],
    ['BZMPOP', 'abc', '1', 'str', 'MAX'], ['BLPOP', 'nokey', 'str', '0'], ['ZMPOP', '1', 'str', 'MIN'],
  ],
  'WRONGTYPE from the first key of another type, before any list': [
    ['SET', 'str', 'v'], ['RPUSH', 'l', 'a'], ['ZADD', 'z', '1', 'm', '2', 'n'],
    ['BLPOP', 'str', 'l', '0'], ['BLPOP', 'l', 'str', '0'], ['BRPOP', 'z', '0'], ['BLMPOP', '0', '2', 'z', 'l', 'LEFT'],
    ['BZPOPMIN', 'l', 'z', '0'], ['BZPOPMAX', 'z', 'l', '0'], ['BZMPOP', '0', '2', 'str', 'z', 'MIN'], ['ZMPOP', '2', 'l', 'z', 'MAX'],
  ],
  'short timeouts answer the null array': [
    ['BLPOP', 'k', '0.05'], ['BRPOP', 'k', 'j', '0.02'], ['BLMOVE', 'k', 'd', 'LEFT', 'RIGHT', '0.02'], ['BRPOPLPUSH', 'k', 'd', '0.02'],
    ['BLMPOP', '0.02', '1', 'k', 'LEFT'], ['BZPOPMIN', 'k', '0.02'], ['BZPOPMAX', 'k', '0.02'], ['BZMPOP', '0.02', '1', 'k', 'MAX', 'COUNT', '3'],
    ['BLPOP', 'k', '0.0001'], ['BLPOP', 'k', '1e-400'], ['BLPOP', 'k', '0x1p-20'], ['BLPOP', 'k', '.01'], ['BZPOPMIN', 'k', '+0.01'],
    ['EXISTS', 'k', 'd'], ['PING'],
  ],
  'a timed-out client runs its next command as usual': [
    ['BLPOP', 'k', '0.01'], ['RPUSH', 'k', 'a'], ['BLPOP', 'k', '0.01'], ['BLPOP', 'k', '0.01'], ['GET', 'k'],
  ],
  'inside MULTI a blocking command does not block: null at once': [
    ['MULTI'], ['BLPOP', 'k', '0'], ['BRPOP', 'k', 'j', '0'], ['BLMOVE', 'k', 'd', 'LEFT', 'LEFT', '0'], ['BRPOPLPUSH', 'k', 'd', '0'],
    ['BLMPOP', '0', '1', 'k', 'LEFT'], ['BZPOPMIN', 'k', '0'], ['BZPOPMAX', 'k', '100'], ['BZMPOP', '0', '1', 'k', 'MIN'], ['EXEC'],
  ],
  'inside MULTI: pops when there is data, errors in the result array': [
    ['RPUSH', 'l', 'a', 'b'], ['ZADD', 'z', '1', 'm'], ['SET', 's', 'v'],
    ['MULTI'], ['BLPOP', 'l', '0'], ['BLMOVE', 'l', 'd', 'LEFT', 'RIGHT', '0'], ['BLPOP', 'l', '0'], ['BZPOPMIN', 'z', '0'],
    ['BLPOP', 's', '0'], ['BLPOP', 'k', '-1'], ['BLPOP', 'k', 'abc'], ['BLMPOP', '0', '0', 'k', 'LEFT'], ['LRANGE', 'd', '0', '-1'], ['EXEC'],
  ],
  'a push inside the same transaction is popped by a later blocking command in it': [
    ['MULTI'], ['BLPOP', 'k', '0'], ['RPUSH', 'k', 'a'], ['BLPOP', 'k', '0'], ['ZADD', 'z', '2', 'x'], ['BZPOPMAX', 'z', '0'], ['EXEC'],
  ],
  'blocking commands queued with an arity error abort the transaction': [
    ['MULTI'], ['BLPOP', 'k'], ['EXEC'], ['MULTI'], ['BZMPOP', '0'], ['BLPOP', 'k', '0'], ['EXEC'],
  ],
  'CLIENT UNBLOCK errors and clients that are not blocked': [
    ['CLIENT', 'UNBLOCK', 'abc'], ['CLIENT', 'UNBLOCK', 'abc', 'foo'], ['CLIENT', 'UNBLOCK', '1', 'foo'],
    ['CLIENT', 'UNBLOCK', '999999'], ['CLIENT', 'UNBLOCK', '999999', 'timeout'], ['CLIENT', 'UNBLOCK', '999999', 'ERROR'],
    ['CLIENT', 'UNBLOCK', '-1'], ['CLIENT', 'UNBLOCK', '1.5'], ['CLIENT', 'UNBLOCK', '99999999999999999999'],
    ['CLIENT', 'UNBLOCK', '1', 'error', 'x'], ['CLIENT', 'unblock', '1', 'error', 'x'], ['CLIENT', 'UNBLOCK'],
  ],
  'COMMAND INFO and GETKEYS': [
    ['COMMAND', 'INFO', 'blpop', 'brpop', 'blmove', 'brpoplpush', 'blmpop'],
    ['COMMAND', 'INFO', 'bzpopmin', 'bzpopmax', 'bzmpop', 'zmpop', 'client|unblock'],
    ['COMMAND', 'GETKEYS', 'BLPOP', 'a', 'b', 'c', '0'], ['COMMAND', 'GETKEYS', 'BLMOVE', 'a', 'b', 'LEFT', 'RIGHT', '0'],
    ['COMMAND', 'GETKEYS', 'BLMPOP', '0', '2', 'a', 'b', 'LEFT'], ['COMMAND', 'GETKEYS', 'BZMPOP', '1', '1', 'z', 'MIN', 'COUNT', '2'],
    ['COMMAND', 'GETKEYS', 'ZMPOP', '2', 'a', 'b', 'MAX'], ['COMMAND', 'GETKEYS', 'BRPOPLPUSH', 's', 'd', '1'],
  ],
});

diffSuiteResp3('blocking commands', {
  'served at once: doubles and nested pairs': [
    ['ZADD', 'z', '1.5', 'a', '2', 'b', '3', 'c', 'inf', 'd'], ['BZPOPMIN', 'z', '0'], ['BZPOPMAX', 'z', '0'],
    ['BZMPOP', '0', '1', 'z', 'MIN', 'COUNT', '5'], ['ZADD', 'z', '0.1', 'x'], ['ZMPOP', '1', 'z', 'MAX'],
    ['RPUSH', 'l', 'a', 'b', 'c'], ['BLPOP', 'l', '0'], ['BLMPOP', '0', '1', 'l', 'RIGHT', 'COUNT', '5'],
  ],
  'timeouts and MULTI answer RESP3 nulls': [
    ['BLPOP', 'k', '0.02'], ['BLMOVE', 'k', 'd', 'LEFT', 'RIGHT', '0.02'], ['BZMPOP', '0.02', '1', 'k', 'MIN'], ['ZMPOP', '1', 'k', 'MIN'],
    ['MULTI'], ['BLPOP', 'k', '0'], ['BRPOPLPUSH', 'k', 'd', '0'], ['BZPOPMIN', 'k', '0'], ['EXEC'],
  ],
});
