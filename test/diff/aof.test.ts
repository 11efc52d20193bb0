/**
 * BGREWRITEAOF and the AOF options against redis-server 7.0, byte for byte: COMMAND INFO/DOCS,
 * the arity error, CONFIG GET of every AOF option and CONFIG SET's refusals (immutable names,
 * enum and range errors, aof-timestamp-enabled). Both servers run with appendonly no.
 */
import { diffSuite } from '../helpers/diff.ts';

diffSuite('aof', {
  'BGREWRITEAOF spec': [['COMMAND', 'INFO', 'bgrewriteaof'], ['COMMAND', 'DOCS', 'bgrewriteaof'], ['BGREWRITEAOF', 'x'], ['bgrewriteaof', 'a', 'b']],
  'AOF options': [
    ['CONFIG', 'GET', 'appendonly'], ['CONFIG', 'GET', 'appendfilename'], ['CONFIG', 'GET', 'appenddirname'], ['CONFIG', 'GET', 'appendfsync'],
    ['CONFIG', 'GET', 'no-appendfsync-on-rewrite'], ['CONFIG', 'GET', 'auto-aof-rewrite-percentage'], ['CONFIG', 'GET', 'auto-aof-rewrite-min-size'],
    ['CONFIG', 'GET', 'aof-load-truncated'], ['CONFIG', 'GET', 'aof-use-rdb-preamble'], ['CONFIG', 'GET', 'aof-timestamp-enabled'],
  ],
  'AOF option errors': [
    ['CONFIG', 'SET', 'appendfilename', 'x.aof'], ['CONFIG', 'SET', 'appenddirname', 'd'], ['CONFIG', 'SET', 'appendfsync', 'sometimes'],
    ['CONFIG', 'SET', 'appendfsync', 'ALWAYS'], ['CONFIG', 'GET', 'appendfsync'], ['CONFIG', 'SET', 'appendfsync', 'everysec'],
    ['CONFIG', 'SET', 'auto-aof-rewrite-percentage', '-1'], ['CONFIG', 'SET', 'auto-aof-rewrite-percentage', '50'],
    ['CONFIG', 'GET', 'auto-aof-rewrite-percentage'], ['CONFIG', 'SET', 'auto-aof-rewrite-min-size', '1mb'], ['CONFIG', 'GET', 'auto-aof-rewrite-min-size'],
    ['CONFIG', 'SET', 'auto-aof-rewrite-min-size', 'lots'], ['CONFIG', 'SET', 'aof-load-truncated', 'maybe'], ['CONFIG', 'SET', 'appendonly', 'perhaps'],
    ['CONFIG', 'SET', 'no-appendfsync-on-rewrite', 'yes'], ['CONFIG', 'GET', 'no-appendfsync-on-rewrite'],
  ],
});
