/**
 * COMMAND and its subcommands (COUNT LIST INFO DOCS GETKEYS GETKEYSANDFLAGS HELP): the command
 * table described to clients in Redis 7's shapes, so redis-cli's hints and client libraries'
 * key routing work.
 *
 * Contract
 * - Everything here is read from the typed specs (types.ts CommandSpec): nothing about a
 *   command is written twice. What a spec leaves out is derived the way Redis derives it:
 *   ACL categories from flags and group (`aclCategories`), one key spec from the legacy
 *   first/last/step triple (`keySpecsOf`), `movablekeys` from key specs that are not a plain
 *   index + range.
 * - Replies follow Redis 7.0: COMMAND INFO entries have 10 elements (name, arity, flags,
 *   first key, last key, step, ACL categories, tips, key specs, subcommands), flag-like lists
 *   are sets in RESP3, key specs and docs are maps.
 * - Order follows our table, not Redis's hash order (which changes from run to run anyway).
 *
 * docs.ts (the docs/commands.md generator) uses the same helpers.
 */

import type { ReplyWriter } from '../protocol/writer.ts';
import { globMatch } from '../store/glob.ts';
import { replyHelp } from './server.ts';
import type {
  AclCategory, Client, CommandFlag, CommandGroup, CommandSpec, KeySpec, KeySpecFlag, ServerContext,
} from './types.ts';
import { eqi, ERR_SYNTAX, parseInt64 } from './util.ts';

/** Flags as COMMAND INFO shows them, in Redis's order; may_replicate and sentinel are hidden. */
const SHOWN_FLAGS: ReadonlyArray<CommandFlag | 'movablekeys'> = [
  'write', 'readonly', 'denyoom', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading', 'no_multi', 'movablekeys',
  'allow_busy',
];

/** Redis's ACL category table order, which is the order COMMAND INFO lists them in. */
export const ACL_ORDER: readonly AclCategory[] = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog',
  'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection',
  'transaction', 'scripting',
];

/** The category a command's group implies when its spec names none (Redis's command JSON). */
const GROUP_ACL: Partial<Record<CommandGroup, AclCategory>> = {
  generic: 'keyspace', string: 'string', list: 'list', set: 'set', 'sorted-set': 'sortedset',
  hash: 'hash', hyperloglog: 'hyperloglog', geo: 'geo', stream: 'stream', bitmap: 'bitmap',
  transactions: 'transaction', connection: 'connection', scripting: 'scripting',
};

const KEY_FLAG_ORDER: readonly KeySpecFlag[] = [
  'RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags',
];

/**
 * A command's ACL categories in Redis's order: the explicit ones (or its group's), plus those
 * its flags imply, plus @slow for anything not @fast (Redis's setImplicitACLCategories).
 * A pure container (CLIENT, CONFIG) has no group category.
 */
export function aclCategories(spec: CommandSpec): AclCategory[] {
  const set = new Set<AclCategory>();
  if (spec.acl !== undefined) {
    for (const a of spec.acl) set.add(a);
  } else if (spec.handler !== undefined) {
    const g = GROUP_ACL[spec.group];
    if (g !== undefined) set.add(g);
  }
  const f = spec.flags as readonly CommandFlag[];
  if (f.includes('write')) set.add('write');
  if (f.includes('readonly') && !set.has('scripting')) set.add('read');
  if (f.includes('admin')) {
    set.add('admin');
    set.add('dangerous');
  }
  if (f.includes('pubsub')) set.add('pubsub');
  if (f.includes('fast')) set.add('fast');
  if (f.includes('blocking')) set.add('blocking');
  if (!set.has('fast')) set.add('slow');
  return ACL_ORDER.filter((a) => set.has(a));
}

/**
 * A command's key specs: its own, or one derived from first/last/step, flagged RO+access for
 * a read-only command and RW+access+update for a write (the common cases; a spec that
 * deletes or inserts should declare its key specs).
 */
export function keySpecsOf(spec: CommandSpec): readonly KeySpec[] {
  if (spec.keySpecs !== undefined) return spec.keySpecs;
  if (spec.firstKey <= 0) return [];
  const f = spec.flags as readonly CommandFlag[];
  const flags: KeySpecFlag[] = f.includes('write') ? ['RW', 'access', 'update'] : f.includes('readonly') ? ['RO', 'access'] : ['RO'];
  const lastKey = spec.lastKey >= 0 ? spec.lastKey - spec.firstKey : spec.lastKey;
  return [{ flags, begin: { index: spec.firstKey }, find: { lastKey, keyStep: spec.step, limit: 0 } }];
}

function isMovable(specs: readonly KeySpec[]): boolean {
  return specs.some((k) => !('index' in k.begin) || !('lastKey' in k.find));
}

