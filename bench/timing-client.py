#!/usr/bin/env python3
"""Sequential GETs over one keep-alive connection; reports the median Server-Timing dur (server time) and the
client wall time per path. Each path gets COUNT requests after WARMUP unmeasured ones, or fewer when its
TIME_LIMIT (seconds) runs out first; the number actually made is printed.

    timing-client.py PORT TOKEN COUNT WARMUP TIME_LIMIT PATH [PATH ...]

Output, one line per path:  <path> median_ms p90_ms n wall_median_ms total first_ms
(total = the "total" field of the response when there is one, else -; first_ms = Server-Timing of the first,
unmeasured request, which pays for anything the server caches, e.g. the feedback list's COUNT)
"""
import http.client
import json
import statistics
import sys
import time

port, token, count, warmup, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
paths = sys.argv[6:]
conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=300)


def get(path):
    global conn
    t0 = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        r = conn.getresponse()
        body = r.read()
    except (OSError, http.client.HTTPException) as e:
        print(f"{path} ERR {type(e).__name__} 0 - - -", flush=True)
        conn.close()
        conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=300)
        raise
    wall = (time.perf_counter() - t0) * 1000
    if r.status != 200:
        sys.exit(f"timing-client: GET {path} -> {r.status} {body[:300]!r}")
    st = r.getheader("Server-Timing") or ""
    return (float(st.split("dur=")[1]) if "dur=" in st else float("nan")), wall, body


for path in paths:
    deadline = time.monotonic() + limit
    durs, walls, body, first = [], [], b"", float("nan")
    try:
        for i in range(warmup):
            d, _, _ = get(path)
            if i == 0:
                first = d
            if time.monotonic() > deadline - limit / 2:
                break  # slow path: keep the time for measured requests
        while len(durs) < count and (not durs or time.monotonic() < deadline):
            d, w, body = get(path)
            durs.append(d)
            walls.append(w)
    except (OSError, http.client.HTTPException):
        if not durs:
            continue
    v = sorted(durs)
    p90 = v[min(len(v) - 1, int(round(0.9 * (len(v) - 1))))]
    total = "-"
    try:
        doc = json.loads(body)
        if isinstance(doc, dict) and "total" in doc:
            total = doc["total"]
    except ValueError:
        pass
    print(f"{path} {statistics.median(durs):.2f} {p90:.2f} {len(durs)} {statistics.median(walls):.2f} {total} {first:.2f}", flush=True)
