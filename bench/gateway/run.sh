#!/usr/bin/env bash
# Gateway benchmark: fake upstream direct vs through Verity vs through Portkey (OSS gateway 1.15.2), non-streaming
# and streaming, under load (wrk) and unloaded (time to first SSE byte), with CPU per request of every process and
# the request-log writer's backlog. Everything binds 127.0.0.1, every run is bounded, everything started is
# stopped by PID at exit. Results: $OUT/runs.tsv, $OUT/ttfb.jsonl, $OUT/summary.md (also printed).
#
#   bench/gateway/run.sh                  # 3 interleaved rounds, ~14 minutes
#   RUNS=5 bench/gateway/run.sh
#
# Environment (all optional):
#   WORK=/tmp/gwbench     scratch: jar copy, source snapshot, Portkey install, data dirs, logs
#   JAR=$WORK/verity.jar  server jar; when missing, or (default path only) built from other sources than the work
#                         tree has now, it is built from a snapshot of this work tree (a private
#                         copy, so concurrent builds in target/ cannot race it). It is run from a copy named
#                         $WORK/gwbench-server.jar, out of the way of anything that stops "verity.jar" processes.
#   REBUILD=1             rebuild the jar even if it exists
#   OUT=$WORK/results-<time>
#   RUNS=3 DUR=10 WARM=5 THREADS=2 CONC=64     wrk rounds, seconds per run, seconds of warm-up before each run
#   JIT_WARM=45           extra seconds of load per Verity mode before the first round (C2 keeps
#                         compiling for ~40 s of load; earlier runs cost up to 2x the CPU per request)
#   TTFB_N=200 TTFB_WARMUP=20 TTFB_RUNS=3       unloaded sequential requests per target
#   SCENARIOS="direct:0 verity:0 portkey:0 direct:1 verity:1 portkey:1"   target:stream, run in this order each round
#   VERITY_JAVA_OPTS=""   extra JVM options for Verity (e.g. JFR)
#   SKIP_PORTKEY=1        leave Portkey out
#   SLOW_CHECK=1          also check that SSE is delivered as it is produced (upstream with 50 ms between chunks)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${WORK:-/tmp/gwbench}
JAR_GIVEN=${JAR:-}
JAR=${JAR:-$WORK/verity.jar}
OUT=${OUT:-$WORK/results-$(date +%Y%m%d-%H%M%S)}
RUNS=${RUNS:-3} DUR=${DUR:-10} WARM=${WARM:-5} THREADS=${THREADS:-2} CONC=${CONC:-64} JIT_WARM=${JIT_WARM:-45}
TTFB_N=${TTFB_N:-200} TTFB_WARMUP=${TTFB_WARMUP:-20} TTFB_RUNS=${TTFB_RUNS:-3}
SCENARIOS=${SCENARIOS:-"direct:0 verity:0 portkey:0 direct:1 verity:1 portkey:1"}
SKIP_PORTKEY=${SKIP_PORTKEY:-0} SLOW_CHECK=${SLOW_CHECK:-1}
UP_PORT=${UP_PORT:-18080} V_PORT=${V_PORT:-18181} PK_PORT=${PK_PORT:-18787}
SLOW_UP_PORT=${SLOW_UP_PORT:-18082} SLOW_V_PORT=${SLOW_V_PORT:-18182}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
[ -x "$JAVA" ] || JAVA=java
FAKE_UPSTREAM=${FAKE_UPSTREAM:-$ROOT/../shared/tools/fake-upstream.js}
[ -f "$FAKE_UPSTREAM" ] || FAKE_UPSTREAM=/work/shared/tools/fake-upstream.js
CLK_TCK=$(getconf CLK_TCK)
ADMIN_EMAIL=admin@bench.local ADMIN_PASSWORD=benchpass
if [ "$SKIP_PORTKEY" = 1 ]; then SCENARIOS=$(tr ' ' '\n' <<<"$SCENARIOS" | grep -v '^portkey' | tr '\n' ' '); fi

mkdir -p "$WORK" "$OUT"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for tool in wrk node curl jq python3 npm; do command -v $tool >/dev/null || die "$tool is not installed"; done

