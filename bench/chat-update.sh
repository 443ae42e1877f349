#!/usr/bin/env bash
# Benchmark 3: updates of a whole 2,000-message (~5 MB) chat, as Open WebUI posts them.
#   bench/chat-update.sh [updates=30] [runs=3] [messages=2000]
# Generates the chat with bench/gen-chat.py, creates it as a normal user, then 10 unmeasured warm-up updates
# and RUNS runs of UPDATES sequential updates (POST /api/chats/{id} with {"chat": <whole chat>}, the last
# message changed each time). Reports the Server-Timing dur (server time) and client wall time per update,
# median and p90, and server CPU per update. BCRYPT_ROUNDS=4 (sign-in is not measured).
. "$(dirname "$0")/lib.sh"
UPDATES=${1:-30}
RUNS=${2:-3}
MESSAGES=${3:-2000}
ensure_jar

chat="$BENCH_DIR/chat-$MESSAGES.json"
[ -f "$chat" ] || python3 "$BENCH_SRC/gen-chat.py" "$chat" "$MESSAGES"
data=$(mktemp -d "$BENCH_DIR/chat-update.XXXX")
port=$(free_port)
SERVER_ENV=(BCRYPT_ROUNDS=4)
start_server "$data" "$port" ${CHAT_JVM_OPTS:-}
wait_ready "$port"
admin=$(signin "$port" "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
token=$(new_user "$port" "$admin" "chat@bench.local")
log "chat-update: $RUNS x $UPDATES updates of $chat; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 900 python3 "$BENCH_SRC/chat-client.py" "$port" "$token" "$chat" "$SERVER_PID" "$UPDATES" 10 "$RUNS"
stop_server
rm -rf "$data"
