/**
 * INFO [section ...]: the server's state as "field:value" lines under "# Section" headers, with
 * Redis 7.0.15's section names, field names and field order, so tools that parse INFO
 * (redis-cli, redis-benchmark, exporters, client libraries) find what they look for.
 *
 * Contract
 * - Sections, in output order: server clients memory persistence stats replication cpu modules
 *   commandstats errorstats cluster keyspace, then the sections the engine adds from outside
 *   the command layer (ServerContext.extraInfo(), e.g. the threaded front-end's "threads").
 *   No arguments or "default" = all but commandstats; "all" and "everything" = all. Section
 *   names are case-insensitive; unknown ones are ignored (an empty reply if nothing matched).
 * - Lines end in CRLF and sections are separated by an empty line. The reply is a bulk string
 *   in RESP2 and verbatim text in RESP3.
 * - Values are real where ringkv has them and honest where it does not: no persistence, no
 *   replication, no Lua, no modules, no eviction, so those counters are zero and statuses
 *   "ok". Memory is the V8 heap plus external (Buffer) memory, not an allocator's count.
 * - Omitted: the "latencystats" section (ringkv keeps no latency histograms).
 */

import { usedMemory } from '../lib/memory.ts';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REDIS_COMPAT_VERSION } from './connection.ts';
import type { Client, CommandSpec, ServerContext } from './types.ts';

/** ringkv's own version: package.json is the one place it is written. */
export const RINGKV_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Redis's run_id and master_replid: random per process, 40 hex digits. */
const RUN_ID = randomBytes(20).toString('hex');
const REPL_ID = randomBytes(20).toString('hex');

interface Memory {
  used: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
}

function memoryNow(): Memory {
  const m = process.memoryUsage();
  // The figure maxmemory is checked against (src/lib/memory.ts): heapUsed + external.
  return { used: usedMemory(), rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed };
}

/** Memory used once the modules are loaded, before any data: Redis's used_memory_startup. */
const STARTUP_MEMORY = memoryNow().used;
let peakMemory = STARTUP_MEMORY;

/** Redis's bytesToHuman: B under 1 KiB, then K M G T P with two decimals. */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let d = n / 1024;
  for (let i = 0; i < units.length; i++) {
    if (d < 1024 || i === units.length - 1) return `${d.toFixed(2)}${units[i]}`;
    d /= 1024;
  }
  return `${n}B`;
}

function ratio(a: number, b: number): string {
  return (b === 0 ? 0 : a / b).toFixed(2);
}

/** What a section's lines are computed from; `c` is the client asking (for the bound port). */
interface InfoContext {
  readonly s: ServerContext;
  readonly c: Client;
}

