import { diffSuite } from '../helpers/diff.ts';

diffSuite('connection', {
  'PING and ECHO': [['PING'], ['PING', 'hello'], ['PING', 'a', 'b'], ['ECHO', 'x'], ['ECHO'], ['echo', '']],
  'unknown commands': [['NOSUCH'], ['nosuch', 'a', 'b\r\nc'], ['FOO', 'x'.repeat(200), 'y']],
  'SELECT': [['SELECT', '1'], ['SET', 'a', '1'], ['SELECT', '0'], ['GET', 'a'], ['SELECT', '16'], ['SELECT', '-1'], ['SELECT', 'x'], ['SELECT', '1'], ['GET', 'a']],
  'AUTH without a password': [['AUTH', 'x'], ['AUTH', 'default', 'x'], ['AUTH', 'bob', 'x'], ['AUTH', 'a', 'b', 'c']],
  'HELLO': [['HELLO', '4'], ['HELLO', 'x'], ['HELLO', '2', 'FOO'], ['HELLO', '2', 'SETNAME', 'a b']],
});