PIDS=()
cleanup() {
    local pid i
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
    for pid in ${PIDS[@]+"${PIDS[@]}"}; do
        for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME LOGFILE cmd... : runs in the background (own session, no stdin), records the PID in $NAME_PID.
start() {
    local name=$1 logf=$2
    shift 2
    setsid nohup "$@" >"$logf" 2>&1 </dev/null &
    local pid=$!
    PIDS+=("$pid")
    printf -v "${name}_PID" '%s' "$pid"
}
wait_http() { # URL PID [seconds]
    local i
    for ((i = 0; i < ${3:-60} * 10; i++)); do
        curl -s -o /dev/null --max-time 2 "$1" && return 0
        kill -0 "$2" 2>/dev/null || die "process $2 exited while starting (its log is in $OUT)"
        sleep 0.1
    done
    die "$1 not answering"
}
cpu_us() { # utime+stime of a PID (all threads), microseconds; 0 when no PID
    [ -n "${1:-}" ] || { echo 0; return; }
    local s; s=$(cat "/proc/$1/stat")
    echo "${s##*) }" | awk -v hz="$CLK_TCK" '{ printf "%d\n", ($12 + $13) * 1000000 / hz }'
}
proc_stat() { awk '/^cpu / { b = $2+$3+$4+$7+$8+$9; t = b+$5+$6; print b, t }' /proc/stat; } # busy total (jiffies)
api() { # METHOD URL TOKEN [BODY]
    local args=(-sS --fail-with-body --max-time 30 -X "$1" "$2")
    [ -n "$3" ] && args+=(-H "Authorization: Bearer $3")
    [ -n "${4:-}" ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
    curl "${args[@]}"
}

# ---------------------------------------------------------------- jar and Portkey
# The jar is rebuilt when the sources changed since it was built (stamp: HEAD + uncommitted changes of src/, pom.xml).
STAMP=$(cd "$ROOT" && { git rev-parse HEAD 2>/dev/null; git status --porcelain -- src pom.xml 2>/dev/null;
    git diff -- src pom.xml 2>/dev/null; } | sha256sum | cut -c1-16)
if [ ! -f "$JAR" ] || [ "${REBUILD:-0}" = 1 ] || { [ -z "${JAR_GIVEN:-}" ] && [ "$(cat "$JAR.stamp" 2>/dev/null)" != "$STAMP" ]; }; then
    log "building the jar from a snapshot of $ROOT"
    rm -rf "$WORK/src" && mkdir -p "$WORK/src"
    (cd "$ROOT" && tar --exclude=./target --exclude=./data --exclude=./.git -cf - .) | tar -xf - -C "$WORK/src"
    (cd "$WORK/src" && timeout 600 ./verity build -q -Dmaven.test.skip=true) >"$OUT/build.log" 2>&1 || die "build failed (see $OUT/build.log)"
    cp "$WORK/src/target/verity.jar" "$JAR"
    echo "$STAMP" >"$JAR.stamp"
fi
RUN_JAR=$WORK/gwbench-server.jar
cp "$JAR" "$RUN_JAR"
PK_DIR=$WORK/portkey
PK_MAIN=$PK_DIR/node_modules/@portkey-ai/gateway/build/start-server.js
if [ "$SKIP_PORTKEY" != 1 ] && [ ! -f "$PK_MAIN" ]; then
    log "installing @portkey-ai/gateway 1.15.2 (with @hono/node-server pinned to 1.13.5) in $PK_DIR"
    mkdir -p "$PK_DIR"
    (cd "$PK_DIR" && { [ -f package.json ] || npm init -y >/dev/null; } &&
        npm pkg set dependencies.@portkey-ai/gateway=1.15.2 dependencies.@hono/node-server=1.13.5 \
            overrides.@hono/node-server=1.13.5 &&
        timeout 300 npm install --no-audit --no-fund) >"$OUT/npm.log" 2>&1 || die "npm install failed (see $OUT/npm.log)"
fi

# ---------------------------------------------------------------- servers
log "starting fake upstream :$UP_PORT, Verity :$V_PORT, Portkey :$PK_PORT (results in $OUT)"
start UP "$OUT/upstream.log" node "$FAKE_UPSTREAM" "$UP_PORT"
DATA=$(mktemp -d "$WORK/data.XXXXXX")
# shellcheck disable=SC2086
start V "$OUT/verity.log" env DATA_DIR="$DATA" PORT="$V_PORT" HOST=127.0.0.1 RATE_LIMIT_PER_MINUTE=0 \
    OPENAI_API_BASE_URL="http://127.0.0.1:$UP_PORT/v1" ENABLE_OLLAMA_API=false \
    WEBUI_ADMIN_EMAIL=$ADMIN_EMAIL WEBUI_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m ${VERITY_JAVA_OPTS:-} -jar "$RUN_JAR"
PK_PID=
if [ "$SKIP_PORTKEY" != 1 ]; then
    start PK "$OUT/portkey.log" env NODE_ENV=production node --require "$HERE/loopback-only.cjs" "$PK_MAIN" \
        --port="$PK_PORT" --headless
fi
wait_http "http://127.0.0.1:$UP_PORT/health" "$UP_PID"
wait_http "http://127.0.0.1:$V_PORT/health" "$V_PID" 120
[ -z "$PK_PID" ] || wait_http "http://127.0.0.1:$PK_PORT/" "$PK_PID"
if [ -n "$PK_PID" ] && ss -ltn | awk '{print $4}' | grep -Eq "^(0\.0\.0\.0|\*|\[::\]):$PK_PORT$"; then
    die "Portkey listens beyond loopback"
fi

ADMIN=$(api POST "http://127.0.0.1:$V_PORT/api/auths/signin" "" \
    "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .token)
api POST "http://127.0.0.1:$V_PORT/api/auths/add" "$ADMIN" \
    '{"name":"Bench User","email":"user@bench.local","password":"benchpass","role":"user"}' >/dev/null
USER_TOKEN=$(api POST "http://127.0.0.1:$V_PORT/api/auths/signin" "" \
    '{"email":"user@bench.local","password":"benchpass"}' | jq -r .token)
KEY=$(api POST "http://127.0.0.1:$V_PORT/api/users/api_key" "$USER_TOKEN" '{"name":"bench"}' | jq -r .api_key)
[[ $KEY == sk-* ]] || die "no API key"

url_of() {
    case $1 in
        direct) echo "http://127.0.0.1:$UP_PORT/v1/chat/completions" ;;
        verity) echo "http://127.0.0.1:$V_PORT/api/chat/completions" ;;
        portkey) echo "http://127.0.0.1:$PK_PORT/v1/chat/completions" ;;
    esac
}
# Functional check of every path once (status 200, SSE ends with [DONE]).
for t in direct verity portkey; do
    [ "$t" = portkey ] && [ -z "$PK_PID" ] && continue
    for s in false true; do
        hdr=(-H 'Content-Type: application/json')
        [ "$t" = verity ] && hdr+=(-H "Authorization: Bearer $KEY")
        [ "$t" = portkey ] && hdr+=(-H 'x-portkey-provider: openai' -H "x-portkey-custom-host: http://127.0.0.1:$UP_PORT/v1")
        body=$(curl -sS --fail-with-body --max-time 10 "${hdr[@]}" "$(url_of $t)" \
            -d "{\"model\":\"fake-model\",\"stream\":$s,\"messages\":[{\"role\":\"user\",\"content\":\"Say hello in twenty tokens\"}]}")
        if [ $s = true ]; then grep -q '^data: \[DONE\]' <<<"$body" || die "$t: stream without [DONE]"
        else jq -e '.choices[0].message.content' <<<"$body" >/dev/null || die "$t: bad completion"; fi
    done