function serverSection({ s, c }: InfoContext): string[] {
  const uptime = Math.floor((Date.now() - s.startedAt) / 1000);
  const hz = s.config.int('hz');
  // With `port 0` the OS chose the port; the asking client's local address names it.
  let port = s.config.int('port');
  if (port === 0) port = Number(/:(\d+)$/.exec(c.laddr)?.[1] ?? 0);
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  return [
    `redis_version:${REDIS_COMPAT_VERSION}`,
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_build_id:0',
    'redis_mode:standalone',
    `os:${os.type()} ${os.release()} ${os.machine()}`,
    `arch_bits:${process.arch.endsWith('64') ? 64 : 32}`,
    'monotonic_clock:POSIX clock_gettime',
    `multiplexing_api:${process.platform === 'linux' ? 'epoll' : process.platform === 'win32' ? 'iocp' : 'kqueue'}`,
    'atomicvar_api:c11-builtin',
    'gcc_version:0.0.0',
    `process_id:${process.pid}`,
    'process_supervised:no',
    `run_id:${RUN_ID}`,
    `tcp_port:${port}`,
    `server_time_usec:${us}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    `hz:${hz}`,
    `configured_hz:${hz}`,
    `lru_clock:${Math.floor(Date.now() / 1000) & 0xffffff}`,
    `executable:${path.resolve(process.argv[1] ?? process.execPath)}`,
    'config_file:',
    `io_threads_active:${s.ioCounters().threadsActive ? 1 : 0}`,
    `ringkv_version:${RINGKV_VERSION}`,
    `node_version:${process.version}`,
  ];
}

function clientsSection({ s }: InfoContext): string[] {
  let n = 0;
  let maxIn = 0;
  let maxOut = 0;
  for (const c of s.clients()) {
    n++;
    maxIn = Math.max(maxIn, c.queryBufferLength());
    maxOut = Math.max(maxOut, c.outputBufferLength());
  }
  return [
    `connected_clients:${n}`,
    'cluster_connections:0',
    `maxclients:${s.config.int('maxclients')}`,
    `client_recent_max_input_buffer:${maxIn}`,
    `client_recent_max_output_buffer:${maxOut}`,
    `blocked_clients:${s.blocking.blockedClients}`,
    'tracking_clients:0',
    `clients_in_timeout_table:${s.blocking.timeoutClients}`,
  ];
}

function memorySection({ s }: InfoContext): string[] {
  const m = memoryNow();
  peakMemory = Math.max(peakMemory, m.used);
  let clientsMem = 0;
  for (const c of s.clients()) clientsMem += c.queryBufferLength() + c.outputBufferLength();
  const overhead = STARTUP_MEMORY + clientsMem;
  const dataset = Math.max(0, m.used - overhead);
  const total = os.totalmem();
  return [
    `used_memory:${m.used}`,
    `used_memory_human:${bytesToHuman(m.used)}`,
    `used_memory_rss:${m.rss}`,
    `used_memory_rss_human:${bytesToHuman(m.rss)}`,
    `used_memory_peak:${peakMemory}`,
    `used_memory_peak_human:${bytesToHuman(peakMemory)}`,
    `used_memory_peak_perc:${((m.used * 100) / peakMemory).toFixed(2)}%`,
    `used_memory_overhead:${overhead}`,
    `used_memory_startup:${STARTUP_MEMORY}`,
    `used_memory_dataset:${dataset}`,
    `used_memory_dataset_perc:${(m.used > STARTUP_MEMORY ? (dataset * 100) / (m.used - STARTUP_MEMORY) : 0).toFixed(2)}%`,
    `allocator_allocated:${m.heapUsed}`,
    `allocator_active:${m.heapTotal}`,
    `allocator_resident:${m.rss}`,
    `total_system_memory:${total}`,
    `total_system_memory_human:${bytesToHuman(total)}`,
    'used_memory_lua:0',
    'used_memory_vm_eval:0',
    'used_memory_lua_human:0B',
    'used_memory_scripts_eval:0',
    'number_of_cached_scripts:0',
    'number_of_functions:0',
    'number_of_libraries:0',
    'used_memory_vm_functions:0',
    'used_memory_vm_total:0',
    'used_memory_vm_total_human:0B',
    'used_memory_functions:0',
    'used_memory_scripts:0',
    'used_memory_scripts_human:0B',
    `maxmemory:${s.config.int('maxmemory')}`,
    `maxmemory_human:${bytesToHuman(s.config.int('maxmemory'))}`,
    `maxmemory_policy:${s.config.get('maxmemory-policy')}`,
    `allocator_frag_ratio:${ratio(m.heapTotal, m.heapUsed)}`,
    `allocator_frag_bytes:${m.heapTotal - m.heapUsed}`,
    `allocator_rss_ratio:${ratio(m.rss, m.heapTotal)}`,
    `allocator_rss_bytes:${m.rss - m.heapTotal}`,
    'rss_overhead_ratio:1.00',
    'rss_overhead_bytes:0',
    `mem_fragmentation_ratio:${ratio(m.rss, m.used)}`,
    `mem_fragmentation_bytes:${m.rss - m.used}`,
    'mem_not_counted_for_evict:0',
    'mem_replication_backlog:0',
    'mem_total_replication_buffers:0',
    'mem_clients_slaves:0',
    `mem_clients_normal:${clientsMem}`,
    'mem_cluster_links:0',
    'mem_aof_buffer:0',
    `mem_allocator:v8-${process.versions.v8}`,
    'active_defrag_running:0',
    'lazyfree_pending_objects:0',
    'lazyfreed_objects:0',
  ];
}

function persistenceSection({ s }: InfoContext): string[] {
  return [
    // The rdb_* fields come from src/persistence/rdb when the server has it.
    ...(s.persistence?.info() ?? [
      'loading:0',
      'async_loading:0',
      'current_cow_peak:0',
      'current_cow_size:0',
      'current_cow_size_age:0',
      'current_fork_perc:0.00',
      'current_save_keys_processed:0',
      'current_save_keys_total:0',
      'rdb_changes_since_last_save:0',
      'rdb_bgsave_in_progress:0',
      // Redis reports its start time until a first save.
      `rdb_last_save_time:${Math.floor(s.startedAt / 1000)}`,
      'rdb_last_bgsave_status:ok',
      'rdb_last_bgsave_time_sec:-1',
      'rdb_current_bgsave_time_sec:-1',
      'rdb_saves:0',
      'rdb_last_cow_size:0',
      'rdb_last_load_keys_expired:0',
      'rdb_last_load_keys_loaded:0',
    ]),
    ...(s.aof?.info().head ?? [
      `aof_enabled:${s.config.bool('appendonly') ? 1 : 0}`,
      'aof_rewrite_in_progress:0',
      'aof_rewrite_scheduled:0',
      'aof_last_rewrite_time_sec:-1',
      'aof_current_rewrite_time_sec:-1',
      'aof_last_bgrewrite_status:ok',
      'aof_rewrites:0',
      'aof_rewrites_consecutive_failures:0',
      'aof_last_write_status:ok',
      'aof_last_cow_size:0',
    ]),
    'module_fork_in_progress:0',
    'module_fork_last_cow_size:0',
    // Redis adds these only while the AOF is on (src/persistence/aof).
    ...(s.aof?.info().tail ?? []),
  ];
}

function statsSection({ s }: InfoContext): string[] {
  const st = s.stats;
  const ks = s.keyspace.stats;
  const io = s.ioCounters();
  return [
    `total_connections_received:${st.totalConnectionsReceived}`,
    `total_commands_processed:${st.totalCommandsProcessed}`,
    `instantaneous_ops_per_sec:${st.instantaneousOpsPerSec}`,
    `total_net_input_bytes:${st.totalNetInputBytes}`,
    `total_net_output_bytes:${st.totalNetOutputBytes}`,
    'total_net_repl_input_bytes:0',
    'total_net_repl_output_bytes:0',
    `instantaneous_input_kbps:${st.instantaneousInputKbps.toFixed(2)}`,
    `instantaneous_output_kbps:${st.instantaneousOutputKbps.toFixed(2)}`,
    'instantaneous_input_repl_kbps:0.00',
    'instantaneous_output_repl_kbps:0.00',
    `rejected_connections:${st.rejectedConnections}`,
    'sync_full:0',
    'sync_partial_ok:0',
    'sync_partial_err:0',
    `expired_keys:${ks.expiredKeys}`,
    'expired_stale_perc:0.00',
    'expired_time_cap_reached_count:0',
    'expire_cycle_cpu_milliseconds:0',
    `evicted_keys:${s.stats.evictedKeys}`,
    'evicted_clients:0',
    'total_eviction_exceeded_time:0',
    'current_eviction_exceeded_time:0',
    `keyspace_hits:${ks.keyspaceHits}`,
    `keyspace_misses:${ks.keyspaceMisses}`,
    `pubsub_channels:${s.pubsub.channelCount}`,
    `pubsub_patterns:${s.pubsub.patternCount}`,
    `pubsubshard_channels:${s.pubsub.shardChannelCount}`,
    'latest_fork_usec:0',
    'total_forks:0',
    'migrate_cached_sockets:0',
    'slave_expires_tracked_keys:0',
    'active_defrag_hits:0',
    'active_defrag_misses:0',
    'active_defrag_key_hits:0',
    'active_defrag_key_misses:0',
    'total_active_defrag_time:0',
    'current_active_defrag_time:0',
    'tracking_total_keys:0',
    'tracking_total_items:0',
    'tracking_total_prefixes:0',
    'unexpected_error_replies:0',
    `total_error_replies:${st.totalErrorReplies}`,
    'dump_payload_sanitizations:0',
    `total_reads_processed:${io.reads}`,
    `total_writes_processed:${io.writes}`,
    `io_threaded_reads_processed:${io.threadedReads}`,
    `io_threaded_writes_processed:${io.threadedWrites}`,
    'reply_buffer_shrinks:0',
    'reply_buffer_expands:0',
  ];
}

function replicationSection(): string[] {
  return [
    'role:master',
    'connected_slaves:0',
    'master_failover_state:no-failover',
    `master_replid:${REPL_ID}`,
    'master_replid2:0000000000000000000000000000000000000000',
    'master_repl_offset:0',
    'second_repl_offset:-1',
    'repl_backlog_active:0',
    'repl_backlog_size:1048576',
    'repl_backlog_first_byte_offset:0',
    'repl_backlog_histlen:0',
  ];
}

function seconds(us: number): string {
  return (us / 1e6).toFixed(6);
}

function cpuSection(): string[] {
  const p = process.cpuUsage();
  const t = process.threadCpuUsage();
  return [
    `used_cpu_sys:${seconds(p.system)}`,
    `used_cpu_user:${seconds(p.user)}`,
    'used_cpu_sys_children:0.000000',
    'used_cpu_user_children:0.000000',
    `used_cpu_sys_main_thread:${seconds(t.system)}`,
    `used_cpu_user_main_thread:${seconds(t.user)}`,
  ];
}

function commandstatsSection({ s }: InfoContext): string[] {
  const lines: string[] = [];
  for (const cmd of s.commandStats()) {
    if (cmd.calls === 0 && cmd.rejectedCalls === 0 && cmd.failedCalls === 0) continue;
    const usec = Math.floor(cmd.usec);
    const perCall = cmd.calls === 0 ? 0 : usec / cmd.calls;
    lines.push(`cmdstat_${cmd.fullName}:calls=${cmd.calls},usec=${usec},usec_per_call=${perCall.toFixed(2)},` +
      `rejected_calls=${cmd.rejectedCalls},failed_calls=${cmd.failedCalls}`);
  }
  return lines;
}

function errorstatsSection({ s }: InfoContext): string[] {
  // Redis keeps error codes in a radix tree, so they come out sorted.
  return [...s.stats.errorCodes.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, n]) => `errorstat_${code}:count=${n}`);
}

/** Keys with a TTL sampled per database for avg_ttl (Redis estimates it by sampling too). */
const TTL_SAMPLE = 64;

function keyspaceSection({ s }: InfoContext): string[] {
  const lines: string[] = [];
  const now = Date.now();
  for (const db of s.keyspace.dbs) {
    if (db.size === 0) continue;
    let sum = 0;
    let n = 0;
    for (const when of db.expires.values()) {
      if (n === TTL_SAMPLE) break;
      if (when > now) {
        sum += when - now;
        n++;
      }
    }
    lines.push(`db${db.index}:keys=${db.size},expires=${db.expires.size},avg_ttl=${n === 0 ? 0 : Math.round(sum / n)}`);
  }
  return lines;
}

interface Section {
  readonly name: string;
  readonly title: string;
  readonly inDefault: boolean;
  readonly lines: (ctx: InfoContext) => string[];
}

const SECTIONS: readonly Section[] = [
  { name: 'server', title: 'Server', inDefault: true, lines: serverSection },
  { name: 'clients', title: 'Clients', inDefault: true, lines: clientsSection },
  { name: 'memory', title: 'Memory', inDefault: true, lines: memorySection },
  { name: 'persistence', title: 'Persistence', inDefault: true, lines: persistenceSection },
  { name: 'stats', title: 'Stats', inDefault: true, lines: statsSection },
  { name: 'replication', title: 'Replication', inDefault: true, lines: replicationSection },
  { name: 'cpu', title: 'CPU', inDefault: true, lines: cpuSection },
  { name: 'modules', title: 'Modules', inDefault: true, lines: () => [] },
  { name: 'commandstats', title: 'Commandstats', inDefault: false, lines: commandstatsSection },
  { name: 'errorstats', title: 'Errorstats', inDefault: true, lines: errorstatsSection },
  { name: 'cluster', title: 'Cluster', inDefault: true, lines: () => ['cluster_enabled:0'] },
  { name: 'keyspace', title: 'Keyspace', inDefault: true, lines: keyspaceSection },
];

/** The INFO text for `args` (section names or all/everything/default; none = default). */
export function infoText(s: ServerContext, c: Client, args: readonly string[]): string {
  const extra = s.extraInfo();
  const wanted = new Set<string>();
  let all = false;
  let defaults = args.length === 0;
  for (const a of args) {
    const l = a.toLowerCase();
    if (l === 'all' || l === 'everything') all = true;
    else if (l === 'default') defaults = true;
    else wanted.add(l);
  }
  const ctx: InfoContext = { s, c };
  const parts: string[] = [];
  const emit = (title: string, lines: string[]): void => {
    let text = `# ${title}\r\n`;
    for (const l of lines) text += `${l}\r\n`;
    parts.push(text);
  };
  for (const sec of SECTIONS) {
    if (all || wanted.has(sec.name) || (defaults && sec.inDefault)) emit(sec.title, sec.lines(ctx));
  }
  for (const [name, lines] of extra) {
    if (all || defaults || wanted.has(name)) emit(name.charAt(0).toUpperCase() + name.slice(1), lines());
  }
  return parts.join('\r\n');
}

/** INFO [section [section ...]] */
function infoCommand(c: Client, argv: string[], s: ServerContext): void {
  s.out.verbatim(infoText(s, c, argv.slice(1)));
}

export const infoCommands = [
  { name: 'info', arity: -1, flags: ['loading', 'stale'], firstKey: 0, lastKey: 0, step: 0, group: 'server', since: '1.0.0',
    summary: 'Get information and statistics about the server', complexity: 'O(1)', acl: ['dangerous'],
    tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'], handler: infoCommand },
] as const satisfies readonly CommandSpec[];
