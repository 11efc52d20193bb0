/**
 * Differential suite for MULTI EXEC DISCARD WATCH UNWATCH on one connection, byte for byte
 * against redis-server, in RESP2 and RESP3: queuing, errors found while queuing (EXECABORT),
 * runtime errors inside EXEC (kept in its array), the commands that act at once inside MULTI,
 * RESET and QUIT, and authentication. Cross-client behaviour (WATCH broken by another client)
 * and HELLO inside MULTI (its reply carries the connection id, masked there) are in
 * test/integration/transactions.test.ts.
 */

import { diffSuite } from '../helpers/diff.ts';
import { diffSuiteResp3 } from '../helpers/resp3.ts';

diffSuite('transactions', {
  'MULTI EXEC': [['MULTI'], ['SET', 'a', '1'], ['INCR', 'a'], ['GET', 'a'], ['EXEC'], ['GET', 'a']],
  'empty transaction': [['MULTI'], ['EXEC'], ['MULTI'], ['DISCARD']],
  'DISCARD drops the queue': [['MULTI'], ['SET', 'a', '1'], ['DISCARD'], ['GET', 'a'], ['EXEC']],
  'EXEC and DISCARD without MULTI': [['EXEC'], ['DISCARD'], ['exec'], ['UNWATCH']],
  'nested MULTI does not abort': [['MULTI'], ['SET', 'a', '1'], ['MULTI'], ['GET', 'a'], ['EXEC']],
  'WATCH inside MULTI does not abort': [['MULTI'], ['WATCH', 'a'], ['SET', 'a', '1'], ['EXEC']],
  'UNWATCH inside MULTI is queued': [['WATCH', 'a'], ['MULTI'], ['UNWATCH'], ['EXEC']],
  'runtime errors stay inside EXEC': [
    ['SET', 's', 'x'], ['MULTI'], ['SET', 'a', '1'], ['LPUSH', 's', 'x'], ['INCR', 's'], ['INCR', 'a'], ['HSET', 'h'], ['EXEC'],
  ],
  'unknown command aborts': [['MULTI'], ['SET', 'a', '1'], ['NOSUCH', 'x'], ['SET', 'b', '2'], ['EXEC'], ['GET', 'a'], ['GET', 'b']],
  'wrong arity aborts': [['MULTI'], ['GET'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a']],
  'unknown subcommand aborts': [['MULTI'], ['CLIENT', 'NOSUCH'], ['EXEC']],
  'subcommand arity aborts': [['MULTI'], ['CLIENT', 'ID', 'x'], ['EXEC']],
  'container without subcommand aborts': [['MULTI'], ['CLIENT'], ['EXEC']],
  'EXEC refused (arity) leaves MULTI with EXECABORT': [['MULTI'], ['SET', 'a', '1'], ['EXEC', 'x'], ['EXEC'], ['GET', 'a']],
  'EXEC refused outside MULTI forgets watched keys': [['WATCH', 'k'], ['SET', 'k', '1'], ['EXEC', 'x'], ['MULTI'], ['EXEC']],
  'DISCARD with arguments aborts, then DISCARD': [['MULTI'], ['DISCARD', 'x'], ['DISCARD'], ['EXEC']],
  'MULTI with arguments is refused': [['MULTI', 'x'], ['EXEC'], ['SET', 'a', '1']],
  'WATCH without keys is refused': [['WATCH'], ['MULTI'], ['WATCH'], ['EXEC']],
  'a queued error, then more commands': [['MULTI'], ['NOSUCH'], ['GET', 'a'], ['MULTI'], ['DISCARD'], ['GET', 'a']],
  'syntax errors of queued commands surface at EXEC': [['MULTI'], ['SET', 'a', '1', 'BADOPT'], ['ZADD', 'z', 'x', 'm'], ['EXEC']],
  'WATCH then own write fails EXEC': [['SET', 'k', '1'], ['WATCH', 'k'], ['SET', 'k', '2'], ['MULTI'], ['GET', 'k'], ['EXEC'], ['GET', 'k']],
  'WATCH then UNWATCH': [['WATCH', 'k'], ['SET', 'k', '2'], ['UNWATCH'], ['MULTI'], ['GET', 'k'], ['EXEC']],
  'WATCH of several keys and databases': [
    ['WATCH', 'a', 'b'], ['SELECT', '1'], ['WATCH', 'a'], ['SET', 'a', 'x'], ['SELECT', '0'], ['MULTI'], ['PING'], ['EXEC'],
  ],
  'WATCH a missing key then create it': [['WATCH', 'k'], ['LPUSH', 'k', 'x'], ['MULTI'], ['PING'], ['EXEC']],
  'WATCH, DEL of a missing key': [['WATCH', 'k'], ['DEL', 'k'], ['MULTI'], ['PING'], ['EXEC']],
  'SELECT inside MULTI': [['MULTI'], ['SELECT', '1'], ['SET', 'a', 'db1'], ['SELECT', '0'], ['EXEC'], ['GET', 'a'], ['SELECT', '1'], ['GET', 'a']],
  'SELECT inside MULTI changes the database for later commands': [['MULTI'], ['SELECT', '2'], ['EXEC'], ['SET', 'x', '1'], ['SELECT', '0'], ['GET', 'x']],
  'connection commands inside MULTI': [
    ['MULTI'], ['PING'], ['PING', 'x'], ['ECHO', 'e'], ['CLIENT', 'SETNAME', 'tx'], ['CLIENT', 'GETNAME'], ['EXEC'], ['CLIENT', 'GETNAME'],
  ],
  'AUTH inside MULTI without a password': [['MULTI'], ['AUTH', 'x'], ['AUTH', 'default', 'y'], ['EXEC']],
  'RESET leaves MULTI': [['MULTI'], ['SET', 'a', '1'], ['RESET'], ['EXEC'], ['GET', 'a']],
  'RESET forgets watched keys': [['WATCH', 'k'], ['SET', 'k', '1'], ['RESET'], ['MULTI'], ['PING'], ['EXEC']],
  'RESET restores database 0 and the name': [['SELECT', '3'], ['CLIENT', 'SETNAME', 'n'], ['RESET'], ['SET', 'a', '1'], ['CLIENT', 'GETNAME'], ['SELECT', '0'], ['GET', 'a']],
  'RESET with arguments': [['RESET', 'x']],
  'QUIT inside MULTI is not queued': [['MULTI'], ['SET', 'a', '1'], ['QUIT']],
  'type errors between types': [
    ['MULTI'], ['SADD', 's', '1'], ['ZADD', 's', '1', 'm'], ['SCARD', 's'], ['DEL', 's'], ['ZADD', 's', '1', 'm'], ['ZCARD', 's'], ['EXEC'],
  ],
  'FLUSHALL inside EXEC': [['SET', 'a', '1'], ['MULTI'], ['FLUSHALL'], ['DBSIZE'], ['EXEC']],
  'many queued commands': [['MULTI'], ...Array.from({ length: 50 }, (_, i) => ['RPUSH', 'l', String(i)]), ['LLEN', 'l'], ['EXEC']],
  'MULTI in lower case': [['multi'], ['set', 'a', '1'], ['exec']],
});

// requirepass: commands refused with NOAUTH before MULTI; MULTI after AUTH queues AUTH itself.
diffSuite('transactions with requirepass', {
  'NOAUTH before and after MULTI': [['MULTI'], ['SET', 'a', '1'], ['EXEC'], ['DISCARD']],
  'AUTH then MULTI': [['AUTH', 'pw'], ['MULTI'], ['SET', 'a', '1'], ['AUTH', 'wrong'], ['GET', 'a'], ['EXEC'], ['GET', 'a']],
  'RESET inside MULTI signs out': [['AUTH', 'pw'], ['MULTI'], ['SET', 'a', '1'], ['RESET'], ['EXEC'], ['GET', 'a'], ['AUTH', 'pw'], ['GET', 'a']],
}, { ringkvArgs: ['--requirepass', 'pw'], redisArgs: ['--requirepass', 'pw'] });

diffSuiteResp3('transactions', {
  'MULTI EXEC': [['MULTI'], ['SET', 'a', '1'], ['HSET', 'h', 'f', 'v'], ['HGETALL', 'h'], ['SMEMBERS', 'nokey'], ['GET', 'nokey'], ['EXEC']],
  'EXEC of a touched WATCH is a null': [['WATCH', 'k'], ['SET', 'k', '1'], ['MULTI'], ['GET', 'k'], ['EXEC']],
  'EXECABORT': [['MULTI'], ['NOSUCH'], ['EXEC']],
  'errors inside EXEC': [['SET', 's', 'x'], ['MULTI'], ['LPUSH', 's', '1'], ['ZSCORE', 'nokey', 'm'], ['ZADD', 'z', '1.5', 'm'], ['ZSCORE', 'z', 'm'], ['EXEC']],
  'RESET leaves RESP3': [['MULTI'], ['RESET'], ['GET', 'nokey']],
});
