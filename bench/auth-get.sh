#!/usr/bin/env bash
# Benchmark 2: GET /api/auths/ authenticated with a session JWT and with an API key, plus a bare /health.
#   bench/auth-get.sh [runs] [duration]      (defaults: 3 runs of 10s, wrk -t2 -c64, after a 5 s warm-up each)
# The caller is a normal user (role user; admins skip the rate limiter and would flatter the figure), created by
# the admin through POST /api/auths/add. The server runs with RATE_LIMIT_PER_MINUTE=0 and BCRYPT_ROUNDS=4
# (only sign-in uses bcrypt; it is not on the measured path).
# Reports req/s and server CPU per request (utime+stime of the JVM from /proc, before/after each run).
. "$(dirname "$0")/lib.sh"
RUNS=${1:-3}
DUR=${2:-10s}
ensure_jar

data=$(mktemp -d "$BENCH_DIR/auth-get.XXXX")
port=$(free_port)
SERVER_ENV=(BCRYPT_ROUNDS=4)
start_server "$data" "$port"
wait_ready "$port"

admin=$(signin "$port" "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
jwt=$(new_user "$port" "$admin" "user@bench.local")
key=$(api POST "$port" /api/users/api_key "$jwt" '{"name":"bench"}' | jq -r '.api_key // .key')
[ "${key#sk-}" != "$key" ] || die "no API key in the response"
# Sanity: both credentials identify the user.
[ "$(api GET "$port" /api/auths/ "$jwt" | jq -r .role)" = user ] || die "JWT does not authenticate"
[ "$(api GET "$port" /api/auths/ "$key" | jq -r .role)" = user ] || die "API key does not authenticate"

log "auth-get: JIT warm-up (10 s per endpoint), then $RUNS x $DUR per case, wrk -t2 -c64; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for cred in "" "$jwt" "$key"; do
    if [ -z "$cred" ]; then
        run_wrk "$SERVER_PID" 10s -t2 -c64 "http://127.0.0.1:$port/health" >/dev/null
    else
        run_wrk "$SERVER_PID" 10s -t2 -c64 -H "Authorization: Bearer $cred" "http://127.0.0.1:$port/api/auths/" >/dev/null
    fi
done
printf '%-8s %4s %10s %10s %12s %9s %s\n' case run req_per_s requests cpu_us_req other_cpu errors
for case in health jwt apikey; do
    case $case in
        health) args=("http://127.0.0.1:$port/health") ;;
        jwt) args=(-H "Authorization: Bearer $jwt" "http://127.0.0.1:$port/api/auths/") ;;
        apikey) args=(-H "Authorization: Bearer $key" "http://127.0.0.1:$port/api/auths/") ;;
    esac
    rps_all=() cpu_all=()
    for ((i = 1; i <= RUNS; i++)); do
        run_wrk "$SERVER_PID" 5s -t2 -c64 "${args[@]}" >/dev/null   # warm-up
        read -r rps reqs cpu other errs < <(run_wrk "$SERVER_PID" "$DUR" -t2 -c64 "${args[@]}")
        printf '%-8s %4d %10s %10s %12s %8s%% %s\n' "$case" "$i" "$rps" "$reqs" "$cpu" "$other" "$errs"
        rps_all+=("$rps") cpu_all+=("$cpu")
    done
    rmed=$(printf '%s\n' "${rps_all[@]}" | median)
    cmed=$(printf '%s\n' "${cpu_all[@]}" | median)
    target=""
    [ "$case" != health ] && target=$(awk -v c="$cmed" 'BEGIN { print "; target <= 60 us CPU/req: " (c <= 60 ? "PASS" : "FAIL") }')
    printf 'SUMMARY %-8s median %s req/s, %s us CPU/req%s\n' "$case" "$rmed" "$cmed" "$target"
done
# A single request's server time with a warm cache, for reference.
for case in jwt apikey; do
    cred=$jwt
    [ "$case" = apikey ] && cred=$key
    st=$(for ((i = 0; i < 21; i++)); do
        curl -s -o /dev/null -D - -H "Authorization: Bearer $cred" "http://127.0.0.1:$port/api/auths/" | server_timing
    done | median)
    printf 'SUMMARY %-8s single request (sequential, cached credential): Server-Timing median %s ms\n' "$case" "$st"
done
# A credential's first request resolves it from the database (one read); later ones hit the 5 s cache.
first=$(for ((i = 0; i < 11; i++)); do
    t=$(signin "$port" user@bench.local benchpass)   # a new session token (new jti), never seen by the cache
    curl -s -o /dev/null -D - -H "Authorization: Bearer $t" "http://127.0.0.1:$port/api/auths/" | server_timing
done | median)
printf 'SUMMARY jwt      first request of a new token (cache miss, one database read): Server-Timing median %s ms\n' "$first"
stop_server
rm -rf "$data"
