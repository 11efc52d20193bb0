/**
 * The command table: every family's specs gathered into one lookup structure.
 *
 * Contract
 * - `COMMANDS` is the typed data every other consumer reads: the executor (lookup, arity,
 *   flags), COMMAND COUNT/INFO/DOCS, and docs/commands.md (checked against it by a test).
 * - `lookup()` is on the hot path: names are matched exactly first (clients send upper or lower
 *   case), and only then folded.
 */

import { connectionCommands } from './connection.ts';
import { debugCommands } from './debug.ts';
import { keyCommands } from './keys.ts';
import { objectCommands } from './object.ts';
import { serverCommands } from './server.ts';
import { clientCommands } from './client.ts';
import { commandCommands } from './command-cmd.ts';
import { configCommands } from './config-cmd.ts';
import { infoCommands } from './info.ts';
import { stringCommands } from './strings.ts';
import { listCommands } from './lists.ts';
import { hashCommands } from './hashes.ts';
import { setCommands } from './sets.ts';
import { zsetCommands } from './zsets.ts';
import { transactionCommands } from './transactions.ts';
import { pubsubCommands } from './pubsub.ts';
import { persistenceCommands } from './persistence.ts';
import { aofCommands } from './aof-cmd.ts';
import { aclCommands } from './acl.ts';
import { shutdownCommands } from './shutdown.ts';
import type { CommandFlag, CommandSpec } from './types.ts';

export const COMMANDS: readonly CommandSpec[] = [
  ...connectionCommands,
  ...stringCommands,
  ...keyCommands,
  ...objectCommands,
  ...listCommands,
  ...hashCommands,
  ...setCommands,
  ...zsetCommands,
  ...transactionCommands,
  ...pubsubCommands,
  ...serverCommands,
  ...infoCommands,
  ...clientCommands,
  ...configCommands,
  ...commandCommands,
  ...debugCommands,
  ...persistenceCommands,
  ...aclCommands,
  ...shutdownCommands,
  ...aofCommands,
];

/** Flag bits, so the executor tests a flag with one AND. */
export const FLAG = {
  write: 1 << 0,
  readonly: 1 << 1,
  denyoom: 1 << 2,
  admin: 1 << 3,
  pubsub: 1 << 4,
  noscript: 1 << 5,
  blocking: 1 << 6,
  loading: 1 << 7,
  stale: 1 << 8,
  skip_monitor: 1 << 9,
  skip_slowlog: 1 << 10,
  fast: 1 << 11,
  no_auth: 1 << 12,
  may_replicate: 1 << 13,
  sentinel: 1 << 14,
  only_sentinel: 1 << 15,
  no_mandatory_keys: 1 << 16,
  no_multi: 1 << 17,
  allow_busy: 1 << 18,
  no_async_loading: 1 << 19,
} as const satisfies Record<CommandFlag, number>;

/** A spec as the executor uses it: flags folded into bits, subcommands indexed, stats attached. */
export interface Command {
  readonly spec: CommandSpec;
  /** "get", or "client|setname" for a subcommand. */
  readonly fullName: string;
  readonly bits: number;
  readonly subcommands: Map<string, Command> | null;
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
}

function compile(spec: CommandSpec, parent: string | null): Command {
  let bits = 0;
  for (const f of spec.flags) bits |= FLAG[f];
  let subs: Map<string, Command> | null = null;
  const fullName = parent === null ? spec.name : `${parent}|${spec.name}`;
  if (spec.subcommands !== undefined) {
    subs = new Map();
    for (const sub of spec.subcommands) subs.set(sub.name, compile(sub, spec.name));
  }
  return { spec, fullName, bits, subcommands: subs, calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0 };
}

export class CommandTable {
  private readonly byName = new Map<string, Command>();
  readonly all: Command[] = [];

  constructor(specs: readonly CommandSpec[]) {
    for (const spec of specs) {
      const cmd = compile(spec, null);
      if (this.byName.has(spec.name)) throw new Error(`duplicate command ${spec.name}`);
      this.all.push(cmd);
      this.byName.set(spec.name, cmd);
      this.byName.set(spec.name.toUpperCase(), cmd);
    }
  }

  lookup(name: string): Command | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /** Every command and subcommand, for stats. */
  *everything(): Iterable<Command> {
    for (const c of this.all) {
      yield c;
      if (c.subcommands !== null) yield* c.subcommands.values();
    }
  }
}