/** Flags as COMMAND INFO lists them. */
export function shownFlags(spec: CommandSpec): string[] {
  const f = new Set<string>(spec.flags);
  if (isMovable(keySpecsOf(spec))) f.add('movablekeys');
  return SHOWN_FLAGS.filter((x) => f.has(x));
}

/** "client|list" for a subcommand, the name itself for a command. */
function fullName(spec: CommandSpec, parent: CommandSpec | null): string {
  return parent === null ? spec.name : `${parent.name}|${spec.name}`;
}

/**
 * Finds a command by its COMMAND INFO/DOCS name: "get", or "client|list" for a subcommand
 * (case-insensitive). Returns the spec and its container, or null.
 */
function findByName(s: ServerContext, name: string): [CommandSpec, CommandSpec | null] | null {
  const bar = name.indexOf('|');
  if (bar < 0) {
    const spec = s.command(name);
    return spec === undefined ? null : [spec, null];
  }
  const parent = s.command(name.slice(0, bar));
  const subName = name.slice(bar + 1).toLowerCase();
  const sub = parent?.subcommands?.find((x) => x.name === subName);
  return sub === undefined ? null : [sub, parent!];
}

// ---- COMMAND INFO --------------------------------------------------------------------------

function replyKeySpec(out: ReplyWriter, k: KeySpec): void {
  out.mapLen(k.notes !== undefined ? 4 : 3);
  if (k.notes !== undefined) {
    out.bulk('notes');
    out.bulk(k.notes);
  }
  out.bulk('flags');
  const flags = KEY_FLAG_ORDER.filter((f) => k.flags.includes(f));
  out.setLen(flags.length);
  for (const f of flags) out.simple(f);
  out.bulk('begin_search');
  out.mapLen(2);
  out.bulk('type');
  if ('index' in k.begin) {
    out.bulk('index');
    out.bulk('spec');
    out.mapLen(1);
    out.bulk('index');
    out.int(k.begin.index);
  } else {
    out.bulk('keyword');
    out.bulk('spec');
    out.mapLen(2);
    out.bulk('keyword');
    out.bulk(k.begin.keyword);
    out.bulk('startfrom');
    out.int(k.begin.startFrom);
  }
  out.bulk('find_keys');
  out.mapLen(2);
  out.bulk('type');
  if ('lastKey' in k.find) {
    out.bulk('range');
    out.bulk('spec');
    out.mapLen(3);
    out.bulk('lastkey');
    out.int(k.find.lastKey);
    out.bulk('keystep');
    out.int(k.find.keyStep);
    out.bulk('limit');
    out.int(k.find.limit);
  } else {
    out.bulk('keynum');
    out.bulk('spec');
    out.mapLen(3);
    out.bulk('keynumidx');
    out.int(k.find.keyNumIdx);
    out.bulk('firstkey');
    out.int(k.find.firstKey);
    out.bulk('keystep');
    out.int(k.find.keyStep);
  }
}

/** One COMMAND INFO entry (Redis's addReplyCommandInfo). */
function replyCommandInfo(out: ReplyWriter, spec: CommandSpec, parent: CommandSpec | null): void {
  out.arrayLen(10);
  out.bulk(fullName(spec, parent));
  out.int(spec.arity);
  const flags = shownFlags(spec);
  out.setLen(flags.length);
  for (const f of flags) out.simple(f);
  out.int(spec.firstKey);
  out.int(spec.lastKey);
  out.int(spec.step);
  const cats = aclCategories(spec);
  out.setLen(cats.length);
  for (const a of cats) out.simple(`@${a}`);
  const tips = spec.tips ?? [];
  out.setLen(tips.length);
  for (const t of tips) out.bulk(t);
  const specs = keySpecsOf(spec);
  out.setLen(specs.length);
  for (const k of specs) replyKeySpec(out, k);
  const subs = spec.subcommands ?? [];
  out.setLen(subs.length);
  for (const sub of subs) replyCommandInfo(out, sub, spec);
}

/** COMMAND (no subcommand): every command's INFO entry. */
function commandCommand(_c: Client, _argv: string[], s: ServerContext): void {
  replyAllInfo(s);
}

function replyAllInfo(s: ServerContext): void {
  const all = [...s.commands()];
  s.out.arrayLen(all.length);
  for (const spec of all) replyCommandInfo(s.out, spec, null);
}

/** COMMAND INFO [command-name ...] */
function commandInfoCommand(_c: Client, argv: string[], s: ServerContext): void {
  if (argv.length === 2) {
    replyAllInfo(s);
    return;
  }
  s.out.arrayLen(argv.length - 2);
  for (let i = 2; i < argv.length; i++) {
    const found = findByName(s, argv[i]!);
    if (found === null) s.out.nullBulk();
    else replyCommandInfo(s.out, found[0], found[1]);
  }
}

