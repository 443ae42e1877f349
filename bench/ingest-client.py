#!/usr/bin/env python3
"""Client of bench/ingest.sh: uploads a corpus to a running server and times its processing.

    ingest-client.py PORT TOKEN SERVER_PID CORPUS_DIR [queries]

1. Warm-up (not timed): uploads one small text file and waits until it is processed, so the MiniLM model is
   loaded and the code paths are compiled once, as on a server that has been up for a while.
2. Timed: uploads every file of CORPUS_DIR (sorted, one after the other, multipart `file`, as the web UI does),
   then polls the last file's /process/status every 20 ms (the single ingestion worker processes files in upload
   order) until it is completed or failed, then checks every file's status. The clock runs from the start of the
   first upload to the moment the last file is seen completed; server CPU = utime+stime of SERVER_PID over the
   same span (/proc/PID/stat). Chunks = indexed_chunks of GET /api/retrieval/ minus the warm-up file's.
3. Queries (optional, `queries` > 0): a knowledge collection with every file, then POST /api/retrieval/query
   top_k 5 over it, `queries` times vector-only and `queries` times hybrid, sequential; latency client-side.
Prints one line: key=value pairs.
"""
import json
import os
import random
import sys
import time
import urllib.request
import uuid

port, token, pid, corpus = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
n_queries = int(sys.argv[5]) if len(sys.argv) > 5 else 0
base = f"http://127.0.0.1:{port}"
hz = os.sysconf("SC_CLK_TCK")


def cpu():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / hz


def call(method, path, body=None, ctype="application/json"):
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method,
                                 headers={"Authorization": "Bearer " + token, "Content-Type": ctype})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def upload(name, content):
    boundary = uuid.uuid4().hex
    ctype = {"md": "text/markdown", "txt": "text/plain", "pdf": "application/pdf"}[name.rsplit(".", 1)[1]]
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: {ctype}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return call("POST", "/api/v1/files/", body, "multipart/form-data; boundary=" + boundary)["id"]


def wait(file_id, limit=1800):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        s = call("GET", f"/api/v1/files/{file_id}/process/status")
        if s["status"] != "pending":
            return s
        time.sleep(0.02)
    raise SystemExit(f"file {file_id} still pending after {limit}s")


# 1. warm-up
with open("/usr/share/common-licenses/Apache-2.0", "rb") as f:
    warm = upload("warmup.txt", f.read())
wait(warm)
chunks0 = call("GET", "/api/retrieval/")["indexed_chunks"]

# 2. timed ingest
files = sorted(os.listdir(corpus))
payloads = []
for name in files:
    with open(os.path.join(corpus, name), "rb") as f:
        payloads.append((name, f.read()))
c0 = cpu()
t0 = time.monotonic()
ids = [upload(name, content) for name, content in payloads]
t_up = time.monotonic() - t0
last = wait(ids[-1])
elapsed = time.monotonic() - t0
c1 = cpu()
failed = [(n, s) for (n, _), i in zip(payloads, ids) if (s := call("GET", f"/api/v1/files/{i}/process/status"))["status"] != "completed"]
chunks = call("GET", "/api/retrieval/")["indexed_chunks"] - chunks0
mb = sum(len(c) for _, c in payloads) / 1e6
out = {"files": len(ids), "MB": round(mb, 2), "chunks": chunks, "failed": len(failed), "upload_s": round(t_up, 2),
       "elapsed_s": round(elapsed, 2), "chunks_per_s": round(chunks / elapsed, 1),
       "cpu_s": round(c1 - c0, 2), "cpu_ms_per_chunk": round(1000 * (c1 - c0) / chunks, 2),
       "cores_busy": round((c1 - c0) / elapsed, 2)}
if failed:
    print("FAILED:", failed[:5], file=sys.stderr)

# 3. queries over the collection
if n_queries > 0:
    kid = call("POST", "/api/v1/knowledge/create", {"name": "bench", "description": "ingest bench"})["id"]
    for i in ids:
        call("POST", f"/api/v1/knowledge/{kid}/file/add", {"file_id": i})
    rng = random.Random(3)
    words = [w.strip(".,;:()\"'") for _, c in payloads if not _.endswith(".pdf") for w in c.decode().split()[:400]]
    words = [w for w in words if len(w) > 3 and w.isalpha()]
    for hybrid in (False, True):
        lat = []
        for q in range(n_queries + 20):
            query = " ".join(rng.choice(words) for _ in range(rng.randint(3, 8)))
            s = time.monotonic()
            res = call("POST", "/api/retrieval/query", {"query": query, "knowledge_ids": [kid], "top_k": 5, "hybrid": hybrid})
            if q >= 20:
                lat.append((time.monotonic() - s) * 1000)
            assert len(res["results"]) > 0 or len(res.get("results", [])) == 0
        lat.sort()
        key = "hybrid" if hybrid else "vector"
        out[f"query_{key}_p50_ms"] = round(lat[len(lat) // 2], 1)
        out[f"query_{key}_p99_ms"] = round(lat[min(len(lat) - 1, int(0.99 * len(lat)))], 1)
print(" ".join(f"{k}={v}" for k, v in out.items()))
