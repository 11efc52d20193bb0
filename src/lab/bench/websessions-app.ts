/**
 * The web-sessions scenario's application: a node:http app keeping its sessions in a
 * Redis-compatible server, run as a cluster of `apps` processes sharing one port (Node's
 * cluster module: the primary accepts, workers serve) — the scale-out story of the seeds: any
 * app process can serve any user because the session lives in the shared server.
 *
 *   node src/lab/bench/websessions-app.ts REDIS_HOST REDIS_PORT APPS
 *
 * GET /s/<sid>: HGETALL session:<sid>; on a first visit HSET user/created; then HINCRBY hits and
 * EXPIRE 1800 (pipelined); answers {"sid","hits","pid"} as JSON. Prints `listening <port>` once
 * every worker listens. Exits on SIGTERM.
 */

import cluster from 'node:cluster';
import http from 'node:http';
import { RespConn, RespError } from './resp.ts';

const [host = '127.0.0.1', portText = '6379', appsText = '2'] = process.argv.slice(2);
const apps = Number(appsText);

if (cluster.isPrimary) {
  let ready = 0;
  let port = 0;
  const server = http.createServer();
  // Pick a free port first, then let every worker listen on it.
  server.listen(0, '127.0.0.1', () => {
    port = (server.address() as { port: number }).port;
    server.close(() => {
      for (let i = 0; i < apps; i++) cluster.fork({ WEB_PORT: String(port) });
    });
  });
  cluster.on('listening', () => {
    if (++ready === apps) process.stdout.write(`listening ${port}\n`);
  });
  cluster.on('exit', (_w, code) => {
    if (code !== 0 && !stopping) process.stderr.write(`web-sessions worker exited ${code}\n`);
  });
  let stopping = false;
  process.on('SIGTERM', () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
    process.exit(0);
  });
} else {
  const db = await RespConn.connect(host, Number(portText));
  const server = http.createServer(async (req, res) => {
    const sid = /^\/s\/(\w+)/.exec(req.url ?? '')?.[1];
    if (sid === undefined) {
      res.writeHead(404).end();
      return;
    }
    const key = `session:${sid}`;
    try {
      const fields = await db.call('HGETALL', key);
      if (fields instanceof RespError) throw new Error(fields.message);
      const first = Array.isArray(fields) && fields.length === 0;
      const writes = [
        ...(first ? [db.call('HSET', key, 'user', sid, 'created', Date.now())] : []),
        db.call('HINCRBY', key, 'hits', 1),
        db.call('EXPIRE', key, 1800),
      ];
      const results = await Promise.all(writes);
      const hits = results[first ? 1 : 0];
      if (typeof hits !== 'number') throw new Error(`HINCRBY: ${String(hits)}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sid, hits, pid: process.pid }));
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });
  server.listen(Number(process.env.WEB_PORT), '127.0.0.1');
  process.on('SIGTERM', () => process.exit(0));
}