// ---- COMMAND DOCS --------------------------------------------------------------------------

function replyDocs(out: ReplyWriter, spec: CommandSpec): void {
  const subs = spec.subcommands ?? [];
  out.mapLen(subs.length > 0 ? 5 : 4);
  out.bulk('summary');
  out.bulk(spec.summary);
  out.bulk('since');
  out.bulk(spec.since);
  out.bulk('group');
  out.bulk(spec.group);
  out.bulk('complexity');
  out.bulk(spec.complexity);
  if (subs.length > 0) {
    out.bulk('subcommands');
    out.mapLen(subs.length);
    for (const sub of subs) {
      out.bulk(fullName(sub, spec));
      replyDocs(out, sub);
    }
  }
}

/** COMMAND DOCS [command-name ...]: a map of name → docs; unknown names are left out. */
function commandDocsCommand(_c: Client, argv: string[], s: ServerContext): void {
  const found: Array<[CommandSpec, CommandSpec | null]> = [];
  if (argv.length === 2) {
    for (const spec of s.commands()) found.push([spec, null]);
  } else {
    for (let i = 2; i < argv.length; i++) {
      const f = findByName(s, argv[i]!);
      if (f !== null) found.push(f);
    }
  }
  s.out.mapLen(found.length);
  for (const [spec, parent] of found) {
    s.out.bulk(fullName(spec, parent));
    replyDocs(s.out, spec);
  }
}

// ---- COMMAND COUNT / LIST ------------------------------------------------------------------

/** COMMAND COUNT */
function commandCountCommand(_c: Client, _argv: string[], s: ServerContext): void {
  s.out.int([...s.commands()].length);
}

/** COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern] */
function commandListCommand(_c: Client, argv: string[], s: ServerContext): void {
  let keep: (spec: CommandSpec, name: string) => boolean = () => true;
  if (argv.length === 5 && eqi(argv[2]!, 'filterby')) {
    const what = argv[3]!;
    const value = argv[4]!;
    if (eqi(what, 'module')) {
      keep = () => false; // no modules
    } else if (eqi(what, 'aclcat')) {
      const cat = value.toLowerCase();
      keep = (spec) => (aclCategories(spec) as string[]).includes(cat);
    } else if (eqi(what, 'pattern')) {
      keep = (_spec, name) => globMatch(value, name, true);
    } else {
      s.out.error(ERR_SYNTAX);
      return;
    }
  } else if (argv.length !== 2) {
    s.out.error(ERR_SYNTAX);
    return;
  }
  const names: string[] = [];
  for (const spec of s.commands()) {
    if (keep(spec, spec.name)) names.push(spec.name);
    for (const sub of spec.subcommands ?? []) {
      const n = fullName(sub, spec);
      if (keep(sub, n)) names.push(n);
    }
  }
  s.out.arrayLen(names.length);
  for (const n of names) s.out.bulk(n);
}

// ---- COMMAND GETKEYS / GETKEYSANDFLAGS -----------------------------------------------------

/**
 * The key arguments of a full command line, as [argv index, key spec] pairs, found by walking
 * the key specs as Redis's getKeysUsingKeySpecs does. `argv` starts at the command name.
 */
export function keyPositions(specs: readonly KeySpec[], argv: readonly string[]): Array<[number, KeySpec]> {
  const argc = argv.length;
  const out: Array<[number, KeySpec]> = [];
  for (const k of specs) {
    let first: number;
    if ('index' in k.begin) {
      first = k.begin.index;
    } else {
      const kw = k.begin.keyword.toLowerCase();
      const from = k.begin.startFrom;
      let at = -1;
      if (from >= 0) {
        for (let i = from; i < argc; i++) if (argv[i]!.toLowerCase() === kw) { at = i; break; }
      } else {
        for (let i = argc + from; i > 0; i--) if (argv[i]!.toLowerCase() === kw) { at = i; break; }
      }
      if (at < 0) continue;
      first = at + 1;
    }
    if (first >= argc) continue;
    let last: number;
    let step: number;
    if ('lastKey' in k.find) {
      const { lastKey, keyStep, limit } = k.find;
      step = keyStep;
      if (lastKey >= 0) last = first + lastKey;
      else if (limit <= 1) last = argc + lastKey;
      else last = first + Math.floor((argc - first) / limit) + lastKey;
    } else {
      const { keyNumIdx, firstKey, keyStep } = k.find;
      const n = parseInt64(argv[first + keyNumIdx] ?? '');
      if (n === null || typeof n === 'bigint' || n < 0) continue;
      step = keyStep;
      first += firstKey;
      last = first + (n - 1) * step;
    }
    if (step <= 0) step = 1;
    for (let i = first; i <= last && i < argc; i += step) out.push([i, k]);
  }
  return out;
}

