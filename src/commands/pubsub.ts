/**
 * Pub/sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH, the shard variants
 * SSUBSCRIBE SUNSUBSCRIBE SPUBLISH, and PUBSUB CHANNELS NUMSUB NUMPAT SHARDCHANNELS SHARDNUMSUB HELP.
 *
 * Contract
 * - The registry is the executor's (src/engine/pubsub.ts), reached through `ServerContext.pubsub`;
 *   it also delivers PUBLISH's messages to every subscriber.
 * - (Un)subscribing answers one confirmation per name, Redis's [kind, name, count]: an array in
 *   RESP2, a push in RESP3. The count is the client's channels plus patterns, or its shard
 *   channels for the shard commands. With no names, UNSUBSCRIBE (and the others) drop every
 *   subscription of their kind, in the order made, or confirm a null name when there is none.
 * - What a client in subscribed mode may run (RESP2) is the executor's check; PING's
 *   subscribed-mode reply is PING's own (connection.ts).
 * - SSUBSCRIBE inside EXEC is refused as in Redis (a transaction's client must not block);
 *   SUBSCRIBE and PSUBSCRIBE are allowed there for backward compatibility, as in Redis.
 */

import { cstr } from '../protocol/preflight.ts';
import type { ReplyWriter } from '../protocol/writer.ts';
import { replyHelp } from './server.ts';
import type { Client, CommandSpec, ServerContext, SubscriptionKind } from './types.ts';

/** The count a confirmation carries: shard channels apart, channels and patterns together. */
function countOf(c: Client, kind: SubscriptionKind): number {
  return kind === 'shard' ? c.ssubCount : c.subCount + c.psubCount;
}

/** One [kind, name, count] confirmation; a null name when there was nothing to unsubscribe. */
function confirm(out: ReplyWriter, word: string, name: string | null, count: number): void {
  out.pushLen(3);
  out.bulk(word);
  out.bulkOrNull(name);
  out.int(count);
}

function subscribeGeneric(c: Client, argv: string[], s: ServerContext, kind: SubscriptionKind, word: string): void {
  for (let i = 1; i < argv.length; i++) {
    s.pubsub.subscribe(c, kind, argv[i]!);
    confirm(s.out, word, argv[i]!, countOf(c, kind));
  }
}

function unsubscribeGeneric(c: Client, argv: string[], s: ServerContext, kind: SubscriptionKind, word: string): void {
  const names = argv.length > 1 ? argv.slice(1) : s.pubsub.subscriptions(c, kind);
  if (names.length === 0) {
    confirm(s.out, word, null, countOf(c, kind));
    return;
  }
  for (const name of names) {
    s.pubsub.unsubscribe(c, kind, name);
    confirm(s.out, word, name, countOf(c, kind));
  }
}

/** SUBSCRIBE channel [channel ...] */
function subscribeCommand(c: Client, argv: string[], s: ServerContext): void {
  subscribeGeneric(c, argv, s, 'channel', 'subscribe');
}

/** UNSUBSCRIBE [channel [channel ...]] */
function unsubscribeCommand(c: Client, argv: string[], s: ServerContext): void {
  unsubscribeGeneric(c, argv, s, 'channel', 'unsubscribe');
}

/** PSUBSCRIBE pattern [pattern ...] */
function psubscribeCommand(c: Client, argv: string[], s: ServerContext): void {
  subscribeGeneric(c, argv, s, 'pattern', 'psubscribe');
}

/** PUNSUBSCRIBE [pattern [pattern ...]] */
function punsubscribeCommand(c: Client, argv: string[], s: ServerContext): void {
  unsubscribeGeneric(c, argv, s, 'pattern', 'punsubscribe');
}

