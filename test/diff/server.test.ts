/**
 * Differential suite for the server and introspection family: DBSIZE FLUSHDB FLUSHALL, CLIENT's
 * deterministic forms and errors, CONFIG GET of options whose defaults ringkv shares with
 * redis-server, CONFIG SET's error texts and atomicity, INFO's section selection, and COMMAND
 * INFO/DOCS/GETKEYS for commands whose Redis metadata ringkv reproduces exactly.
 *
 * Not compared here (see test/integration/server.test.ts): anything with clocks, ids, ports or
 * addresses in it (RESP3 too: HELLO's reply carries the client id), COMMAND COUNT/LIST (ringkv
 * implements fewer commands), HELP texts (ringkv lists only the subcommands it implements), and
 * orders Redis takes from a seeded hash table (CONFIG GET with several matches, subcommands).
 *
 * Scripts share one server pair, so a script that changes the configuration puts it back.
 */
import { diffSuite } from '../helpers/diff.ts';

diffSuite('server', {
  'DBSIZE': [['DBSIZE'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['DBSIZE'], ['SELECT', '1'], ['DBSIZE'], ['DBSIZE', 'x']],
  'FLUSHDB forms': [
    ['SET', 'a', '1'], ['SELECT', '1'], ['SET', 'b', '1'], ['SET', 'c', '1'],
    ['FLUSHDB', 'x'], ['FLUSHDB', 'a', 'b'], ['DBSIZE'],
    ['FLUSHDB', 'ASYNC'], ['DBSIZE'], ['SELECT', '0'], ['DBSIZE'],
    ['FLUSHDB', 'sync'], ['DBSIZE'], ['SET', 'a', '1'], ['flushdb'], ['GET', 'a'],
  ],
  'FLUSHALL forms': [
    ['SET', 'a', '1'], ['SELECT', '5'], ['SET', 'b', '1'],
    ['FLUSHALL', 'x'], ['FLUSHALL', 'sync', 'async'], ['DBSIZE'],
    ['FLUSHALL', 'Async'], ['DBSIZE'], ['SELECT', '0'], ['DBSIZE'],
    ['SET', 'a', '1'], ['FLUSHALL', 'SYNC'], ['DBSIZE'], ['FLUSHALL'], ['DBSIZE'],
  ],
  'TIME and DBSIZE arity': [['TIME', 'x'], ['DBSIZE', 'x']],
  'CLIENT SETNAME / GETNAME': [
    ['CLIENT', 'GETNAME'], ['CLIENT', 'SETNAME', 'conn-1'], ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', 'a b'], ['CLIENT', 'SETNAME', 'a\nb'], ['CLIENT', 'SETNAME', 'caf\xe9'], ['CLIENT', 'GETNAME'],
    ['CLIENT', 'SETNAME', ''], ['CLIENT', 'GETNAME'],
    ['client', 'setname', 'x', 'y'], ['CLIENT', 'SETNAME'], ['CLIENT', 'GETNAME', 'x'],
  ],
  'CLIENT arity and unknown subcommands': [
    ['CLIENT'], ['CLIENT', 'ID', 'x'], ['CLIENT', 'INFO', 'x'], ['CLIENT', 'HELP', 'x'], ['CLIENT', 'KILL'],
    ['CLIENT', 'NOSUCH'], ['client', 'Foo', 'bar'],
  ],
  'CLIENT KILL errors and no-match forms': [
    ['CLIENT', 'KILL', '1.2.3.4:5'], ['CLIENT', 'KILL', 'ID'],
    ['CLIENT', 'KILL', 'ID', 'x'], ['CLIENT', 'KILL', 'ID', '0'], ['CLIENT', 'KILL', 'ID', '-1'],
    ['CLIENT', 'KILL', 'ID', '18446744073709551615'], ['CLIENT', 'KILL', 'ID', '9223372036854775807'],
    ['CLIENT', 'KILL', 'ID', '999999'], ['CLIENT', 'KILL', 'ID', '1', 'ID'],
    ['CLIENT', 'KILL', 'TYPE', 'foo'], ['CLIENT', 'KILL', 'TYPE', 'pubsub'], ['CLIENT', 'KILL', 'TYPE', 'master'],
    ['CLIENT', 'KILL', 'TYPE', 'slave'], ['CLIENT', 'KILL', 'TYPE', 'REPLICA'],
    ['CLIENT', 'KILL', 'USER', 'bob'], ['CLIENT', 'KILL', 'SKIPME', 'maybe'], ['CLIENT', 'KILL', 'FOO', 'bar'],
    ['CLIENT', 'KILL', 'MAXAGE', '10'], ['CLIENT', 'KILL', 'ADDR', '1.1.1.1:1'], ['CLIENT', 'KILL', 'ADDR', 'a', 'b'],
    ['CLIENT', 'KILL', 'LADDR', '1.1.1.1:1', 'ID', '999999'], ['CLIENT', 'KILL', 'ADDR', '1.1.1.1:1', 'SKIPME', 'no'],
  ],
  'CLIENT LIST filters that match nothing, and errors': [
    ['CLIENT', 'LIST', 'TYPE', 'foo'], ['CLIENT', 'LIST', 'TYPE'], ['CLIENT', 'LIST', 'TYPE', 'normal', 'x'],
    ['CLIENT', 'LIST', 'TYPE', 'replica'], ['CLIENT', 'LIST', 'TYPE', 'slave'], ['CLIENT', 'LIST', 'type', 'PUBSUB'],
    ['CLIENT', 'LIST', 'TYPE', 'master'],
    ['CLIENT', 'LIST', 'ID'], ['CLIENT', 'LIST', 'ID', 'x'], ['CLIENT', 'LIST', 'ID', '1', 'x'],
    ['CLIENT', 'LIST', 'ID', '99999999999999999999'], ['CLIENT', 'LIST', 'ID', '999999', '-1', '0'],
    ['CLIENT', 'LIST', 'ID', '1', 'TYPE', 'normal'], ['CLIENT', 'LIST', 'TYPE', 'normal', 'ID', '1'],
    ['CLIENT', 'LIST', 'foo'],
  ],
  'CONFIG GET of options with the same defaults': [
    ['CONFIG', 'GET', 'databases'], ['CONFIG', 'GET', 'timeout'], ['CONFIG', 'GET', 'maxclients'],
    ['CONFIG', 'GET', 'hz'], ['CONFIG', 'GET', 'tcp-backlog'], ['CONFIG', 'GET', 'tcp-keepalive'],
    ['CONFIG', 'GET', 'proto-max-bulk-len'], ['CONFIG', 'GET', 'client-query-buffer-limit'],
    ['CONFIG', 'GET', 'loglevel'], ['CONFIG', 'GET', 'dbfilename'],
    ['CONFIG', 'GET', 'save'], ['CONFIG', 'GET', 'appendonly'], ['CONFIG', 'GET', 'daemonize'],
    ['CONFIG', 'GET', 'protected-mode'], ['CONFIG', 'GET', 'requirepass'], ['CONFIG', 'GET', 'logfile'],
  ],
  'CONFIG GET name forms': [
    ['CONFIG', 'GET', 'TIMEOUT'], ['CONFIG', 'GET', 'Timeout'], ['CONFIG', 'GET', 'time?ut'], ['CONFIG', 'GET', '[h]z'],
    ['CONFIG', 'GET', 'timeout', 'TIMEOUT'], ['CONFIG', 'GET', 'TIME*', 'timeout'], ['CONFIG', 'GET', 'nosuch'],
    ['CONFIG', 'GET', 'nosuch*'], ['CONFIG', 'GET'],
  ],
  'CONFIG SET errors': [
    ['CONFIG', 'SET'], ['CONFIG', 'SET', 'x'], ['CONFIG', 'SET', 'timeout'], ['CONFIG', 'SET', 'x', 'y'],
    ['CONFIG', 'SET', 'timeout', '1', 'hz'], ['CONFIG', 'SET', 'timeout', 'abc'], ['CONFIG', 'SET', 'timeout', '-1'],
    ['CONFIG', 'SET', 'timeout', '01'], ['CONFIG', 'SET', 'timeout', '+1'], ['CONFIG', 'SET', 'timeout', '1.5'],
    ['CONFIG', 'SET', 'timeout', ''], ['CONFIG', 'SET', 'timeout', '2147483648'],
    ['CONFIG', 'SET', 'maxclients', '0'], ['CONFIG', 'SET', 'maxclients', '4294967296'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '1'], ['CONFIG', 'SET', 'proto-max-bulk-len', '1kb'],
    ['CONFIG', 'SET', 'protected-mode', 'maybe'],
    ['CONFIG', 'SET', 'databases', '4'], ['CONFIG', 'SET', 'io-threads', '4'], ['CONFIG', 'SET', 'daemonize', 'no'],
    ['CONFIG', 'SET', 'timeout', '5', 'timeout', '6'], ['CONFIG', 'SET', 'timeout', '0', 'TIMEOUT', '1'],
    ['CONFIG', 'SET', 'timeout', 'abc', 'x', 'y'], ['CONFIG', 'SET', 'databases', '4', 'x', 'y'],
    ['CONFIG', 'SET', 'timeout', 'abc', 'databases', '4'], ['CONFIG', 'SET', 'x', 'y', 'timeout', '5', 'timeout', '6'],
  ],
  'CONFIG SET is all or nothing': [
    ['CONFIG', 'SET', 'timeout', '5', 'hz', 'x'], ['CONFIG', 'GET', 'timeout'],
    ['CONFIG', 'SET', 'timeout', '5', 'x', 'y'], ['CONFIG', 'GET', 'timeout'],
    ['CONFIG', 'SET', 'timeout', '5', 'databases', '4'], ['CONFIG', 'GET', 'timeout'],
    ['CONFIG', 'SET', 'Timeout', '7', 'tcp-keepalive', '100'], ['CONFIG', 'GET', 'timeout'], ['CONFIG', 'GET', 'tcp-keepalive'],
    ['CONFIG', 'SET', 'timeout', '0', 'tcp-keepalive', '300'], ['CONFIG', 'GET', 'timeout'],
  ],
  'CONFIG SET normalises values': [
    ['CONFIG', 'SET', 'protected-mode', 'YES'], ['CONFIG', 'GET', 'protected-mode'],
    ['CONFIG', 'SET', 'loglevel', 'NOTICE'], ['CONFIG', 'GET', 'loglevel'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '2mb'], ['CONFIG', 'GET', 'proto-max-bulk-len'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '1gb'], ['CONFIG', 'GET', 'proto-max-bulk-len'],
    ['CONFIG', 'SET', 'proto-max-bulk-len', '536870912'],
    ['CONFIG', 'SET', 'hz', '0'], ['CONFIG', 'GET', 'hz'], ['CONFIG', 'SET', 'hz', '1000'], ['CONFIG', 'GET', 'hz'],
    ['CONFIG', 'SET', 'hz', '10'], ['CONFIG', 'GET', 'hz'],
  ],
  // Errors replied by handlers; refusals before a handler runs are compared in the integration suite.
  'CONFIG RESETSTAT, and errorstats after it': [
    ['CONFIG', 'RESETSTAT', 'x'], ['CONFIG', 'RESETSTAT'], ['INFO', 'errorstats'],
    ['CONFIG', 'SET', 'x', 'y'], ['CLIENT', 'KILL', 'ID', 'x'], ['CLIENT', 'KILL', 'USER', 'bob'], ['INFO', 'errorstats'],
  ],
  'INFO section selection': [
    ['INFO', 'foo'], ['INFO', 'cluster'], ['INFO', 'CLUSTER'], ['INFO', 'foo', 'cluster'], ['INFO', 'modules'],
    ['INFO', 'keyspace'], ['SET', 'a', '1'], ['SET', 'b', '2'], ['SELECT', '3'], ['SET', 'c', '3'], ['INFO', 'keyspace'],
    ['INFO', 'keyspace', 'cluster'], ['INFO', 'cluster', 'keyspace', 'cluster'],
  ],
  'COMMAND INFO for commands whose metadata we reproduce': [
    ['COMMAND', 'INFO', 'get'], ['COMMAND', 'INFO', 'GET'],
    ['COMMAND', 'INFO', 'dbsize', 'flushdb', 'flushall', 'time', 'info'],
    ['COMMAND', 'INFO', 'client|list', 'client|id', 'client|kill', 'client|setname', 'client|getname', 'client|info'],
    ['COMMAND', 'INFO', 'config|get', 'config|set', 'config|resetstat', 'command|docs', 'command|info', 'command|getkeys'],
    ['COMMAND', 'INFO', 'nosuch', 'get'], ['COMMAND', 'INFO', 'client|nosuch'], ['COMMAND', 'INFO', 'client|list|x'],
  ],
  'COMMAND DOCS for commands whose docs we reproduce': [
    ['COMMAND', 'DOCS', 'dbsize', 'time'], ['COMMAND', 'DOCS', 'nosuch'],
    ['COMMAND', 'DOCS', 'client|id', 'client|getname', 'client|info', 'config|resetstat', 'command|count', 'command|help'],
    ['COMMAND', 'DOCS', 'dbsize', 'dbsize'],
  ],
  'COMMAND GETKEYS': [
    ['COMMAND', 'GETKEYS', 'get', 'a'], ['COMMAND', 'GETKEYS', 'GET', 'a'], ['COMMAND', 'GETKEYS', 'set', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'ping', 'x'], ['COMMAND', 'GETKEYS', 'nosuch', 'x'], ['COMMAND', 'GETKEYS', 'get', 'a', 'b'],
    ['COMMAND', 'GETKEYS', 'set', 'a'], ['COMMAND', 'GETKEYS', 'get'], ['COMMAND', 'GETKEYS'],
    ['COMMAND', 'GETKEYS', 'client', 'list'], ['COMMAND', 'GETKEYS', 'client', 'nosuch'],
    ['COMMAND', 'GETKEYS', 'config', 'get', 'x'], ['COMMAND', 'GETKEYSANDFLAGS', 'get', 'a'],
  ],
  'COMMAND errors': [
    ['COMMAND', 'COUNT', 'x'], ['COMMAND', 'LIST', 'x'], ['COMMAND', 'LIST', 'FILTERBY'],
    ['COMMAND', 'LIST', 'FILTERBY', 'foo', 'x'], ['COMMAND', 'LIST', 'FILTERBY', 'pattern', 'a', 'b'],
    ['COMMAND', 'LIST', 'FILTERBY', 'module', 'x'], ['COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'nosuch'],
    ['COMMAND', 'LIST', 'FILTERBY', 'pattern', 'client|l*'], ['COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'CLIENT|L*'],
    ['COMMAND', 'foo'], ['COMMAND', 'HELP', 'x'], ['COMMAND', 'DOCS', 'nosuch', 'nosuch2'],
  ],
});
