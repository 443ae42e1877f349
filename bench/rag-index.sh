#!/usr/bin/env bash
# RAG benchmark 2: top-5 retrieval latency over a 1M-chunk index (LuceneChunkIndex, synthetic data).
#   bench/rag-index.sh [files] [chunks_per_file] [max_build_seconds] [queries] [warmup]
#   (defaults 1000 1000 3600 2000 300: 1M chunks, as 1000 files x 1000 chunks)
# Builds $BENCH_DIR/idx-<files>x<chunks> with RagIndexBench.java unless it exists (the build can take 30-60 min
# on 2 busy cores; it stops after max_build_seconds and searches what it has), then runs the search cases:
# vector-only and hybrid (bm25 weight 0.5), filter = all files or 10 files, plus the same queries in plain
# Lucene to split the cost. Disk needed: ~3.5 GB per 1M chunks. Heap: INDEX_HEAP (default 4g).
. "$(dirname "$0")/lib.sh"
FILES=${1:-1000}
PER_FILE=${2:-1000}
MAX_S=${3:-3600}
QUERIES=${4:-2000}
WARMUP=${5:-300}
HEAP=${INDEX_HEAP:-4g}
ensure_jar
IDX=$BENCH_DIR/idx-${FILES}x$PER_FILE
run() { "$JAVA" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector "-Xmx$HEAP" -cp "$RUN_JAR" \
    "$BENCH_SRC/RagIndexBench.java" "$@" 2>&1 | grep -v '^WARNING\|^INFO\|PanamaVectorization\|^$'; }
log "rag-index: $IDX, load average $(cut -d' ' -f1-3 /proc/loadavg), free disk $(df -h "$BENCH_DIR" | awk 'NR == 2 {print $4}')"
if [ ! -f "$IDX.files" ]; then
    run build "$IDX" "$FILES" "$PER_FILE" "$MAX_S"
fi
du -sh "$IDX"
run search "$IDX" "$QUERIES" "$WARMUP"