/** Shared front of GETKEYS and GETKEYSANDFLAGS: the positions, or null after an error reply. */
function keysOrReply(argv: string[], s: ServerContext): [string[], Array<[number, KeySpec]>] | null {
  const cmdArgv = argv.slice(2);
  let spec = s.command(cmdArgv[0]!);
  if (spec !== undefined && spec.subcommands !== undefined && cmdArgv.length >= 2) {
    const subName = cmdArgv[1]!.toLowerCase();
    spec = spec.subcommands.find((x) => x.name === subName);
  }
  if (spec === undefined) {
    s.out.error('ERR Invalid command specified');
    return null;
  }
  const specs = keySpecsOf(spec);
  if (specs.length === 0) {
    s.out.error('ERR The command has no key arguments');
    return null;
  }
  const n = cmdArgv.length;
  if ((spec.arity > 0 && spec.arity !== n) || n < -spec.arity) {
    s.out.error('ERR Invalid number of arguments specified for command');
    return null;
  }
  const pos = keyPositions(specs, cmdArgv);
  if (pos.length === 0) {
    s.out.error('ERR Invalid arguments specified for command');
    return null;
  }
  return [cmdArgv, pos];
}

/** COMMAND GETKEYS command [arg ...] */
function commandGetkeysCommand(_c: Client, argv: string[], s: ServerContext): void {
  const r = keysOrReply(argv, s);
  if (r === null) return;
  const [cmdArgv, pos] = r;
  s.out.arrayLen(pos.length);
  for (const [i] of pos) s.out.bulk(cmdArgv[i]!);
}

/** COMMAND GETKEYSANDFLAGS command [arg ...]: [[key, [flag ...]] ...] */
function commandGetkeysandflagsCommand(_c: Client, argv: string[], s: ServerContext): void {
  const r = keysOrReply(argv, s);
  if (r === null) return;
  const [cmdArgv, pos] = r;
  s.out.arrayLen(pos.length);
  for (const [i, k] of pos) {
    s.out.arrayLen(2);
    s.out.bulk(cmdArgv[i]!);
    const flags = KEY_FLAG_ORDER.filter((f) => k.flags.includes(f));
    s.out.setLen(flags.length);
    for (const f of flags) s.out.simple(f);
  }
}

const HELP = [
  '(no subcommand)',
  '    Return details about all Redis commands.',
  'COUNT',
  '    Return the total number of commands in this Redis server.',
  'LIST',
  '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]',
  '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]',
  '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>',
  '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>',
  '    Return the keys and the access flags from a full Redis command.',
];

/** COMMAND HELP */
function commandHelpCommand(_c: Client, _argv: string[], s: ServerContext): void {
  replyHelp(s.out, 'command', HELP);
}

const SUB = { flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'server', acl: ['connection'] } as const;

export const commandCommands = [
  { name: 'command', arity: -1, ...SUB, since: '2.8.13', summary: 'Get array of Redis command details',
    complexity: 'O(N) where N is the total number of Redis commands', tips: ['nondeterministic_output_order'],
    handler: commandCommand,
    subcommands: [
      { name: 'count', arity: 2, ...SUB, since: '2.8.13', summary: 'Get total number of Redis commands', complexity: 'O(1)',
        handler: commandCountCommand },
      { name: 'docs', arity: -2, ...SUB, since: '7.0.0', summary: 'Get array of specific Redis command documentation',
        complexity: 'O(N) where N is the number of commands to look up', tips: ['nondeterministic_output_order'],
        handler: commandDocsCommand },
      { name: 'getkeys', arity: -4, ...SUB, since: '2.8.13', summary: 'Extract keys given a full Redis command',
        complexity: 'O(N) where N is the number of arguments to the command', handler: commandGetkeysCommand },
      { name: 'getkeysandflags', arity: -4, ...SUB, since: '7.0.0', summary: 'Extract keys and access flags given a full Redis command',
        complexity: 'O(N) where N is the number of arguments to the command', handler: commandGetkeysandflagsCommand },
      { name: 'help', arity: 2, ...SUB, since: '5.0.0', summary: 'Show helpful text about the different subcommands',
        complexity: 'O(1)', handler: commandHelpCommand },
      { name: 'info', arity: -2, ...SUB, since: '2.8.13',
        summary: 'Get array of specific Redis command details, or all when no argument is given.',
        complexity: 'O(N) where N is the number of commands to look up', tips: ['nondeterministic_output_order'],
        handler: commandInfoCommand },
      { name: 'list', arity: -2, ...SUB, since: '7.0.0', summary: 'Get an array of Redis command names',
        complexity: 'O(N) where N is the total number of Redis commands', tips: ['nondeterministic_output_order'],
        handler: commandListCommand },
    ],
  },
] as const satisfies readonly CommandSpec[];
