#!/usr/bin/env bash
# Benchmark 4: feedback at scale. Seeds DATA_DIR with ROWS feedback rows when it has none yet
# (bench/seed-feedback.sh), then with the server on that database:
#   list         GET /api/v1/evaluations/feedbacks/list for every order_by x direction x page 1/100, and filters:
#                median Server-Timing of 20 requests each (target <= 5 ms); plus the SQL alone (bench/SqlTime.java)
#   leaderboard  GET /api/v1/evaluations/leaderboard (and ?query=coding): median of 5 (target <= 1 s)
#   export       GET /api/v1/evaluations/feedbacks/all/export?format=json|jsonl|csv, server at -Xmx256m with a GC
#                log: rows/s (target >= 50,000) and the largest heap after GC (target < 256 MB), 3 runs each
#   create       wrk -t2 -c64 -d10s -s bench/feedback-create.lua as a normal user, 3 runs after a 20 s warm-up:
#                req/s (target >= 3,000) and server CPU per request; the created rows are deleted afterwards
#
#   bench/feedback.sh [DATA_DIR=/tmp/bench/fb1m] [ROWS=1000000]
#   FEEDBACK_PARTS="list leaderboard export create" (default: all, in this order)
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/verity_bench bench/feedback.sh DATA_DIR   (PostgreSQL)
# The server runs with RATE_LIMIT_PER_MINUTE=0 and BCRYPT_ROUNDS=4 (for the benchmark user's account only).
. "$(dirname "$0")/lib.sh"
data=${1:-$BENCH_DIR/fb1m}
rows=${2:-1000000}
parts=${FEEDBACK_PARTS:-list leaderboard export create}
ensure_jar

