#!/usr/bin/env bash
# JFR execution profile of one Verity jar under wrk load (one mode), then the jfr-top.py breakdown.
#   bench/gateway/profile.sh JAR [STREAM=0|1] [SECONDS=60]      (the first half of the load is JIT warm-up, skipped)
# Environment: WORK=/tmp/gwbench OUT=$WORK/profile-<time> UP_PORT=18080 V_PORT=18190 CONC=64
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR=$1 STREAM=${2:-0} SECS=${3:-60}
WORK=${WORK:-/tmp/gwbench} OUT=${OUT:-$WORK/profile-$(date +%Y%m%d-%H%M%S)}
UP_PORT=${UP_PORT:-18080} V_PORT=${V_PORT:-18190} CONC=${CONC:-64}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
mkdir -p "$OUT"
PIDS=()
cleanup() { local p; for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
post() { curl -sS --fail-with-body --max-time 30 -H 'Content-Type: application/json' "$@"; }
setsid nohup node /work/shared/tools/fake-upstream.js "$UP_PORT" >"$OUT/upstream.log" 2>&1 </dev/null & PIDS+=("$!")
data=$(mktemp -d "$WORK/data.XXXXXX")
setsid nohup env DATA_DIR="$data" PORT="$V_PORT" HOST=127.0.0.1 RATE_LIMIT_PER_MINUTE=0 \
    OPENAI_API_BASE_URL="http://127.0.0.1:$UP_PORT/v1" ENABLE_OLLAMA_API=false \
    WEBUI_ADMIN_EMAIL=admin@bench.local WEBUI_ADMIN_PASSWORD=benchpass \
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
    "-XX:StartFlightRecording=filename=$OUT/rec.jfr,settings=profile" -jar "$JAR" >"$OUT/verity.log" 2>&1 </dev/null &
V=$!; PIDS+=("$V")
for ((t = 0; t < 600; t++)); do curl -s -o /dev/null "http://127.0.0.1:$V_PORT/health" && break; sleep 0.1; done
b="http://127.0.0.1:$V_PORT"
admin=$(post "$b/api/auths/signin" -d '{"email":"admin@bench.local","password":"benchpass"}' | jq -r .token)
post "$b/api/auths/add" -H "Authorization: Bearer $admin" -d '{"name":"U","email":"user@bench.local","password":"benchpass","role":"user"}' >/dev/null
user=$(post "$b/api/auths/signin" -d '{"email":"user@bench.local","password":"benchpass"}' | jq -r .token)
key=$(post "$b/api/users/api_key" -H "Authorization: Bearer $user" -d '{"name":"bench"}' | jq -r .api_key)
half=$((SECS / 2))
STREAM=$STREAM AUTH=$key wrk -t2 -c"$CONC" -d"${half}s" --timeout 5s -s "$HERE/wrk-chat.lua" "$b/api/chat/completions" >"$OUT/wrk-warm.txt"
after=$(date -u +%H:%M:%S)
c0=$(awk '{print $14+$15}' "/proc/$V/stat")
STREAM=$STREAM AUTH=$key wrk -t2 -c"$CONC" -d"${half}s" --timeout 5s --latency -s "$HERE/wrk-chat.lua" "$b/api/chat/completions" >"$OUT/wrk.txt"
c1=$(awk '{print $14+$15}' "/proc/$V/stat")
n=$(awk '/requests in/ {print $1}' "$OUT/wrk.txt")
echo "CPU µs/request in the measured half: $(awk -v d=$((c1 - c0)) -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", d * 1e6 / hz / n}') ($n requests)" | tee "$OUT/cpu.txt"
"$(dirname "$JAVA")/jcmd" "$V" JFR.dump filename="$OUT/rec.jfr" >/dev/null
python3 "$HERE/jfr-top.py" "$OUT/rec.jfr" 40 --after "$after" >"$OUT/top.txt"
echo "$OUT/top.txt"
