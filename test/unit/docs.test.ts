/**
 * docs/commands.md and docs/config.md are generated from the command and option tables
 * (src/commands/docs.ts). This fails while the committed files differ from what the tables
 * produce: run `npm run docs` and commit the result.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { commandsMarkdown, configMarkdown } from '../../src/commands/docs.ts';
import { COMMANDS } from '../../src/commands/table.ts';
import { OPTIONS } from '../../src/config/config.ts';
import { ROOT } from '../helpers/servers.ts';

function committed(name: string): string {
  return readFileSync(path.join(ROOT, 'docs', name), 'utf8');
}

test('docs/commands.md is up to date with the command table (npm run docs)', () => {
  expect(committed('commands.md')).toBe(commandsMarkdown());
});

test('docs/config.md is up to date with the option table (npm run docs)', () => {
  expect(committed('config.md')).toBe(configMarkdown());
});

test('every command and option appears in the generated docs', () => {
  const commands = commandsMarkdown();
  for (const spec of COMMANDS) {
    expect(commands).toContain(`| \`${spec.name.toUpperCase()}\` |`);
    for (const sub of spec.subcommands ?? []) {
      expect(commands).toContain(`| \`${spec.name.toUpperCase()} ${sub.name.toUpperCase()}\` |`);
    }
  }
  const config = configMarkdown();
  for (const o of OPTIONS) expect(config).toContain(`| \`${o.name}\` |`);
});