SERVER_ENV=(BCRYPT_ROUNDS=4)
if [ -n "${DATABASE_URL:-}" ]; then
    SERVER_ENV+=(DATABASE_URL="$DATABASE_URL")
    rest=${DATABASE_URL#*://}
    creds=${rest%%@*} hostdb=${rest#*@}
    jdbc="jdbc:postgresql://$hostdb?user=${creds%%:*}"
    db_label="PostgreSQL ($hostdb)"
else
    jdbc="jdbc:sqlite:$data/webui.db"
    db_label="SQLite ($data/webui.db)"
fi
if [ ! -f "$data/.seeded-$rows" ]; then
    "$BENCH_SRC/seed-feedback.sh" "$data" "$rows" | tee "$data.seed.log"
    touch "$data/.seeded-$rows"
fi
log "feedback: $db_label, parts: $parts; load average: $(cut -d' ' -f1-3 /proc/loadavg)"

serve() { # [JVM options...]
    port=$(free_port)
    start_server "$data" "$port" "$@"
    wait_ready "$port" 120
    admin=$(signin "$port" "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
}

verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == "le" ? v <= t : v >= t); print (ok ? "PASS" : "FAIL") }'; }

part_list() {
    serve
    local paths=() ob dir page
    for ob in created_at updated_at username model_id rating; do
        for dir in desc asc; do
            for page in 1 100; do
                paths+=("/api/v1/evaluations/feedbacks/list?page=$page&order_by=$ob&direction=$dir")
            done
        done
    done
    local user_id week_ago
    user_id=$(api GET "$port" "/api/v1/evaluations/feedbacks/list?page=1" "$admin" | jq -r '.items[0].user_id')
    week_ago=$(( $(date +%s) - 7 * 86400 ))
    paths+=("/api/v1/evaluations/feedbacks/list?page=1&model_id=gpt-4o"
            "/api/v1/evaluations/feedbacks/list?page=1&model_id=codestral"
            "/api/v1/evaluations/feedbacks/list?page=1&rating=1"
            "/api/v1/evaluations/feedbacks/list?page=100&rating=1&order_by=rating"
            "/api/v1/evaluations/feedbacks/list?page=1&model_id=gpt-4o&rating=-1"
            "/api/v1/evaluations/feedbacks/list?page=1&user_id=$user_id"
            "/api/v1/evaluations/feedbacks/list?page=1&from=$week_ago"
            "/api/v1/evaluations/feedbacks/list?page=1&order_by=rating&model_id=gpt-4o")
    echo "LIST (Server-Timing ms; 20 requests after 2 warm-ups, at most 60 s per path; target median <= 5 ms)"
    printf '%-62s %9s %9s %4s %9s %8s %9s %s\n' path median p90 n wall total first verdict
    timeout 2400 python3 "$BENCH_SRC/timing-client.py" "$port" "$admin" 20 2 60 "${paths[@]}" |
        while read -r path med p90 n wall total first; do
            v=$(verdict "$med" 5 le)
            printf '%-62s %9s %9s %4s %9s %8s %9s %s\n' "${path#/api/v1/evaluations/feedbacks/list}" "$med" "$p90" "$n" "$wall" \
                "$total" "$first" "$v"
            echo "$v" >>"$BENCH_DIR/list-verdicts.$$"
        done
    printf 'SUMMARY list: %d of %d paths meet <= 5 ms median server time\n' "$(grep -c PASS "$BENCH_DIR/list-verdicts.$$")" \
        "$(wc -l <"$BENCH_DIR/list-verdicts.$$")"
    rm -f "$BENCH_DIR/list-verdicts.$$"
    stop_server
    # The same SQL the server runs (FeedbackStore.count / page: ids from the index, then the page's rows), alone,
    # through the same JDBC driver.
    local cols="f.id, f.user_id, f.version, f.type, f.data, f.meta, f.created_at, f.updated_at, u.name AS u_name, u.email AS u_email, u.role AS u_role, u.last_active_at AS u_active, u.updated_at AS u_updated, u.created_at AS u_created"
    page() { # ORDER BY, OFFSET
        echo "SELECT $cols FROM (SELECT f.id FROM feedback f WHERE 1=1 $1 LIMIT 30 OFFSET $2) p JOIN feedback f ON f.id = p.id JOIN users u ON u.id = f.user_id $1"
    }
    echo "SQL alone (median of 10 after one warm-up)"
    timeout 1200 "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$RUN_JAR" "$BENCH_SRC/SqlTime.java" "$jdbc" 10 \
        "SELECT COUNT(*) FROM feedback f WHERE 1=1" \
        "SELECT COUNT(*) FROM feedback f WHERE 1=1 AND f.model_id = 'gpt-4o'" \
        "SELECT COUNT(*) FROM feedback f WHERE 1=1 AND f.rating_num = 1.0" \
        "$(page "ORDER BY f.created_at DESC, f.id DESC" 0)" \
        "$(page "ORDER BY f.created_at DESC, f.id DESC" 2970)" \
        "$(page "ORDER BY f.updated_at DESC, f.id DESC" 2970)" \
        "$(page "ORDER BY f.user_name DESC, f.created_at DESC, f.id DESC" 2970)" \
        "$(page "ORDER BY f.model_id DESC NULLS LAST, f.created_at DESC, f.id DESC" 2970)" \
        "$(page "ORDER BY f.rating_num DESC NULLS LAST, f.created_at DESC, f.id DESC" 2970)" \
        "$(page "ORDER BY f.rating_num ASC NULLS FIRST, f.created_at ASC, f.id ASC" 2970)" \
        2> >(grep -v -e '^WARNING' -e '^SLF4J' -e '^$' >&2)
}

part_leaderboard() {
    serve
    echo "LEADERBOARD (Server-Timing ms; 5 requests after 1 warm-up (served from the board cache); target median <= 1000 ms)"
    timeout 1800 python3 "$BENCH_SRC/timing-client.py" "$port" "$admin" 5 1 600 \
        /api/v1/evaluations/leaderboard "/api/v1/evaluations/leaderboard?query=coding" \
        "/api/v1/evaluations/leaderboard/gpt-4o/history?days=30" |
        while read -r path med p90 n wall total first; do
            printf 'SUMMARY leaderboard cached %-45s median %9s ms  p90 %9s ms  n %s  wall %9s ms  first %9s ms  %s\n' "$path" "$med" \
                "$p90" "$n" "$wall" "$first" "$(verdict "$med" 1000 le)"
        done
    # Boards are cached until any feedback changes: measure the recomputation too, each request right after a
    # new feedback (which is what a leaderboard sees while people are rating).
    local path i st all
    for path in /api/v1/evaluations/leaderboard "/api/v1/evaluations/leaderboard?query=coding"; do
        all=()
        for ((i = 1; i <= 5; i++)); do
            api POST "$port" /api/v1/evaluations/feedback "$admin" \
                '{"type":"rating","data":{"rating":1,"model_id":"gpt-4o","sibling_model_ids":["mistral:7b"],"tags":["coding"]},"meta":{"bench":"leaderboard"}}' >/dev/null
            st=$(curl -s --max-time 600 -o /dev/null -D - -H "Authorization: Bearer $admin" "http://127.0.0.1:$port$path" | server_timing)
            all+=("$st")
        done
        read -r med p90 min max n < <(printf '%s\n' "${all[@]}" | stats)
        printf 'SUMMARY leaderboard recomputed after a feedback change %-40s median %9s ms (runs: %s): %s\n' "$path" "$med" \
            "${all[*]}" "$(verdict "$med" 1000 le)"
    done
    # Edits and deletes of old feedback: each request right after an edit of the oldest feedback's meta (its
    # rating unchanged), after an edit that flips the rating of one of the oldest votes, and after a delete of one
    # of the oldest feedback (this changes the database: run it on a copy).
    local oldest votes olds
    oldest=$(api GET "$port" "/api/v1/evaluations/feedbacks/list?page=1&order_by=created_at&direction=asc" "$admin" | jq -r '.items[0].id')
    votes=$(api GET "$port" "/api/v1/evaluations/feedbacks/list?page=1&order_by=created_at&direction=asc&rating=1" "$admin" | jq -r '.items[].id')
    olds=$(api GET "$port" "/api/v1/evaluations/feedbacks/list?page=2&order_by=created_at&direction=asc" "$admin" | jq -r '.items[].id')
    local change target k=0
    for change in edit rating delete; do
        for path in /api/v1/evaluations/leaderboard "/api/v1/evaluations/leaderboard?query=coding"; do
            all=()
            for ((i = 1; i <= 5; i++)); do
                case $change in
                    edit) api POST "$port" "/api/v1/evaluations/feedback/$oldest" "$admin" "{\"meta\":{\"bench\":\"edit $i\"}}" >/dev/null ;;
                    rating) k=$((k + 1)) target=$(sed -n "${k}p" <<<"$votes")
                        api GET "$port" "/api/v1/evaluations/feedback/$target" "$admin" | jq -c '{data: (.data | .rating = -1)}' |
                            api POST "$port" "/api/v1/evaluations/feedback/$target" "$admin" @- >/dev/null ;;
                    delete) k=$((k + 1)) target=$(sed -n "${k}p" <<<"$olds")
                        api DELETE "$port" "/api/v1/evaluations/feedback/$target" "$admin" >/dev/null ;;
                esac
                st=$(curl -s --max-time 600 -o /dev/null -D - -H "Authorization: Bearer $admin" "http://127.0.0.1:$port$path" | server_timing)
                all+=("$st")
            done
            read -r med p90 min max n < <(printf '%s\n' "${all[@]}" | stats)
            printf 'SUMMARY leaderboard right after a %-6s of old feedback %-40s median %9s ms (runs: %s): %s\n' "$change" "$path" \
                "$med" "${all[*]}" "$(verdict "$med" 1000 le)"
        done
    done
    grep -h 'leaderboard log' "$data/server.log" | tail -1
    api GET "$port" /api/v1/evaluations/leaderboard "$admin" | jq -c '[.entries[] | {m: .model_id, r: .rating, n: .count}][:5]'
    api DELETE "$port" /api/v1/evaluations/feedbacks "$admin" >/dev/null   # the admin's 10 benchmark ratings
    stop_server
}

