#!/usr/bin/env bash
# RAG benchmark 1: ingest throughput over HTTP (upload -> extract -> split -> embed -> index), chunks/s and server
# CPU per chunk, for each RAG_EMBEDDING_BATCH_SIZE given.
#   bench/ingest.sh [runs] [batch sizes...]        (default: 3 runs, batch size 32)
#   e.g. bench/ingest.sh 3 32 && bench/ingest.sh 1 8 128
# Corpus: $BENCH_DIR/corpus (made on first use by gen-corpus.py + MakePdfs.java: 190 text/markdown documents and
# 10 PDFs, 5-50 KB each). Each run starts a server on a fresh DATA_DIR, lets ingest-client.py upload and time
# the corpus, and stops the server. QUERIES=n (default 0) also times n retrieval queries per mode on the corpus.
# Env: INGEST_HEAP (server -Xmx, default 1g), CPUS (taskset -c list for the server, e.g. 0,1; default none).
. "$(dirname "$0")/lib.sh"
RUNS=${1:-3}
shift || true
BATCHES=("$@")
[ ${#BATCHES[@]} -eq 0 ] && BATCHES=(32)
JAVA_HEAP=${INGEST_HEAP:-1g}
CORPUS=$BENCH_DIR/corpus
ensure_jar

if [ ! -d "$CORPUS" ]; then
    python3 "$BENCH_SRC/gen-corpus.py" "$CORPUS" 200 10 >&2
    "$JAVA" -cp "$RUN_JAR" "$BENCH_SRC/MakePdfs.java" "$CORPUS" >&2 2>/dev/null
fi
log "ingest: corpus $CORPUS ($(ls "$CORPUS" | wc -l) files, $(du -sh "$CORPUS" | cut -f1)), $RUNS run(s) per batch size ${BATCHES[*]}"

for batch in "${BATCHES[@]}"; do
    results=()
    for ((run = 1; run <= RUNS; run++)); do
        data=$(mktemp -d "$BENCH_DIR/ingest-data.XXXX")
        port=$(free_port)
        SERVER_ENV=(RAG_EMBEDDING_BATCH_SIZE="$batch")
        load0=$(cut -d' ' -f1 /proc/loadavg)
        start_server "$data" "$port" --add-modules jdk.incubator.vector
        wait_ready "$port" 120
        token=$(signin "$port" "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
        line=$(timeout 1800 python3 "$BENCH_SRC/ingest-client.py" "$port" "$token" "$SERVER_PID" "$CORPUS" "${QUERIES:-0}")
        load1=$(cut -d' ' -f1 /proc/loadavg)
        stop_server "$SERVER_PID"
        echo "RUN batch=$batch run=$run $line load_start=$load0 load_end=$load1"
        results+=("$line")
        rm -rf "$data"
    done
    get() { printf '%s\n' "${results[@]}" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k {print $2}'; }
    cps=$(get chunks_per_s | median)
    cpc=$(get cpu_ms_per_chunk | median)
    verdict=$(awk -v c="$cps" 'BEGIN { print (c >= 400 ? "PASS" : "FAIL") }')
    echo "SUMMARY batch=$batch runs=$RUNS median chunks/s $cps, median server CPU $cpc ms/chunk; target >= 400 chunks/s on 2 cores: $verdict"
done
