#!/usr/bin/env bash
# Diagnosis helper: Verity's CPU per request for a trivial public GET (/health), an API-key-authenticated GET
# (/api/auths/) and the proxied chat completion, one JVM, after a long warm-up, alternating endpoints per round;
# plus the JIT compiler threads' share of each run (C2 still compiling inflates early runs).
#
#   bench/gateway/floor.sh            (env: WORK=/tmp/gwbench JAR=$WORK/verity.jar RUNS=3 DUR=10 WARMUP=60)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=${WORK:-/tmp/gwbench} JAR=${JAR:-$WORK/verity.jar} RUNS=${RUNS:-3} DUR=${DUR:-10} WARMUP=${WARMUP:-60}
OUT=${OUT:-$WORK/floor-$(date +%Y%m%d-%H%M%S)}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
UP_PORT=${UP_PORT:-18080} PORT=${PORT:-18190}
mkdir -p "$OUT"
PIDS=()
trap 'for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null || true; done' EXIT
post() { curl -sS --fail-with-body --max-time 30 -H 'Content-Type: application/json' "$@"; }
cpu_us() { local s; s=$(cat "/proc/$1/stat"); echo "${s##*) }" | awk '{ printf "%d\n", ($12 + $13) * 10000 }'; }
setsid nohup node /work/shared/tools/fake-upstream.js "$UP_PORT" >"$OUT/upstream.log" 2>&1 </dev/null & PIDS+=("$!")
cp "$JAR" "$WORK/floor-server.jar"
data=$(mktemp -d "$WORK/data.XXXXXX")
setsid nohup env DATA_DIR="$data" PORT="$PORT" HOST=127.0.0.1 RATE_LIMIT_PER_MINUTE=0 \
    OPENAI_API_BASE_URL="http://127.0.0.1:$UP_PORT/v1" ENABLE_OLLAMA_API=false \
    WEBUI_ADMIN_EMAIL=admin@bench.local WEBUI_ADMIN_PASSWORD=benchpass \
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m ${VERITY_JAVA_OPTS:-} -jar "$WORK/floor-server.jar" \
    >"$OUT/verity.log" 2>&1 </dev/null &
V=$!; PIDS+=("$V")
for ((t = 0; t < 600; t++)); do curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break; sleep 0.1; done
B="http://127.0.0.1:$PORT"
admin=$(post "$B/api/auths/signin" -d '{"email":"admin@bench.local","password":"benchpass"}' | jq -r .token)
post "$B/api/auths/add" -H "Authorization: Bearer $admin" -d '{"name":"U","email":"user@bench.local","password":"benchpass","role":"user"}' >/dev/null
user=$(post "$B/api/auths/signin" -d '{"email":"user@bench.local","password":"benchpass"}' | jq -r .token)
KEY=$(post "$B/api/users/api_key" -H "Authorization: Bearer $user" -d '{"name":"bench"}' | jq -r .api_key)
cat >"$OUT/get.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $KEY"
EOF
load() { # NAME SECONDS -> wrk output file
    case $1 in
        health) timeout $(($2 + 30)) wrk -t2 -c64 -d"$2s" --latency "$B/health" ;;
        auth) timeout $(($2 + 30)) wrk -t2 -c64 -d"$2s" --latency -s "$OUT/get.lua" "$B/api/auths/" ;;
        chat) STREAM=0 AUTH=$KEY timeout $(($2 + 30)) wrk -t2 -c64 -d"$2s" --latency -s "$HERE/wrk-chat.lua" "$B/api/chat/completions" ;;
        chat-stream) STREAM=1 AUTH=$KEY timeout $(($2 + 30)) wrk -t2 -c64 -d"$2s" --latency -s "$HERE/wrk-chat.lua" "$B/api/chat/completions" ;;
    esac
}
echo "warm-up: ${WARMUP}s per endpoint" >&2
for e in health auth chat chat-stream; do load $e "$WARMUP" >/dev/null; done
printf 'round\tendpoint\trps\tcpu_us_per_req\tjit_share\n' | tee "$OUT/floor.tsv"
for ((r = 1; r <= RUNS; r++)); do
    for e in health auth chat chat-stream; do
        c0=$(cpu_us "$V")
        python3 "$HERE/thread-cpu.py" "$V" "$DUR" >"$OUT/threads-$r-$e.txt" & tc=$!
        load $e "$DUR" >"$OUT/wrk-$r-$e.txt"
        c1=$(cpu_us "$V"); wait "$tc"
        n=$(awk '/requests in/ {print $1}' "$OUT/wrk-$r-$e.txt")
        jit=$(awk '/Compiler/ { s += ($(NF-2) + $(NF-1)) } /^total/ { t = $(NF-1) + $NF } END { printf "%.0f%%", 100 * s / t }' "$OUT/threads-$r-$e.txt")
        printf '%s\t%s\t%s\t%.1f\t%s\n' "$r" "$e" "$(awk '/Requests\/sec/ {print $2}' "$OUT/wrk-$r-$e.txt")" \
            "$(awk -v d=$((c1 - c0)) -v n="$n" 'BEGIN { print d / n }')" "$jit" | tee -a "$OUT/floor.tsv"
    done
done
