# Shared helpers for the Verity benchmarks. Source it: . "$(dirname "$0")/lib.sh"
#
# Environment (all optional):
#   JAVA        JDK 21+ java binary (default: temurin 25, else `java` on PATH)
#   BENCH_DIR   scratch directory for jars, data dirs and logs (default /tmp/bench)
#   JAR         server jar to run (default $BENCH_DIR/verity.jar; built and copied from target/ when missing)
#   JAVA_HEAP   -Xmx for the server (default 512m)
set -euo pipefail

BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_SRC/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
JAR=${JAR:-$BENCH_DIR/verity.jar}
JAVA_HEAP=${JAVA_HEAP:-512m}
if [ -z "${JAVA:-}" ]; then
    if [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
        JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
    else
        JAVA=java
    fi
fi
CLK_TCK=$(getconf CLK_TCK)
ADMIN_EMAIL=admin@bench.local
ADMIN_PASSWORD=benchpass
mkdir -p "$BENCH_DIR"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# Copy target/verity.jar to $JAR (others rebuild target/ concurrently, so we always run our own copy).
# Processes run from RUN_JAR, a private copy of $JAR made per script run and deleted at exit, because
#  - several sessions share /tmp/bench: one of them copying a new jar over verity.jar in place broke a
#    running JVM of ours (NoClassDefFoundError), and
#  - while these benchmarks were written, something on the machine SIGTERMed our java processes whose
#    command line named verity.jar (a `pkill -f verity.jar`-style cleanup, we assume) three times in 20 minutes.
RUN_JAR=
ensure_jar() {
    if [ ! -f "$JAR" ]; then
        if [ ! -f "$ROOT/target/verity.jar" ]; then
            (cd "$ROOT" && ./verity build >&2)
        fi
        install_jar "$ROOT/target/verity.jar"
    fi
    RUN_JAR=$(mktemp --suffix=.jar "$BENCH_DIR/bench-server.XXXXXX")
    cp "$JAR" "$RUN_JAR"
}

# Replace $JAR atomically (a new inode), so JVMs still running the old file are not disturbed.
install_jar() {
    cp "$1" "$JAR.tmp.$$"
    mv -f "$JAR.tmp.$$" "$JAR"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# utime+stime of a process (all its threads) in microseconds.
cpu_us() {
    local stat
    stat=$(cat "/proc/$1/stat") || return 1
    # Fields after the ")" that closes the command name: state is $1, utime $12, stime $13.
    echo "${stat##*) }" | awk -v hz="$CLK_TCK" '{ printf "%d\n", ($12 + $13) * 1000000 / hz }'
}

SERVER_PIDS=()

# start_server DATA_DIR PORT [JVM options...]; extra server env can be given as SERVER_ENV=(VAR=value ...).
# Sets SERVER_PID. The server log is DATA_DIR/server.log.
start_server() {
    local data=$1 port=$2
    shift 2
    mkdir -p "$data"
    env DATA_DIR="$data" PORT="$port" HOST=127.0.0.1 RATE_LIMIT_PER_MINUTE=0 \
        WEBUI_ADMIN_EMAIL="$ADMIN_EMAIL" WEBUI_ADMIN_PASSWORD="$ADMIN_PASSWORD" ${SERVER_ENV[@]+"${SERVER_ENV[@]}"} \
        "$JAVA" --enable-native-access=ALL-UNNAMED "-Xmx$JAVA_HEAP" "$@" -jar "$RUN_JAR" >>"$data/server.log" 2>&1 &
    SERVER_PID=$!
    SERVER_PIDS+=("$SERVER_PID")
}

# wait_ready PORT [seconds]: until /health answers 200.
wait_ready() {
    local port=$1 limit=${2:-60} i
    for ((i = 0; i < limit * 20; i++)); do
        if curl -sf -o /dev/null "http://127.0.0.1:$port/health"; then
            return 0
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            die "server exited during start-up (see its server.log)"
        fi
        sleep 0.05
    done
    die "server not ready after ${limit}s"
}

stop_server() {
    local pid=${1:-$SERVER_PID} i
    kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

cleanup_servers() {
    local pid
    for pid in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do
        stop_server "$pid"
    done
    [ -n "$RUN_JAR" ] && rm -f "$RUN_JAR"
    return 0
}
trap cleanup_servers EXIT
trap 'exit 130' INT TERM

# api METHOD PORT PATH [TOKEN] [JSON body] -> response body on stdout; fails on HTTP >= 400.
api() {
    local method=$1 port=$2 path=$3 token=${4:-} body=${5:-}
    local args=(-sS --fail-with-body --max-time 60 -X "$method" "http://127.0.0.1:$port$path")
    [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    curl "${args[@]}"
}

signin() { # PORT EMAIL PASSWORD -> token
    api POST "$1" /api/auths/signin "" "{\"email\":\"$2\",\"password\":\"$3\"}" | jq -r .token
}

# new_user PORT ADMIN_TOKEN EMAIL -> token of a new account with role user (password benchpass)
new_user() {
    api POST "$1" /api/auths/add "$2" "{\"name\":\"Bench User\",\"email\":\"$3\",\"password\":\"benchpass\",\"role\":\"user\"}" >/dev/null
    signin "$1" "$3" benchpass
}

# Median / stats of numbers on stdin (one per line): prints "median p90 min max n".
stats() {
    python3 -c '
import sys, statistics
v = sorted(float(x) for x in sys.stdin.read().split())
if not v: print("nan nan nan nan 0"); sys.exit()
p90 = v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
print("%.3f %.3f %.3f %.3f %d" % (statistics.median(v), p90, v[0], v[-1], len(v)))'
}
median() { stats | cut -d" " -f1; }

# Busy and total jiffies of the whole machine (all CPUs), from /proc/stat.
machine_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

# run_wrk PID DURATION WRK-ARGS... : runs wrk against the server PID; prints
# "req_per_s requests cpu_us_per_req other_cpu_pct errors", where other_cpu_pct is the share of the machine's
# CPU (all cores) used by everything but the server during the run: wrk itself plus other sessions' work.
run_wrk() {
    local pid=$1 dur=$2
    shift 2
    local out c0 c1 m0 m1
    c0=$(cpu_us "$pid")
    m0=$(machine_jiffies)
    out=$(timeout $((${dur%s} + 30)) wrk -d "$dur" "$@")
    c1=$(cpu_us "$pid")
    m1=$(machine_jiffies)
    echo "$out" >>"$BENCH_DIR/wrk.log"
    local rps reqs errs
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    reqs=$(echo "$out" | awk '/requests in/ {print $1}')
    errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {s = s $0 "; "} END {print (s == "" ? "none" : s)}')
    awk -v r="$rps" -v n="$reqs" -v d=$((c1 - c0)) -v e="$errs" -v m0="$m0" -v m1="$m1" -v hz="$CLK_TCK" 'BEGIN {
        split(m0, a, " "); split(m1, b, " ");
        busy = b[1] - a[1]; total = b[2] - a[2]; server = d * hz / 1000000;
        other = total > 0 ? 100 * (busy - server) / total : 0; if (other < 0) other = 0;
        printf "%s %d %.1f %.0f %s\n", r, n, (n > 0 ? d / n : 0), other, (e == "none" ? "0" : "\"" e "\"") }'
}

# Server-Timing dur (ms) from a response's headers on stdin.
server_timing() { tr -d '\r' | awk -F'dur=' 'tolower($0) ~ /^server-timing:/ {print $2}'; }
