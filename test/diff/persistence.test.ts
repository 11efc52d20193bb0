/**
 * Differential suite for the RDB persistence commands and options, against redis-server: the
 * command metadata (COMMAND INFO), argument errors, SAVE refused inside MULTI, and the `save`
 * option's syntax and checks through CONFIG SET/GET.
 *
 * Nothing here saves successfully: the two servers' working directories differ (redis-server's
 * is /tmp), and a diff suite must not leave files behind. Real saves and loads are compared in
 * test/integration/rdb.test.ts.
 */
import { diffSuite } from '../helpers/diff.ts';

diffSuite('persistence', {
  'COMMAND INFO': [['COMMAND', 'INFO', 'save', 'bgsave', 'lastsave']],
  'argument errors': [['SAVE', 'x'], ['BGSAVE', 'foo'], ['BGSAVE', 'SCHEDULE', 'x'], ['BGSAVE', 'a', 'b'], ['LASTSAVE', 'x']],
  'SAVE inside MULTI': [['MULTI'], ['SAVE'], ['SET', 'a', '1'], ['EXEC'], ['GET', 'a']],
  'save points through CONFIG SET': [
    ['CONFIG', 'GET', 'save'],
    ['CONFIG', 'SET', 'save', '900 1 300 10'], ['CONFIG', 'GET', 'save'],
    ['CONFIG', 'SET', 'save', '0100 +2'], ['CONFIG', 'GET', 'save'],
    ['CONFIG', 'SET', 'save', '100'], ['CONFIG', 'SET', 'save', '100 x'], ['CONFIG', 'SET', 'save', '0 5'],
    ['CONFIG', 'SET', 'save', '-1 1'], ['CONFIG', 'SET', 'save', '5 -1'], ['CONFIG', 'SET', 'save', ' 100  2 '],
    ['CONFIG', 'SET', 'save', '100  '], ['CONFIG', 'GET', 'save'],
    ['CONFIG', 'SET', 'save', ''], ['CONFIG', 'GET', 'save'],
  ],
  'RDB options': [
    ['CONFIG', 'GET', 'rdbcompression'], ['CONFIG', 'GET', 'rdbchecksum'], ['CONFIG', 'GET', 'stop-writes-on-bgsave-error'],
    ['CONFIG', 'GET', 'dbfilename'],
    ['CONFIG', 'SET', 'rdbchecksum', 'no'], ['CONFIG', 'SET', 'rdbcompression', 'maybe'],
    ['CONFIG', 'SET', 'rdbcompression', 'no'], ['CONFIG', 'GET', 'rdbcompression'], ['CONFIG', 'SET', 'rdbcompression', 'yes'],
    ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'no'], ['CONFIG', 'GET', 'stop-writes-on-bgsave-error'],
    ['CONFIG', 'SET', 'stop-writes-on-bgsave-error', 'yes'],
  ],
});