done

stats_json() { api GET "http://127.0.0.1:$V_PORT/api/v1/requests/stats" "$ADMIN"; }
wait_log_drained() { # prints seconds waited
    local i
    for ((i = 0; i < 600; i++)); do
        [ "$(stats_json 2>/dev/null | jq .queued)" = 0 ] && { echo "$i" | awk '{print $1/10}'; return; }
        kill -0 "$V_PID" 2>/dev/null || die "Verity (PID $V_PID) is gone (killed from outside? see $OUT/verity.log)"
        sleep 0.1
    done
    echo "timeout"
}

# wrk_run TARGET STREAM DURATION OUTFILE : load with the right URL and headers; wrk's CPU into OUTFILE.time
wrk_run() {
    local t=$1 s=$2 d=$3 f=$4
    local envs=(STREAM="$s")
    [ "$t" = verity ] && envs+=(AUTH="$KEY")
    [ "$t" = portkey ] && envs+=(PORTKEY_CUSTOM_HOST="http://127.0.0.1:$UP_PORT/v1")
    env "${envs[@]}" timeout $((d + 30)) /usr/bin/time -f '%U %S' -o "$f.time" \
        wrk -t"$THREADS" -c"$CONC" -d"${d}s" --timeout 5s --latency -s "$HERE/wrk-chat.lua" "$(url_of "$t")" >"$f"
}
wrk_requests() { awk '/requests in/ {print $1}' "$1"; }
to_ms() { # wrk latency value like 812.00us / 4.67ms / 1.02s
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

if [ "$JIT_WARM" -gt 0 ]; then
    log "JIT warm-up: ${JIT_WARM}s of load per Verity mode"
    wrk_run verity 0 "$JIT_WARM" "$OUT/jit-0.txt"
    wrk_run verity 1 "$JIT_WARM" "$OUT/jit-1.txt"
fi

printf 'round\ttarget\tstream\trps\trequests\tp50_ms\tp99_ms\tnon2xx\tsocket_errors\tverity_cpu_us\tupstream_cpu_us\tportkey_cpu_us\twrk_cpu_us\tforeign_cores\tlog_queued_at_end\tlog_drain_s\tlog_written\tlog_expected\tlog_failed\tlog_behind\n' >"$OUT/runs.tsv"
NCPU=$(nproc)
for ((round = 1; round <= RUNS; round++)); do
    for sc in $SCENARIOS; do
        t=${sc%%:*} s=${sc##*:}
        for p in "$UP_PID" "$V_PID" ${PK_PID:+"$PK_PID"}; do
            kill -0 "$p" 2>/dev/null || die "process $p is gone (killed from outside? see the logs in $OUT)"
        done
        f="$OUT/wrk-r$round-$t-$s.txt"
        s0='{}'
        [ "$t" = verity ] && { wait_log_drained >/dev/null; s0=$(stats_json); }
        wrk_run "$t" "$s" "$WARM" "$f.warm"
        read -r b0 tt0 < <(proc_stat)
        v0=$(cpu_us "$V_PID") u0=$(cpu_us "$UP_PID") p0=$(cpu_us "$PK_PID")
        wrk_run "$t" "$s" "$DUR" "$f"
        v1=$(cpu_us "$V_PID") u1=$(cpu_us "$UP_PID") p1=$(cpu_us "$PK_PID")
        read -r b1 tt1 < <(proc_stat)
        n=$(wrk_requests "$f")
        rps=$(awk '/Requests\/sec/ {print $2}' "$f")
        p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
        p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
        non2xx=$(awk '/Non-2xx/ {print $NF}' "$f"); non2xx=${non2xx:-0}
        sockerr=$(awk -F'Socket errors: ' '/Socket errors/ {print $2}' "$f" | tr -d ' '); sockerr=${sockerr:--}
        wcpu=$(awk '{printf "%d", ($1 + $2) * 1e6}' "$f.time")
        ours=$(( (v1 - v0) + (u1 - u0) + (p1 - p0) + wcpu ))
        foreign=$(awk -v b=$((b1 - b0)) -v t=$((tt1 - tt0)) -v o="$ours" -v hz="$CLK_TCK" -v nc="$NCPU" \
            'BEGIN { f = (b / hz * 1e6 - o) / (t / hz * 1e6) * nc; if (f < 0) f = 0; printf "%.2f", f }')
        per() { awk -v d="$1" -v n="$n" 'BEGIN { printf "%.1f", (n > 0 ? d / n : 0) }'; }
        vcpu=-; pcpu=-; qend=-; drain=-; written=-; expected=-; lfailed=-; behind=-
        [ "$t" = verity ] && vcpu=$(per $((v1 - v0)))
        [ "$t" = portkey ] && pcpu=$(per $((p1 - p0)))
        if [ "$t" = verity ]; then
            qend=$(stats_json | jq .queued)
            drain=$(wait_log_drained)
            s1=$(stats_json)
            written=$(( $(jq .written <<<"$s1") - $(jq .written <<<"$s0") ))
            expected=$(( $(wrk_requests "$f.warm") + n ))
            lfailed=$(( $(jq .failed <<<"$s1") - $(jq .failed <<<"$s0") ))
            behind=$(( $(jq .behind <<<"$s1") - $(jq .behind <<<"$s0") ))
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$t" "$s" \
            "$rps" "$n" "$p50" "$p99" "$non2xx" "$sockerr" "$vcpu" "$(per $((u1 - u0)))" "$pcpu" "$(per "$wcpu")" \
            "$foreign" "$qend" "$drain" "$written" "$expected" "$lfailed" "$behind" >>"$OUT/runs.tsv"
        log "round $round $t stream=$s: $rps req/s, p50 $p50 ms, p99 $p99 ms, verity ${vcpu} / portkey ${pcpu} / upstream $(per $((u1 - u0))) µs/req, foreign ${foreign} cores, log queued at end ${qend}"
    done
done

# ---------------------------------------------------------------- unloaded: time to first SSE byte
log "unloaded sequential latency: $TTFB_RUNS runs x $TTFB_N requests (+$TTFB_WARMUP warm-up) per target and mode"
targets="[{\"name\":\"direct\",\"url\":\"$(url_of direct)\"},{\"name\":\"verity\",\"url\":\"$(url_of verity)\",\"headers\":{\"Authorization\":\"Bearer $KEY\"}}"
[ -n "$PK_PID" ] && targets+=",{\"name\":\"portkey\",\"url\":\"$(url_of portkey)\",\"headers\":{\"x-portkey-provider\":\"openai\",\"x-portkey-custom-host\":\"http://127.0.0.1:$UP_PORT/v1\"}}"
echo "$targets]" >"$OUT/ttfb-targets.json"
N=$TTFB_N WARMUP=$TTFB_WARMUP RUNS=$TTFB_RUNS timeout 900 node "$HERE/ttfb.mjs" "$OUT/ttfb-targets.json" >"$OUT/ttfb.jsonl"

# ---------------------------------------------------------------- is SSE delivered as it is produced?
if [ "$SLOW_CHECK" = 1 ]; then
    log "slow-stream check: upstream with 50 ms between 20 chunks (~1 s per answer), 20 sequential requests each"
    start SUP "$OUT/upstream-slow.log" env CHUNK_DELAY_MS=50 node "$FAKE_UPSTREAM" "$SLOW_UP_PORT"
    DATA2=$(mktemp -d "$WORK/data.XXXXXX")
    # shellcheck disable=SC2086
    start SV "$OUT/verity-slow.log" env DATA_DIR="$DATA2" PORT="$SLOW_V_PORT" HOST=127.0.0.1 RATE_LIMIT_PER_MINUTE=0 \
        OPENAI_API_BASE_URL="http://127.0.0.1:$SLOW_UP_PORT/v1" ENABLE_OLLAMA_API=false \
        WEBUI_ADMIN_EMAIL=$ADMIN_EMAIL WEBUI_ADMIN_PASSWORD=$ADMIN_PASSWORD \
        "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx256m ${VERITY_JAVA_OPTS:-} -jar "$RUN_JAR"
    wait_http "http://127.0.0.1:$SLOW_UP_PORT/health" "$SUP_PID"
    wait_http "http://127.0.0.1:$SLOW_V_PORT/health" "$SV_PID" 120
    ADMIN2=$(api POST "http://127.0.0.1:$SLOW_V_PORT/api/auths/signin" "" \
        "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .token)
    slow="[{\"name\":\"direct-slow\",\"url\":\"http://127.0.0.1:$SLOW_UP_PORT/v1/chat/completions\"},{\"name\":\"verity-slow\",\"url\":\"http://127.0.0.1:$SLOW_V_PORT/api/chat/completions\",\"headers\":{\"Authorization\":\"Bearer $ADMIN2\"}}"
    [ -n "$PK_PID" ] && slow+=",{\"name\":\"portkey-slow\",\"url\":\"$(url_of portkey)\",\"headers\":{\"x-portkey-provider\":\"openai\",\"x-portkey-custom-host\":\"http://127.0.0.1:$SLOW_UP_PORT/v1\"}}"
    echo "$slow]" >"$OUT/slow-targets.json"
    # JIT-warm the second Verity first (64 concurrent ~1 s streams for 20 s), or its first answers are cold code.
    STREAM=1 AUTH=$ADMIN2 timeout 60 wrk -t2 -c64 -d20s --timeout 5s -s "$HERE/wrk-chat.lua" \
        "http://127.0.0.1:$SLOW_V_PORT/api/chat/completions" >"$OUT/slow-warm.txt"
    N=20 WARMUP=3 RUNS=1 MODES=stream timeout 300 node "$HERE/ttfb.mjs" "$OUT/slow-targets.json" >"$OUT/slow.jsonl"
fi

RSS=$(for p in UP V PK; do pid_var=${p}_PID; if [ -n "${!pid_var}" ]; then printf '%s=%s MiB ' "$p" \
    "$(awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/${!pid_var}/status")"; fi; done)
echo "$RSS" >"$OUT/rss.txt"
{
    echo "jar: $JAR ($(sha256sum "$JAR" | cut -c1-12)), java: $("$JAVA" -version 2>&1 | head -1), node $(node --version), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
    echo "rounds=$RUNS dur=${DUR}s warm=${WARM}s wrk -t$THREADS -c$CONC; RSS after runs: $RSS"
} >"$OUT/env.txt"
python3 "$HERE/summarize.py" "$OUT" | tee "$OUT/summary.md"
log "done: $OUT"
