#!/usr/bin/env bash
# Creates a Verity SQLite database with N seeded feedback rows (or seeds a PostgreSQL database).
#   bench/seed-feedback.sh DATA_DIR [rows=1000000]                       SQLite: DATA_DIR/webui.db
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/verity_bench bench/seed-feedback.sh DATA_DIR [rows]
# Starts the server once so Flyway creates the schema and the admin, stops it, then runs
# bench/SeedFeedback.java through JDBC. Prints the seeding wall time and CPU time.
. "$(dirname "$0")/lib.sh"
data=${1:?usage: seed-feedback.sh DATA_DIR [rows]}
rows=${2:-1000000}
ensure_jar

port=$(free_port)
if [ -n "${DATABASE_URL:-}" ]; then
    SERVER_ENV=(DATABASE_URL="$DATABASE_URL")
    rest=${DATABASE_URL#*://}           # user[:pass]@host:port/db
    creds=${rest%%@*} hostdb=${rest#*@}
    jdbc="jdbc:postgresql://$hostdb?user=${creds%%:*}"
    [ "$creds" != "${creds%%:*}" ] && jdbc="$jdbc&password=${creds#*:}"
else
    jdbc="jdbc:sqlite:$data/webui.db"
fi
start_server "$data" "$port"
wait_ready "$port"
stop_server
log "seeding $rows feedback rows into $jdbc; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s.%N)
/usr/bin/time -f 'SEED_CPU user %U s, sys %S s, max RSS %M KB' \
    "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$RUN_JAR" "$BENCH_SRC/SeedFeedback.java" "$jdbc" "$rows" 2>&1 |
    grep --line-buffered -v -e '^WARNING' -e '^SLF4J' -e '^$'
end=$(date +%s.%N)
printf 'SUMMARY seed %s rows: %.1f s wall (JVM start and compile of SeedFeedback.java included)\n' "$rows" "$(echo "$end - $start" | bc)"
[ -z "${DATABASE_URL:-}" ] && ls -la "$data"/webui.db* >&2
true
