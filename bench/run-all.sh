#!/usr/bin/env bash
# Runs every benchmark in order, each bounded by a timeout, and keeps their output.
#   bench/run-all.sh              uses /tmp/bench/verity.jar (copied from target/ if missing)
#   REBUILD=1 bench/run-all.sh    ./verity build first and copy the fresh jar
#   KEEP_DB=1                     keep the seeded 1M-row database (/tmp/bench/fb1m, ~1.3 GB) for another run
#   FEEDBACK_ROWS=100000          seed fewer rows (default 1,000,000)
# Output: one file per benchmark under /tmp/bench/results-<timestamp>/, and on the terminal.
# Every server is started on 127.0.0.1 and a free port and stopped by PID when its script ends.
. "$(dirname "$0")/lib.sh"
if [ "${REBUILD:-0}" = 1 ]; then
    (cd "$ROOT" && ./verity build >&2)
    install_jar "$ROOT/target/verity.jar"
fi
ensure_jar
out="$BENCH_DIR/results-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
{
    echo "date: $(date -Is)"
    echo "host: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "java: $("$JAVA" -version 2>&1 | head -1)"
    echo "jar: $JAR ($(sha256sum "$JAR" | cut -c1-12)), commit $(git -C "$ROOT" log -1 --format=%h 2>/dev/null)"
    echo "wrk: $(wrk -v 2>&1 | head -1)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"

status=0
step() { # NAME TIMEOUT_SECONDS COMMAND...
    local name=$1 limit=$2
    shift 2
    log "=== $name (at most ${limit}s)"
    if ! timeout --kill-after=30 "$limit" "$@" 2>&1 | tee "$out/$name.txt"; then
        log "$name FAILED or timed out"
        status=1
    fi
}
step startup 900 "$BENCH_SRC/startup.sh" 7
step auth-get 900 "$BENCH_SRC/auth-get.sh" 3 10s
step chat-update 1200 "$BENCH_SRC/chat-update.sh" 30 3
step feedback 5400 "$BENCH_SRC/feedback.sh" "$BENCH_DIR/fb1m" "${FEEDBACK_ROWS:-1000000}"
grep -h SUMMARY "$out"/*.txt | tee "$out/summary.txt"
if [ "${KEEP_DB:-0}" != 1 ]; then
    rm -rf "$BENCH_DIR/fb1m" "$BENCH_DIR/fb1m.seed.log"
fi
rm -f "$BENCH_DIR"/chat-*.json
log "results in $out"
exit $status
