/**
 * Server and introspection commands: INFO CLIENT CONFIG COMMAND DBSIZE FLUSHDB FLUSHALL TIME.
 */

import type { CommandSpec } from './types.ts';

export const serverCommands = [
] as const satisfies readonly CommandSpec[];
