/**
 * CONFIG GET / SET / RESETSTAT / HELP over the option table of src/config/config.ts.
 *
 * Contract
 * - CONFIG GET takes several patterns; a name without glob characters is looked up exactly and
 *   answered under the spelling it was asked with, a pattern matches option names without
 *   regard to case; each option appears once (Redis 7.0's configGetCommand). The reply is a
 *   map (a flat array in RESP2), in our table's order where Redis uses its hash order.
 * - CONFIG SET is all or nothing: every name is checked first (unknown, immutable, duplicate,
 *   in argument order), then every value, and only when all are valid are they applied. The
 *   Config object's change listeners apply them to the running server.
 * - CONFIG REWRITE is not implemented (ringkv does not track the file it was started with).
 */

import { optionSpec, OPTIONS, parseValue, type OptionName, type OptionSpec } from '../config/config.ts';
import { cstr } from '../protocol/preflight.ts';
import { globMatch } from '../store/glob.ts';
import { replyHelp } from './server.ts';
import type { Client, CommandSpec, ServerContext } from './types.ts';
import { ERR_SYNTAX } from './util.ts';

/** The value CONFIG GET shows for an option's stored value. */
function shown(spec: OptionSpec, v: string): string {
  return spec.show?.(v) ?? v;
}

/** CONFIG GET parameter [parameter ...] */
function configGetCommand(_c: Client, argv: string[], s: ServerContext): void {
  // Lower-case option name → [name to answer with, value].
  const found = new Map<string, [string, string]>();
  for (let i = 2; i < argv.length; i++) {
    const pattern = argv[i]!;
    if (!/[[*?]/.test(pattern)) {
      const spec = optionSpec(pattern);
      if (spec !== undefined && !found.has(spec.name)) {
        found.set(spec.name, [pattern, shown(spec, s.config.get(spec.name as OptionName))]);
      }
      continue;
    }
    for (const o of OPTIONS) {
      if (!found.has(o.name) && globMatch(pattern, o.name, true)) found.set(o.name, [o.name, shown(o, s.config.get(o.name))]);
    }
  }
  s.out.mapLen(found.size);
  for (const [name, value] of found.values()) {
    s.out.bulk(name);
    s.out.bulk(value);
  }
}

function setFailed(arg: string, why: string): string {
  return `ERR CONFIG SET failed (possibly related to argument '${arg}') - ${why}`;
}

/** CONFIG SET parameter value [parameter value ...] */
function configSetCommand(_c: Client, argv: string[], s: ServerContext): void {
  if ((argv.length & 1) !== 0) {
    s.out.error(ERR_SYNTAX);
    return;
  }
  const specs: OptionSpec[] = [];
  for (let i = 2; i < argv.length; i += 2) {
    const arg = argv[i]!;
    const spec = optionSpec(arg);
    if (spec === undefined) {
      // Redis formats these with %s: a NUL byte ends the name.
      s.out.error(`ERR Unknown option or number of arguments for CONFIG SET - '${cstr(arg)}'`);
      return;
    }
    if (!spec.mutable) {
      s.out.error(setFailed(arg, "can't set immutable config"));
      return;
    }
    if (specs.includes(spec)) {
      s.out.error(setFailed(arg, 'duplicate parameter'));
      return;
    }
    specs.push(spec);
  }
  const values: string[] = [];
  for (let j = 0; j < specs.length; j++) {
    const [v, err] = parseValue(specs[j]!, argv[3 + 2 * j]!);
    if (err !== null) {
      s.out.error(setFailed(argv[2 + 2 * j]!, err));
      return;
    }
    values.push(v);
  }
  for (let j = 0; j < specs.length; j++) s.config.set(specs[j]!.name as OptionName, values[j]!);
  s.out.ok();
}

/** CONFIG RESETSTAT */
function configResetstatCommand(_c: Client, _argv: string[], s: ServerContext): void {
  s.resetStats();
  s.out.ok();
}

const HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
];

/** CONFIG HELP */
function configHelpCommand(_c: Client, _argv: string[], s: ServerContext): void {
  replyHelp(s.out, 'config', HELP);
}

const SUB = { firstKey: 0, lastKey: 0, step: 0, group: 'server' } as const;
const ADMIN_FLAGS = ['admin', 'noscript', 'loading', 'stale'] as const;

export const configCommands = [
  { name: 'config', arity: -2, flags: [], ...SUB, since: '2.0.0', summary: 'A container for server configuration commands',
    complexity: 'Depends on subcommand.',
    subcommands: [
      { name: 'get', arity: -3, flags: ADMIN_FLAGS, ...SUB, since: '2.0.0', summary: 'Get the values of configuration parameters',
        complexity: 'O(N) when N is the number of configuration parameters provided', handler: configGetCommand },
      { name: 'help', arity: 2, flags: ['loading', 'stale'], ...SUB, since: '5.0.0',
        summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', handler: configHelpCommand },
      { name: 'resetstat', arity: 2, flags: ADMIN_FLAGS, ...SUB, since: '2.0.0', summary: 'Reset the stats returned by INFO',
        complexity: 'O(1)', handler: configResetstatCommand },
      { name: 'set', arity: -4, flags: ADMIN_FLAGS, ...SUB, since: '2.0.0', summary: 'Set configuration parameters to the given values',
        complexity: 'O(N) when N is the number of configuration parameters provided',
        tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'], handler: configSetCommand },
    ],
  },
] as const satisfies readonly CommandSpec[];
