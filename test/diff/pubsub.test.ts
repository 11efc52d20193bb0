/**
 * Differential suite for pub/sub on one connection, byte for byte against redis-server:
 * subscription confirmations in RESP2 (arrays) and RESP3 (pushes), RESP2 subscribed mode (what
 * may run, PING's reply, the error text), PUBSUB introspection, PUBLISH to one's own channel,
 * pub/sub inside MULTI, RESET. Scripts whose commands have several replies (SUBSCRIBE a b, a
 * PUBLISH that also delivers to the caller) run as transcripts (test/helpers/session.ts).
 *
 * Not compared byte for byte, because Redis's order there is its hash table's: UNSUBSCRIBE
 * with no argument over several channels, PUBSUB CHANNELS listing several, and several
 * patterns matching one message (test/integration/pubsub.test.ts compares those as sets).
 */

import { diffSuite } from '../helpers/diff.ts';
import { diffSuiteResp3 } from '../helpers/resp3.ts';
import { sessionSuite, type Step } from '../helpers/session.ts';

diffSuite('pubsub', {
  'SUBSCRIBE and UNSUBSCRIBE one channel': [['SUBSCRIBE', 'ch'], ['UNSUBSCRIBE', 'ch'], ['PING']],
  'UNSUBSCRIBE without subscriptions': [['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['SUNSUBSCRIBE'], ['UNSUBSCRIBE', 'nope'], ['PING']],
  'UNSUBSCRIBE all of one channel': [['SUBSCRIBE', 'ch'], ['UNSUBSCRIBE'], ['GET', 'k']],
  'subscribed mode refuses other commands': [
    ['SUBSCRIBE', 'ch'], ['GET', 'k'], ['SET', 'k', 'v'], ['CLIENT', 'LIST'], ['CLIENT', 'ID'], ['MULTI'], ['EXEC'], ['PUBLISH', 'ch', 'x'],
    ['PUBSUB', 'NUMSUB'], ['HELLO', '2'], ['SELECT', '1'], ['ECHO', 'x'], ['AUTH', 'x'],
  ],
  'subscribed mode: lookup and arity errors come first': [['SUBSCRIBE', 'ch'], ['NOSUCH'], ['GET'], ['CLIENT', 'NOSUCH'], ['PING', 'a', 'b']],
  'PING in subscribed mode': [['SUBSCRIBE', 'ch'], ['PING'], ['PING', 'msg'], ['PING', ''], ['ping']],
  'patterns keep subscribed mode': [['PSUBSCRIBE', 'p*'], ['SUBSCRIBE', 'c'], ['UNSUBSCRIBE', 'c'], ['GET', 'k'], ['PUNSUBSCRIBE', 'p*'], ['GET', 'k']],
  'shard channels keep subscribed mode': [['SSUBSCRIBE', 's'], ['GET', 'k'], ['SUNSUBSCRIBE', 's'], ['GET', 'k']],
  'counts: channels and patterns together, shard channels apart': [
    ['SUBSCRIBE', 'a'], ['PSUBSCRIBE', 'a'], ['SSUBSCRIBE', 'a'], ['SUBSCRIBE', 'b'], ['SSUBSCRIBE', 'b'], ['PUNSUBSCRIBE', 'a'],
    ['SUNSUBSCRIBE', 'a'], ['UNSUBSCRIBE', 'a'],
  ],
  'subscribing twice': [['SUBSCRIBE', 'a'], ['SUBSCRIBE', 'a'], ['PSUBSCRIBE', 'p'], ['PSUBSCRIBE', 'p'], ['UNSUBSCRIBE', 'a'], ['UNSUBSCRIBE', 'a']],
  'binary and empty names': [['SUBSCRIBE', ''], ['SUBSCRIBE', 'a\r\nb\0c'], ['PSUBSCRIBE', '\xff*'], ['UNSUBSCRIBE', ''], ['PUBSUB', 'NUMPAT']],
  'RESET leaves subscribed mode': [['SUBSCRIBE', 'a'], ['PSUBSCRIBE', 'b'], ['RESET'], ['GET', 'k'], ['PUBSUB', 'NUMSUB', 'a'], ['PUBSUB', 'NUMPAT']],
  'arity': [['SUBSCRIBE'], ['PSUBSCRIBE'], ['SSUBSCRIBE'], ['PUBLISH', 'a'], ['PUBLISH', 'a', 'b', 'c'], ['SPUBLISH', 'a']],
  'PUBLISH without subscribers': [['PUBLISH', 'ch', 'msg'], ['SPUBLISH', 'ch', 'msg'], ['PUBLISH', '', '']],
  'PUBSUB introspection': [
    ['PUBSUB', 'CHANNELS'], ['PUBSUB', 'NUMSUB'], ['PUBSUB', 'NUMSUB', 'a', 'b'], ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'SHARDCHANNELS'],
    ['PUBSUB', 'SHARDNUMSUB', 'x'], ['PUBSUB', 'CHANNELS', '*'], ['pubsub', 'numpat'],
  ],
  'PUBSUB errors': [
    ['PUBSUB'], ['PUBSUB', 'NOSUCH'], ['PUBSUB', 'NUMPAT', 'x'], ['PUBSUB', 'CHANNELS', 'a', 'b'], ['pubsub', 'channels', 'a', 'b'],
    ['PUBSUB', 'SHARDCHANNELS', 'a', 'b'], ['PUBSUB', 'HELP', 'x'], ['PUBSUB', 'CHANNELS', 'a\r\nb', 'c'],
  ],
  'PUBSUB HELP': [['PUBSUB', 'HELP'], ['pubsub', 'help']],
  'SUBSCRIBE inside MULTI': [['MULTI'], ['SUBSCRIBE', 'a'], ['EXEC'], ['GET', 'k'], ['UNSUBSCRIBE', 'a'], ['GET', 'k']],
  'SSUBSCRIBE inside MULTI is refused at EXEC': [['MULTI'], ['SSUBSCRIBE', 'a'], ['EXEC'], ['GET', 'k']],
  'MULTI is refused in subscribed mode': [['SUBSCRIBE', 'a'], ['MULTI'], ['EXEC'], ['DISCARD'], ['WATCH', 'k'], ['UNSUBSCRIBE', 'a'], ['EXEC']],
});

diffSuiteResp3('pubsub', {
  'SUBSCRIBE pushes': [['SUBSCRIBE', 'ch'], ['PSUBSCRIBE', 'p*'], ['SSUBSCRIBE', 's'], ['UNSUBSCRIBE', 'ch'], ['PUNSUBSCRIBE', 'p*'], ['SUNSUBSCRIBE', 's']],
  'UNSUBSCRIBE without subscriptions is a null name': [['UNSUBSCRIBE'], ['PUNSUBSCRIBE'], ['SUNSUBSCRIBE']],
  'RESP3 has no subscribed-mode limits': [
    ['SUBSCRIBE', 'ch'], ['SET', 'k', 'v'], ['GET', 'k'], ['PING'], ['PING', 'x'], ['HGETALL', 'nokey'], ['PUBSUB', 'NUMSUB', 'ch'],
  ],
  'PUBSUB in RESP3': [['PUBSUB', 'NUMSUB', 'a'], ['PUBSUB', 'CHANNELS'], ['PUBSUB', 'NUMPAT'], ['PUBSUB', 'HELP']],
  'MULTI while subscribed': [['SUBSCRIBE', 'ch'], ['MULTI'], ['GET', 'k'], ['EXEC']],
  'RESET leaves RESP3 and subscriptions': [['SUBSCRIBE', 'ch'], ['RESET'], ['GET', 'k']],
});

const own = (steps: Array<Array<string>>): Step[] => steps.map((argv): Step => [0, argv]);

sessionSuite('pubsub, several replies per command', {
  'SUBSCRIBE several channels': own([['SUBSCRIBE', 'a', 'b', 'a'], ['UNSUBSCRIBE', 'b', 'x', 'a'], ['PING']]),
  'PSUBSCRIBE several, PUNSUBSCRIBE all in order': own([['PSUBSCRIBE', 'a*', 'b?', 'a*', '[c]'], ['PUNSUBSCRIBE'], ['PING']]),
  'SSUBSCRIBE several, SUNSUBSCRIBE': own([['SSUBSCRIBE', 'x', 'y'], ['SUNSUBSCRIBE', 'y', 'x', 'z'], ['PING']]),
  'PUBLISH to its own channel (RESP2 refused)': own([['SUBSCRIBE', 'a'], ['PUBLISH', 'a', 'x']]),
  'PUBLISH to its own channel in RESP3: the message before the count': own([
    ['HELLO', '3'], ['SUBSCRIBE', 'a'], ['PSUBSCRIBE', 'a*'], ['PUBLISH', 'a', 'x'], ['PUBLISH', 'ab', 'y'], ['SPUBLISH', 'a', 'z'],
  ]),
  'SPUBLISH to its own shard channel in RESP3': own([['HELLO', '3'], ['SSUBSCRIBE', 's'], ['SPUBLISH', 's', 'm'], ['PUBLISH', 's', 'm']]),
  'PUBLISH to itself inside EXEC in RESP3: the message inside the array': own([
    ['HELLO', '3'], ['SUBSCRIBE', 'a'], ['MULTI'], ['PUBLISH', 'a', 'x'], ['PING'], ['EXEC'],
  ]),
  'SUBSCRIBE and UNSUBSCRIBE inside EXEC': own([['MULTI'], ['SUBSCRIBE', 'a', 'b'], ['UNSUBSCRIBE', 'a'], ['PSUBSCRIBE', 'p'], ['EXEC'], ['GET', 'k']]),
  'RESP3 push and HELLO 2 while subscribed': own([['HELLO', '3'], ['SUBSCRIBE', 'a', 'b'], ['HELLO', '2'], ['PING'], ['GET', 'k'], ['UNSUBSCRIBE', 'a', 'b'], ['PING']]),
  'subscribed-mode errors in a pipeline': own([['SUBSCRIBE', 'a'], ['GET', 'x'], ['PING'], ['UNSUBSCRIBE', 'a'], ['GET', 'x']]),
});