part_export() {
    local gclog="$BENCH_DIR/gc-export.$$.log"
    rm -f "$gclog"
    JAVA_HEAP=256m serve "-Xlog:gc:file=$gclog"
    local total
    total=$(api GET "$port" "/api/v1/evaluations/feedbacks/list?page=1" "$admin" | jq .total)
    echo "EXPORT of $total rows, server -Xmx256m (target >= 50,000 rows/s and heap < 256 MB)"
    printf '%-6s %3s %9s %10s %9s %12s %10s\n' format run seconds MB rows rows_per_s cpu_us_row
    local fmt i out secs bytes code lines c0 c1 rates
    for fmt in json jsonl csv; do
        rates=()
        for ((i = 1; i <= 3; i++)); do
            c0=$(cpu_us "$SERVER_PID")
            lines=$(curl -sS --max-time 900 -H "Authorization: Bearer $admin" \
                -w '%{stderr}%{time_total} %{size_download} %{http_code}\n' \
                "http://127.0.0.1:$port/api/v1/evaluations/feedbacks/all/export?format=$fmt" 2>"$BENCH_DIR/curl.$$" | wc -l)
            c1=$(cpu_us "$SERVER_PID")
            read -r secs bytes code <"$BENCH_DIR/curl.$$"
            [ "$code" = 200 ] || die "export $fmt answered $code"
            # rows seen: jsonl = lines, csv = lines - header, json = total (one line)
            case $fmt in jsonl) seen=$lines ;; csv) seen=$((lines - 1)) ;; json) seen=$total ;; esac
            rate=$(awk -v n="$total" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
            rates+=("$rate")
            printf '%-6s %3d %9.1f %10.1f %9s %12s %10.1f\n' "$fmt" "$i" "$secs" "$(echo "$bytes / 1000000" | bc -l)" \
                "$seen" "$rate" "$(echo "($c1 - $c0) / $total" | bc -l)"
        done
        med=$(printf '%s\n' "${rates[@]}" | median)
        printf 'SUMMARY export %-5s median %.0f rows/s: %s\n' "$fmt" "$med" "$(verdict "$med" 50000 ge)"
    done
    rm -f "$BENCH_DIR/curl.$$"
    stop_server
    local oom=no
    grep -q OutOfMemoryError "$data/server.log" && oom=YES
    awk -v oom="$oom" '/Pause/ { split($0, a, "->"); sub(/M.*/, "", a[2]); if (a[2] + 0 > max) max = a[2] + 0; n++ }
        /\([0-9]+M\)/ { match($0, /\(([0-9]+)M\)/, c); if (c[1] + 0 > cap) cap = c[1] + 0 }
        END { printf "SUMMARY export heap: %d GCs, largest heap after GC %d MB, largest committed heap %d MB, OutOfMemoryError: %s: %s\n",
              n, max, cap, oom, (max < 256 && oom == "no" ? "PASS" : "FAIL") }' "$gclog"
    rm -f "$gclog"
}