/** SSUBSCRIBE shardchannel [shardchannel ...] */
function ssubscribeCommand(c: Client, argv: string[], s: ServerContext): void {
  // It can only run inside MULTI when EXEC runs it.
  if (s.transactions.inMulti(c)) {
    s.out.error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  subscribeGeneric(c, argv, s, 'shard', 'ssubscribe');
}

/** SUNSUBSCRIBE [shardchannel [shardchannel ...]] */
function sunsubscribeCommand(c: Client, argv: string[], s: ServerContext): void {
  unsubscribeGeneric(c, argv, s, 'shard', 'sunsubscribe');
}

/** PUBLISH channel message: the number of clients that received it (pattern matches included). */
function publishCommand(_c: Client, argv: string[], s: ServerContext): void {
  s.out.int(s.pubsub.publish(argv[1]!, argv[2]!, false));
}

/** SPUBLISH shardchannel message */
function spublishCommand(_c: Client, argv: string[], s: ServerContext): void {
  s.out.int(s.pubsub.publish(argv[1]!, argv[2]!, true));
}

/** Redis's addReplySubcommandSyntaxError: the subcommand as sent, the command upper-cased. */
function subcommandSyntaxError(argv: string[], s: ServerContext): void {
  s.out.error(`ERR unknown subcommand or wrong number of arguments for '${cstr(argv[1]!).slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`);
}

function channelsGeneric(argv: string[], s: ServerContext, shard: boolean): void {
  if (argv.length > 3) return subcommandSyntaxError(argv, s);
  const names = s.pubsub.channels(shard, argv.length === 3 ? argv[2]! : null);
  s.out.arrayLen(names.length);
  for (const n of names) s.out.bulk(n);
}

function numsubGeneric(argv: string[], s: ServerContext, shard: boolean): void {
  // A flat array of channel, count pairs, in RESP3 too (Redis 7.0).
  s.out.arrayLen((argv.length - 2) * 2);
  for (let i = 2; i < argv.length; i++) {
    s.out.bulk(argv[i]!);
    s.out.int(s.pubsub.subscriberCount(shard, argv[i]!));
  }
}

/** PUBSUB CHANNELS [pattern] */
function pubsubChannelsCommand(_c: Client, argv: string[], s: ServerContext): void {
  channelsGeneric(argv, s, false);
}

/** PUBSUB NUMSUB [channel [channel ...]] */
function pubsubNumsubCommand(_c: Client, argv: string[], s: ServerContext): void {
  numsubGeneric(argv, s, false);
}

/** PUBSUB NUMPAT: distinct patterns subscribed to by any client. */
function pubsubNumpatCommand(_c: Client, _argv: string[], s: ServerContext): void {
  s.out.int(s.pubsub.patternCount);
}

/** PUBSUB SHARDCHANNELS [pattern] */
function pubsubShardchannelsCommand(_c: Client, argv: string[], s: ServerContext): void {
  channelsGeneric(argv, s, true);
}

/** PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]] */
function pubsubShardnumsubCommand(_c: Client, argv: string[], s: ServerContext): void {
  numsubGeneric(argv, s, true);
}

const HELP = [
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
];

/** PUBSUB HELP */
function pubsubHelpCommand(_c: Client, _argv: string[], s: ServerContext): void {
  replyHelp(s.out, 'pubsub', HELP);
}

const PS = { group: 'pubsub' } as const;
const NO_KEYS = { firstKey: 0, lastKey: 0, step: 0 } as const;
const SUB_FLAGS = ['pubsub', 'noscript', 'loading', 'stale'] as const;
const PUB_FLAGS = ['pubsub', 'loading', 'stale', 'fast'] as const;
const INFO_FLAGS = ['pubsub', 'loading', 'stale'] as const;

/** Shard channel arguments: key positions for cluster routing, but not keys. */
function notKeys(lastKey: number) {
  return [{ flags: ['not_key'], begin: { index: 1 }, find: { lastKey, keyStep: 1, limit: 0 } }] as const;
}

export const pubsubCommands = [
  { name: 'psubscribe', arity: -2, flags: SUB_FLAGS, ...NO_KEYS, ...PS, since: '2.0.0',
    summary: 'Listen for messages published to channels matching the given patterns',
    complexity: 'O(N) where N is the number of patterns the client is already subscribed to.', handler: psubscribeCommand },
  { name: 'publish', arity: 3, flags: PUB_FLAGS, ...NO_KEYS, ...PS, since: '2.0.0', summary: 'Post a message to a channel',
    complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).',
    handler: publishCommand },
  { name: 'pubsub', arity: -2, flags: [], ...NO_KEYS, ...PS, since: '2.8.0', summary: 'A container for Pub/Sub commands',
    complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'channels', arity: -2, flags: INFO_FLAGS, ...NO_KEYS, ...PS, since: '2.8.0', summary: 'List active channels',
        complexity: 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)',
        handler: pubsubChannelsCommand },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], ...NO_KEYS, ...PS, since: '6.2.0',
        summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', handler: pubsubHelpCommand },
      { name: 'numpat', arity: 2, flags: INFO_FLAGS, ...NO_KEYS, ...PS, since: '2.8.0',
        summary: 'Get the count of unique patterns pattern subscriptions', complexity: 'O(1)', handler: pubsubNumpatCommand },
      { name: 'numsub', arity: -2, flags: INFO_FLAGS, ...NO_KEYS, ...PS, since: '2.8.0', summary: 'Get the count of subscribers for channels',
        complexity: 'O(N) for the NUMSUB subcommand, where N is the number of requested channels', handler: pubsubNumsubCommand },
      { name: 'shardchannels', arity: -2, flags: INFO_FLAGS, ...NO_KEYS, ...PS, since: '7.0.0', summary: 'List active shard channels',
        complexity: 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).',
        handler: pubsubShardchannelsCommand },
      { name: 'shardnumsub', arity: -2, flags: INFO_FLAGS, ...NO_KEYS, ...PS, since: '7.0.0',
        summary: 'Get the count of subscribers for shard channels',
        complexity: 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels',
        handler: pubsubShardnumsubCommand },
    ] },
  { name: 'punsubscribe', arity: -1, flags: SUB_FLAGS, ...NO_KEYS, ...PS, since: '2.0.0',
    summary: 'Stop listening for messages posted to channels matching the given patterns',
    complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).',
    handler: punsubscribeCommand },
  { name: 'spublish', arity: 3, flags: PUB_FLAGS, firstKey: 1, lastKey: 1, step: 1, ...PS, since: '7.0.0',
    summary: 'Post a message to a shard channel',
    complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.', keySpecs: notKeys(0),
    handler: spublishCommand },
  { name: 'ssubscribe', arity: -2, flags: SUB_FLAGS, firstKey: 1, lastKey: -1, step: 1, ...PS, since: '7.0.0',
    summary: 'Listen for messages published to the given shard channels',
    complexity: 'O(N) where N is the number of shard channels to subscribe to.', keySpecs: notKeys(-1), handler: ssubscribeCommand },
  { name: 'subscribe', arity: -2, flags: SUB_FLAGS, ...NO_KEYS, ...PS, since: '2.0.0',
    summary: 'Listen for messages published to the given channels',
    complexity: 'O(N) where N is the number of channels to subscribe to.', handler: subscribeCommand },
  { name: 'sunsubscribe', arity: -1, flags: SUB_FLAGS, firstKey: 1, lastKey: -1, step: 1, ...PS, since: '7.0.0',
    summary: 'Stop listening for messages posted to the given shard channels',
    complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.', keySpecs: notKeys(-1),
    handler: sunsubscribeCommand },
  { name: 'unsubscribe', arity: -1, flags: SUB_FLAGS, ...NO_KEYS, ...PS, since: '2.0.0',
    summary: 'Stop listening for messages posted to the given channels',
    complexity: 'O(N) where N is the number of clients already subscribed to a channel.', handler: unsubscribeCommand },
] as const satisfies readonly CommandSpec[];
