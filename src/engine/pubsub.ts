/**
 * The pub/sub registry: who is subscribed to which channel, pattern and shard channel, and the
 * delivery of published messages.
 *
 * Contract
 * - Three namespaces, as in Redis 7.0: channels (SUBSCRIBE, PUBLISH), patterns (PSUBSCRIBE,
 *   matched against PUBLISH's channel with Redis's glob rules, src/store/glob.ts) and shard
 *   channels (SSUBSCRIBE, SPUBLISH; with no cluster, just a separate set of channels).
 * - A client's subscriptions live on the client (`subs`, null when it has none: that is
 *   Redis's CLIENT_PUBSUB flag, which RESP2's subscribed-mode restrictions and PING's reply
 *   depend on); the server-side maps hold, per name, the subscribers in subscription order.
 * - Messages leave through the `deliver` function given by the executor (Engine.deliver),
 *   which encodes them in each receiver's RESP dialect (a push in RESP3) and hands the bytes to
 *   its connection, whichever I/O front-end that is; a message for the client whose command is
 *   running joins that command's replies, in order.
 * - Order of delivery for one PUBLISH: the channel's subscribers in the order they subscribed,
 *   then for each matching pattern, in the order patterns were first subscribed, its
 *   subscribers. (Redis walks its pattern dict in hash order; only the order of several patterns
 *   matching one message can differ.)
 * - The commands of src/commands/pubsub.ts drive this through the `PubSub` interface of
 *   ServerContext, which speaks of `Client`; the executor's clients are SubClients (`sub()`).
 */

import type { Command } from '../commands/table.ts';
import type { Client, PubSub, SubscriptionKind } from '../commands/types.ts';
import type { ReplyWriter } from '../protocol/writer.ts';
import { globMatch } from '../store/glob.ts';

/** One client's subscriptions, each kind in the order made. */
export class Subscriptions {
  readonly channel = new Set<string>();
  readonly pattern = new Set<string>();
  readonly shard = new Set<string>();

  get total(): number {
    return this.channel.size + this.pattern.size + this.shard.size;
  }
}

/** What this module keeps on a client (the engine's ClientState has it). */
export interface SubClient extends Client {
  subs: Subscriptions | null;
}

export type DeliverFn = (c: SubClient, encode: (out: ReplyWriter) => void) => void;

/** What a RESP2 client in subscribed mode may still run (Redis's processCommand). */
const ALLOWED_WHEN_SUBSCRIBED = new Set([
  'ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset',
]);

/** The refusal of `cmd` for a client in RESP2 subscribed mode, or null. RESP3 has no limits. */
export function refusalInPubSub(c: SubClient, cmd: Command): string | null {
  if (c.subs === null || c.resp !== 2 || ALLOWED_WHEN_SUBSCRIBED.has(cmd.fullName)) return null;
  return `ERR Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`;
}

/** See the contract: the executor's clients are SubClients. */
function sub(c: Client): SubClient {
  return c as SubClient;
}

export class PubSubRegistry implements PubSub {
  /** name → subscribers, for each kind. */
  private readonly byKind: Record<SubscriptionKind, Map<string, Set<SubClient>>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  private readonly deliver: DeliverFn;

  constructor(deliver: DeliverFn) {
    this.deliver = deliver;
  }

  get patternCount(): number {
    return this.byKind.pattern.size;
  }

  get channelCount(): number {
    return this.byKind.channel.size;
  }

  get shardChannelCount(): number {
    return this.byKind.shard.size;
  }

  subscribe(client: Client, kind: SubscriptionKind, name: string): boolean {
    const c = sub(client);
    if (c.subs === null) c.subs = new Subscriptions();
    const mine = c.subs[kind];
    if (mine.has(name)) return false;
    mine.add(name);
    const all = this.byKind[kind];
    let set = all.get(name);
    if (set === undefined) all.set(name, (set = new Set()));
    set.add(c);
    return true;
  }

  unsubscribe(client: Client, kind: SubscriptionKind, name: string): boolean {
    const c = sub(client);
    if (c.subs === null || !c.subs[kind].delete(name)) return false;
    const all = this.byKind[kind];
    const set = all.get(name)!;
    set.delete(c);
    // A channel nobody listens to is forgotten, so unused names cannot pile up.
    if (set.size === 0) all.delete(name);
    if (c.subs.total === 0) c.subs = null;
    return true;
  }

  subscriptions(client: Client, kind: SubscriptionKind): string[] {
    const subs = sub(client).subs;
    return subs === null ? [] : [...subs[kind]];
  }

  /** A client going away: every subscription of every kind, silently. */
  release(c: SubClient): void {
    if (c.subs === null) return;
    for (const kind of ['channel', 'pattern', 'shard'] as const) {
      for (const name of c.subs[kind]) {
        const all = this.byKind[kind];
        const set = all.get(name)!;
        set.delete(c);
        if (set.size === 0) all.delete(name);
      }
    }
    c.subs = null;
  }

  publish(channel: string, message: string, shard: boolean): number {
    let receivers = 0;
    const subscribers = this.byKind[shard ? 'shard' : 'channel'].get(channel);
    if (subscribers !== undefined) {
      const word = shard ? 'smessage' : 'message';
      const encode = (w: ReplyWriter): void => {
        w.pushLen(3);
        w.bulk(word);
        w.bulk(channel);
        w.bulk(message);
      };
      for (const c of subscribers) {
        this.deliver(c, encode);
        receivers++;
      }
    }
    if (shard) return receivers;
    for (const [pattern, clients] of this.byKind.pattern) {
      if (!globMatch(pattern, channel)) continue;
      const encode = (w: ReplyWriter): void => {
        w.pushLen(4);
        w.bulk('pmessage');
        w.bulk(pattern);
        w.bulk(channel);
        w.bulk(message);
      };
      for (const c of clients) {
        this.deliver(c, encode);
        receivers++;
      }
    }
    return receivers;
  }

  channels(shard: boolean, pattern: string | null): string[] {
    const names = this.byKind[shard ? 'shard' : 'channel'].keys();
    if (pattern === null) return [...names];
    const out: string[] = [];
    for (const name of names) if (globMatch(pattern, name)) out.push(name);
    return out;
  }

  subscriberCount(shard: boolean, channel: string): number {
    return this.byKind[shard ? 'shard' : 'channel'].get(channel)?.size ?? 0;
  }
}
