#!/usr/bin/env bash
# Diagnosis helper: several Verity jars (e.g. the baseline and builds with one candidate fix each) side by side in
# front of one fake upstream, measured in interleaved rounds so the shared machine's load hits them alike.
# Reports req/s and server CPU µs per request per jar and mode, plus a per-thread CPU breakdown of each jar.
#
#   bench/gateway/ablate.sh base=/tmp/gwbench/verity.jar fix=/path/to/other.jar ...
#
# Environment: WORK=/tmp/gwbench OUT=$WORK/ablate-<time> RUNS=3 DUR=10 WARM=5 CONC=64 MODES="0 1" JIT_WARM=10
#              JAVA_OPTS_<name>="..." extra JVM options for one jar (e.g. JAVA_OPTS_nolog=-Dbench.nolog=true)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${WORK:-/tmp/gwbench}
OUT=${OUT:-$WORK/ablate-$(date +%Y%m%d-%H%M%S)}
RUNS=${RUNS:-3} DUR=${DUR:-10} WARM=${WARM:-5} CONC=${CONC:-64} MODES=${MODES:-"0 1"} JIT_WARM=${JIT_WARM:-10}
UP_PORT=${UP_PORT:-18080} BASE_PORT=${BASE_PORT:-18200}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
FAKE_UPSTREAM=${FAKE_UPSTREAM:-/work/shared/tools/fake-upstream.js}
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$OUT"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
PIDS=()
cleanup() { local p; for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null || true; done; sleep 1
            for p in ${PIDS[@]+"${PIDS[@]}"}; do kill -9 "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM
cpu_us() { local s; s=$(cat "/proc/$1/stat"); echo "${s##*) }" | awk -v hz="$CLK_TCK" '{ printf "%d\n", ($12 + $13) * 1000000 / hz }'; }
proc_stat() { awk '/^cpu / { b = $2+$3+$4+$7+$8+$9; t = b+$5+$6; print b, t }' /proc/stat; }
post() { curl -sS --fail-with-body --max-time 30 -H 'Content-Type: application/json' "$@"; }

setsid nohup node "$FAKE_UPSTREAM" "$UP_PORT" >"$OUT/upstream.log" 2>&1 </dev/null & UP=$!; PIDS+=("$UP")
NAMES=() declare -A PID PORT KEY
i=0
for spec in "$@"; do
    name=${spec%%=*} jar=${spec#*=}
    [ -f "$jar" ] || die "no jar $jar"
    cp "$jar" "$WORK/ablate-$name.jar"
    port=$((BASE_PORT + i)); i=$((i + 1))
    data=$(mktemp -d "$WORK/data.XXXXXX")
    opts_var=JAVA_OPTS_$name
    # shellcheck disable=SC2086
    setsid nohup env DATA_DIR="$data" PORT="$port" HOST=127.0.0.1 RATE_LIMIT_PER_MINUTE=0 \
        OPENAI_API_BASE_URL="http://127.0.0.1:$UP_PORT/v1" ENABLE_OLLAMA_API=false \
        WEBUI_ADMIN_EMAIL=admin@bench.local WEBUI_ADMIN_PASSWORD=benchpass \
        "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m ${!opts_var:-} -jar "$WORK/ablate-$name.jar" \
        >"$OUT/verity-$name.log" 2>&1 </dev/null &
    PID[$name]=$!; PIDS+=("$!"); PORT[$name]=$port; NAMES+=("$name")
done
for name in "${NAMES[@]}"; do
    for ((t = 0; t < 600; t++)); do curl -s -o /dev/null "http://127.0.0.1:${PORT[$name]}/health" && break
        kill -0 "${PID[$name]}" || die "$name exited"; sleep 0.1; done
    b="http://127.0.0.1:${PORT[$name]}"
    admin=$(post "$b/api/auths/signin" -d '{"email":"admin@bench.local","password":"benchpass"}' | jq -r .token)
    post "$b/api/auths/add" -H "Authorization: Bearer $admin" \
        -d '{"name":"U","email":"user@bench.local","password":"benchpass","role":"user"}' >/dev/null
    user=$(post "$b/api/auths/signin" -d '{"email":"user@bench.local","password":"benchpass"}' | jq -r .token)
    KEY[$name]=$(post "$b/api/users/api_key" -H "Authorization: Bearer $user" -d '{"name":"bench"}' | jq -r .api_key)
done
wrk_to() { # NAME STREAM SECONDS FILE
    STREAM=$2 AUTH=${KEY[$1]} timeout $(($3 + 30)) wrk -t2 -c"$CONC" -d"$3s" --timeout 5s --latency \
        -s "$HERE/wrk-chat.lua" "http://127.0.0.1:${PORT[$1]}/api/chat/completions" >"$4"
}
log "JIT warm-up ($JIT_WARM s per jar and mode)"
for name in "${NAMES[@]}"; do for s in $MODES; do wrk_to "$name" "$s" "$JIT_WARM" "$OUT/jit-$name-$s.txt"; done; done
printf 'round\tname\tstream\trps\trequests\tp50\tp99\tcpu_us_per_req\tforeign_cores\n' >"$OUT/ablate.tsv"
for ((r = 1; r <= RUNS; r++)); do
    for s in $MODES; do
        for name in "${NAMES[@]}"; do
            kill -0 "${PID[$name]}" 2>/dev/null || die "$name (PID ${PID[$name]}) is gone"
            f="$OUT/wrk-r$r-$name-$s.txt"
            wrk_to "$name" "$s" "$WARM" "$f.warm"
            read -r b0 t0 < <(proc_stat); c0=$(cpu_us "${PID[$name]}")
            if [ "$r" = 1 ]; then
                python3 "$HERE/thread-cpu.py" "${PID[$name]}" "$DUR" >"$f.threads" &
                tc=$!
            fi
            wrk_to "$name" "$s" "$DUR" "$f"
            c1=$(cpu_us "${PID[$name]}"); read -r b1 t1 < <(proc_stat)
            [ "$r" = 1 ] && wait "$tc"
            n=$(awk '/requests in/ {print $1}' "$f")
            rps=$(awk '/Requests\/sec/ {print $2}' "$f")
            p50=$(awk '$1 == "50%" {print $2}' "$f"); p99=$(awk '$1 == "99%" {print $2}' "$f")
            per=$(awk -v d=$((c1 - c0)) -v n="$n" 'BEGIN { printf "%.1f", d / n }')
            foreign=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v o=$((c1 - c0)) -v hz="$CLK_TCK" -v nc="$(nproc)" \
                'BEGIN { printf "%.2f", (b / hz * 1e6 - o) / (t / hz * 1e6) * nc }')
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$name" "$s" "$rps" "$n" "$p50" "$p99" "$per" "$foreign" >>"$OUT/ablate.tsv"
            log "round $r $name stream=$s: $rps req/s, $per µs/req (incl. wrk-side foreign ${foreign} cores)"
            [ "$r" = 1 ] && python3 - "$f.threads" "$n" <<'EOF'
import sys
# append µs/request per thread group to the breakdown
lines = open(sys.argv[1]).read().splitlines(); n = float(sys.argv[2])
print('\n'.join(lines)); print(f'(requests in the window: {int(n)})')
EOF
        done
    done
done >"$OUT/ablate.log" 2>&1
python3 - "$OUT/ablate.tsv" <<'EOF'
import csv, statistics, sys, collections
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
g = collections.defaultdict(list)
for r in rows: g[(r['name'], r['stream'])].append(r)
print('| jar | mode | req/s per round | median req/s | CPU µs/req per round | median CPU µs/req | foreign cores (median) |')
print('|---|---|---|---|---|---|---|')
for (name, s), rs in g.items():
    rps = [float(r['rps']) for r in rs]; cpu = [float(r['cpu_us_per_req']) for r in rs]
    print(f"| {name} | {'stream' if s == '1' else 'non-stream'} | {' / '.join(f'{x:,.0f}' for x in rps)} | **{statistics.median(rps):,.0f}** "
          f"| {' / '.join(f'{x:,.0f}' for x in cpu)} | **{statistics.median(cpu):,.0f}** | {statistics.median(float(r['foreign_cores']) for r in rs):.2f} |")
EOF
