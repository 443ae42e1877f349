#!/usr/bin/env bash
# Where a running server's CPU goes, native code included (JFR sees only Java): samples the process with
# `perf record -e cpu-clock` for a while, writes the JIT's symbol map with `jcmd PID Compiler.perfmap`, and prints
# the shares by shared object (kernel, SQLite, the JVM, JIT-compiled Java) and the top symbols.
#   bench/perf-profile.sh PID SECONDS OUT_DIR
# Run it while a load generator keeps the server busy. Needs linux-perf (Debian: linux-perf).
set -euo pipefail
pid=$1 secs=$2 out=$3
mkdir -p "$out"
JCMD=${JCMD:-$(dirname "$(readlink -f "/proc/$pid/exe")")/jcmd}
perf record -q -e cpu-clock -F 1999 ${PERF_RECORD_ARGS:-} -p "$pid" -o "$out/perf.data" -- sleep "$secs" 2>/dev/null
"$JCMD" "$pid" Compiler.perfmap >/dev/null 2>&1 || true
perf report -i "$out/perf.data" --no-children --sort dso --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15 >"$out/dso.txt"
perf report -i "$out/perf.data" --no-children --sort dso,sym --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -80 >"$out/sym.txt"
cat "$out/dso.txt"
echo "--- top symbols: $out/sym.txt"
head -40 "$out/sym.txt"
