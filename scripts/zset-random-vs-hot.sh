#!/usr/bin/env bash
# Sorted sets on a big value, random members against hot ones, redis-server beside ringkv.
#
# The data-types issue asks that ZADD and ZRANK on a 1M-member set cost at most 3x what they
# cost on a 1k-member one. In process (bench/micro/complexity.bench.ts) random members miss
# that because of cache misses, not work. This script asks the same question of redis-server
# and ringkv over TCP, pipelined so that the per-request network cost does not hide the data
# structure: it loads z1k and z1M (members member:%012d, as redis-benchmark's __rand_int__
# names them, random integer scores), then per server, size and member pattern runs
#
#   ZADD key __rand_int__ member:__rand_int__   (an existing member gets a new random score)
#   ZRANK key member:__rand_int__
#
# with -r N (random members of the whole set) and -r 16 (the same 16 members: "hot"), in
# interleaved rounds. Prints one line per run; docs/datatypes-performance.md takes medians.
#
# Usage: scripts/zset-random-vs-hot.sh [rounds]   (needs redis-server, redis-cli,
# redis-benchmark, python3; ports 7821/7822 free)
set -euo pipefail
ROUNDS=${1:-3}
R=7821
K=7822
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
trap 'redis-cli -p $R shutdown nosave >/dev/null 2>&1 || true; redis-cli -p $K shutdown nosave >/dev/null 2>&1 || true; rm -rf "$TMP"' EXIT

# RESP for ZADD key in batches of 1000 members, seeded random scores.
gen() {
  python3 - "$1" "$2" <<'EOF'
import random, sys
key, n = sys.argv[1].encode(), int(sys.argv[2])
random.seed(n)
out = sys.stdout.buffer
for start in range(0, n, 1000):
    args = [b'ZADD', key]
    for i in range(start, min(n, start + 1000)):
        args += [str(random.randrange(10**9)).encode(), b'member:%012d' % i]
    out.write(b'*%d\r\n' % len(args))
    for a in args:
        out.write(b'$%d\r\n%s\r\n' % (len(a), a))
EOF
}
gen z1k 1000 > "$TMP/z1k.resp"
gen z1M 1000000 > "$TMP/z1M.resp"

redis-server --port $R --save '' --appendonly no --daemonize yes --logfile "$TMP/redis.log"
"$ROOT/node_modules/.bin/node" "$ROOT/src/server/main.ts" --port $K > "$TMP/ringkv.log" 2>&1 &
for p in $R $K; do
  until redis-cli -p $p ping >/dev/null 2>&1; do sleep 0.2; done
  redis-cli -p $p --pipe < "$TMP/z1k.resp" >/dev/null
  redis-cli -p $p --pipe < "$TMP/z1M.resp" >/dev/null
done
echo "# $(redis-server --version | cut -d' ' -f1-3); node $("$ROOT/node_modules/.bin/node" --version); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

rate() { redis-benchmark -p "$1" -c 10 -P 32 -n 300000 -r "$2" --csv "${@:3}" | tail -1 | cut -d, -f2 | tr -d '"'; }
for round in $(seq 1 "$ROUNDS"); do
  for p in $R $K; do
    server=redis; [ $p = $K ] && server=ringkv
    for spec in "z1k 1000" "z1M 1000000"; do
      set -- $spec
      for kind in random hot; do
        r=$2; [ $kind = hot ] && r=16
        echo "round=$round server=$server key=$1 members=$kind zadd=$(rate $p $r ZADD "$1" __rand_int__ member:__rand_int__) zrank=$(rate $p $r ZRANK "$1" member:__rand_int__)"
      done
    done
  done
done
