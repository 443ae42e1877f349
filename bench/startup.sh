#!/usr/bin/env bash
# Benchmark 1: time from process start to the first 200 on /health, and the CPU the server used until then.
#   bench/startup.sh [runs]        (default 7 runs per case; extra JVM options via STARTUP_JVM_OPTS)
# Cases: "fresh" = new empty DATA_DIR every run (Flyway creates the schema, the admin is created with bcrypt
# bcrypt cost 12 as in production), "fresh-bcrypt4" = the same with BCRYPT_ROUNDS=4 (isolates the admin's
# password hash), "existing" = the same DATA_DIR reused (schema up to date).
# A small python poller starts the JVM, polls /health every 5 ms over a raw socket (no curl fork per poll),
# and reads utime+stime of the JVM from /proc at the first 200.
. "$(dirname "$0")/lib.sh"
RUNS=${1:-7}
ensure_jar

poll() { # CASE DATA_DIR -> "ms cpu_s"
    local port rounds=12
    port=$(free_port)
    [ "$1" = fresh-bcrypt4 ] && rounds=4
    env BCRYPT_ROUNDS=$rounds DATA_DIR="$2" PORT="$port" HOST=127.0.0.1 RATE_LIMIT_PER_MINUTE=0 \
        WEBUI_ADMIN_EMAIL="$ADMIN_EMAIL" WEBUI_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
        python3 - "$JAVA" "$RUN_JAR" "$port" "$2/server.log" ${STARTUP_JVM_OPTS:-} <<'PY'
import os, socket, subprocess, sys, time
java, jar, port, logfile, *jvm = sys.argv[1:]
hz = os.sysconf("SC_CLK_TCK")
cmd = [java, "--enable-native-access=ALL-UNNAMED", "-Xmx512m", *jvm, "-jar", jar]
with open(logfile, "ab") as log:
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = t0 + 60
        while True:
            if time.monotonic() > deadline or p.poll() is not None:
                print("nan nan"); sys.exit(1)
            try:
                with socket.create_connection(("127.0.0.1", int(port)), timeout=2) as s:
                    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    if s.recv(64).startswith(b"HTTP/1.1 200"):
                        ms = (time.monotonic() - t0) * 1000
                        break
            except OSError:
                pass
            time.sleep(0.005)
        with open(f"/proc/{p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / hz
        print(f"{ms:.0f} {cpu:.2f}")
    finally:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill(); p.wait()
PY
}

existing=$(mktemp -d "$BENCH_DIR/startup-existing.XXXX")
poll warmup "$existing" >/dev/null   # creates the schema and the admin once
log "startup: $RUNS runs per case (JVM options: ${STARTUP_JVM_OPTS:-none}); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-13s %4s %10s %10s\n' case run ready_ms cpu_s
for case in fresh fresh-bcrypt4 existing; do
    ms_all=() cpu_all=()
    for ((i = 1; i <= RUNS; i++)); do
        if [ "$case" != existing ]; then
            dir=$(mktemp -d "$BENCH_DIR/startup-fresh.XXXX")
        else
            dir=$existing
        fi
        read -r ms cpu < <(poll "$case" "$dir")
        [ "$case" != existing ] && rm -rf "$dir"
        printf '%-13s %4d %10s %10s\n' "$case" "$i" "$ms" "$cpu"
        ms_all+=("$ms") cpu_all+=("$cpu")
    done
    read -r med p90 min max n < <(printf '%s\n' "${ms_all[@]}" | stats)
    cmed=$(printf '%s\n' "${cpu_all[@]}" | median)
    verdict=$(awk -v m="$med" 'BEGIN { print (m <= 2000 ? "PASS" : "FAIL") }')
    printf 'SUMMARY %-13s median %s ms (min %s, max %s), CPU until ready median %s s; target <= 2000 ms: %s\n' \
        "$case" "$med" "$min" "$max" "$cmed" "$verdict"
done
rm -rf "$existing"