# Servers since V8 load the leaderboards' in-memory log in the background at start-up (one scan of every
# feedback); wait for it (up to 300 s) so that a create run measures creates alone. Prints the load time.
wait_game_log() { # SERVER_LOG_LINE: lines of server.log before this server started
    python3 -c 'import sys, zipfile; sys.exit("verity/feedback/GameLog.class" not in zipfile.ZipFile(sys.argv[1]).namelist())' \
        "$RUN_JAR" || return 0
    local i line
    for ((i = 0; i < 600; i++)); do
        line=$(tail -n "+$(($1 + 1))" "$data/server.log" | grep -h 'leaderboard log:' | tail -1 || true)
        if [ -n "$line" ]; then
            echo "$line"
            return 0
        fi
        sleep 0.5
    done
}

part_create() {
    local lines
    lines=0
    [ -f "$data/server.log" ] && lines=$(wc -l <"$data/server.log")
    serve
    wait_game_log "$lines"
    local email=fbcreate@bench.local token i
    if ! token=$(new_user "$port" "$admin" "$email" 2>/dev/null); then
        token=$(signin "$port" "$email" benchpass)
    fi
    export TOKEN=$token
    echo "CREATE (wrk -t2 -c64, 3 x 10 s after a 20 s warm-up; target >= 3,000 req/s)"
    printf '%4s %10s %10s %12s %9s %s\n' run req_per_s requests cpu_us_req other_cpu errors
    run_wrk "$SERVER_PID" 20s -t2 -c64 -s "$BENCH_SRC/feedback-create.lua" "http://127.0.0.1:$port" >/dev/null
    local rps_all=() cpu_all=()
    for ((i = 1; i <= 3; i++)); do
        read -r rps reqs cpu other errs < <(run_wrk "$SERVER_PID" 10s -t2 -c64 -s "$BENCH_SRC/feedback-create.lua" "http://127.0.0.1:$port")
        printf '%4d %10s %10s %12s %8s%% %s\n' "$i" "$rps" "$reqs" "$cpu" "$other" "$errs"
        rps_all+=("$rps") cpu_all+=("$cpu")
    done
    local st
    st=$(for ((i = 0; i < 21; i++)); do
        curl -s -o /dev/null -D - -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
            --data-binary '{"type":"rating","data":{"rating":1,"model_id":"gpt-4o","sibling_model_ids":["mistral:7b"],"tags":["coding"]},"meta":{}}' \
            "http://127.0.0.1:$port/api/v1/evaluations/feedback" | server_timing
    done | median)
    med=$(printf '%s\n' "${rps_all[@]}" | median)
    printf 'SUMMARY create median %s req/s, %s us CPU/req, single sequential request %s ms server time: %s\n' "$med" \
        "$(printf '%s\n' "${cpu_all[@]}" | median)" "$st" "$(verdict "$med" 3000 ge)"
    api DELETE "$port" /api/v1/evaluations/feedbacks "$token" >/dev/null   # leave the seeded database as it was
    stop_server
}

for part in $parts; do
    "part_$part"
done
