/**
 * The checks Redis makes before a command runs that need only the *shape* of the command table
 * (names, subcommand names, arities): unknown command, unknown subcommand, wrong number of
 * arguments. Redis 7.0 makes them in that order, before authentication (server.c,
 * processCommand).
 *
 * Contract
 * - One source for the error texts: the executor uses them, and so does a threaded-I/O worker,
 *   which answers these errors itself so that they never reach the executor. The worker cannot
 *   load the command table (it loads protocol and ring code only), so it receives a
 *   `CommandShapes` built from the table at start-up.
 * - Texts follow Redis's formatting: arguments cut at their first NUL byte (Redis formats them
 *   with %s), names and argument lists bounded to 128 characters.
 *
 * Imports nothing of ours.
 */

/** What preflight needs to know of one command: its arity, and its subcommands' arities. */
export interface CommandShape {
  /** n: exactly n arguments including the name; -n: at least n. */
  readonly arity: number;
  /** Lower-case subcommand name → arity; null for a plain command. */
  readonly subcommands: ReadonlyMap<string, number> | null;
}

/** Lower-case and upper-case command names → shape (both, so lookups rarely fold case). */
export type CommandShapes = ReadonlyMap<string, CommandShape>;

/** As C's %s prints it: up to the first NUL byte. */
export function cstr(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

export function unknownCommandError(argv: readonly string[]): string {
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${cstr(argv[i]!).slice(0, 128 - args.length)}' `;
  }
  return `ERR unknown command '${cstr(argv[0]!).slice(0, 128)}', with args beginning with: ${args}`;
}

export function unknownSubcommandError(argv: readonly string[]): string {
  return `ERR unknown subcommand '${cstr(argv[1]!).slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`;
}

/**
 * `fullName` is "get", or "client|setname" for a subcommand. EXEC refused leaves MULTI and
 * says why (Redis's execCommandAbort; src/engine/multi.ts, rejection).
 */
export function arityError(fullName: string): string {
  const text = `wrong number of arguments for '${fullName}' command`;
  return fullName === 'exec' ? `EXECABORT Transaction discarded because of: ${text}` : `ERR ${text}`;
}

export function arityOk(arity: number, argc: number): boolean {
  return arity > 0 ? argc === arity : argc >= -arity;
}

/**
 * A command named `host:` or `POST` (any case) is an HTTP request sent to the server, maybe a
 * cross-protocol attack: Redis 7.0 checks for it before anything else (processCommand), logs
 * SECURITY_WARNING (at most once a minute) and closes the connection at once, with no reply,
 * not even to the commands before it in the same read (freeClientAsync drops pending output).
 */
export function isSecurityWarning(name: string): boolean {
  if (name.length === 4) return name.toLowerCase() === 'post';
  return name.length === 5 && name.toLowerCase() === 'host:';
}

/** Redis's log line for it (LL_WARNING). */
export const SECURITY_WARNING = 'Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: ' +
  'commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise ' +
  'your Redis instance. Connection aborted.';

/** What preflight() returns for such a command: not an error text (those are never empty). */
export const CLOSE_SILENTLY = '';

/** QUIT is answered before lookup, with any arguments (Redis 7.0). */
export function isQuit(name: string): boolean {
  return name.length === 4 && name.toLowerCase() === 'quit';
}

/**
 * The preflight error for `argv`, or null when the command may go on to the executor.
 * QUIT passes (the executor answers it). `host:` and `POST` give CLOSE_SILENTLY: the caller
 * sends the command on (the executor logs it and drops the client) and closes the connection
 * itself without a reply.
 */
export function preflight(shapes: CommandShapes, argv: readonly string[]): string | null {
  const name = argv[0]!;
  const shape = shapes.get(name) ?? shapes.get(name.toLowerCase());
  if (shape === undefined) {
    if (isQuit(name)) return null;
    return isSecurityWarning(name) ? CLOSE_SILENTLY : unknownCommandError(argv);
  }
  if (shape.subcommands !== null && argv.length >= 2) {
    const sub = argv[1]!.toLowerCase();
    const arity = shape.subcommands.get(sub);
    if (arity === undefined) return unknownSubcommandError(argv);
    return arityOk(arity, argv.length) ? null : arityError(`${name.toLowerCase()}|${sub}`);
  }
  return arityOk(shape.arity, argv.length) ? null : arityError(name.toLowerCase());
}
