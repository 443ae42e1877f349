#!/usr/bin/env python3
"""Client of bench/chat-update.sh: creates the chat of CHAT_FILE, then updates the whole chat N times
(changing the last message each time, as Open WebUI does while a response streams in) over one keep-alive
connection. Prints one line per request and a summary of Server-Timing (server time) and client wall time.

    chat-client.py PORT TOKEN CHAT_FILE SERVER_PID [updates=30] [warmup=10] [runs=3]
"""
import http.client
import json
import os
import statistics
import sys
import time

port, token, chat_file, pid = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
updates = int(sys.argv[5]) if len(sys.argv) > 5 else 30
warmup = int(sys.argv[6]) if len(sys.argv) > 6 else 10
runs = int(sys.argv[7]) if len(sys.argv) > 7 else 3
HZ = os.sysconf("SC_CLK_TCK")
DEADLINE = time.monotonic() + 900  # bound the whole client


def cpu_us():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1_000_000 / HZ


conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=120)
HEADERS = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def call(method, path, body=None):
    if time.monotonic() > DEADLINE:
        sys.exit("chat-client: time limit reached")
    t0 = time.perf_counter()
    conn.request(method, path, body=body, headers=HEADERS)
    resp = conn.getresponse()
    data = resp.read()
    wall = (time.perf_counter() - t0) * 1000
    if resp.status != 200:
        sys.exit(f"chat-client: {method} {path} -> {resp.status} {data[:300]!r}")
    timing = resp.getheader("Server-Timing") or ""
    dur = float(timing.split("dur=")[1]) if "dur=" in timing else float("nan")
    return data, dur, wall


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p * (len(v) - 1))))]


with open(chat_file, "rb") as f:
    raw = f.read()
body = json.loads(raw)
chat = body["chat"]
last = chat["messages"][-1]
last_id = last["id"]
original = last["content"]
print(f"chat: {len(chat['messages'])} messages, request body {len(raw) / 1e6:.2f} MB")

data, dur, wall = call("POST", "/api/chats/new", raw)
chat_id = json.loads(data)["id"]
print(f"create: server {dur:.1f} ms, wall {wall:.1f} ms, response {len(data) / 1e6:.2f} MB")


def update_body(i):
    # The last message grows, as while a response is generated; both copies (history and list) change.
    content = original + f"\n\nEdit {i}: " + "more streamed text " * (i % 7)
    chat["history"]["messages"][last_id]["content"] = content
    chat["messages"][-1]["content"] = content
    return json.dumps({"chat": chat}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


n = 0
for i in range(warmup):
    call("POST", f"/api/chats/{chat_id}", update_body(n))
    n += 1

run_medians, run_p90s, run_walls, run_cpu = [], [], [], []
print(f"{'run':>3} {'req':>4} {'server_ms':>10} {'wall_ms':>10}")
for r in range(1, runs + 1):
    bodies = [update_body(n + k) for k in range(updates)]  # serialised before the clock starts
    n += updates
    durs, walls = [], []
    c0 = cpu_us()
    for k, b in enumerate(bodies):
        data, dur, wall = call("POST", f"/api/chats/{chat_id}", b)
        durs.append(dur)
        walls.append(wall)
        print(f"{r:>3} {k + 1:>4} {dur:>10.2f} {wall:>10.2f}")
    c1 = cpu_us()
    check = json.loads(data)
    assert check["chat"]["messages"][-1]["content"].startswith(original[:50]), "update not applied"
    med, p90, wmed = statistics.median(durs), pct(durs, 0.9), statistics.median(walls)
    cpu_ms = (c1 - c0) / len(bodies) / 1000
    run_medians.append(med), run_p90s.append(p90), run_walls.append(wmed), run_cpu.append(cpu_ms)
    print(f"RUN {r}: server median {med:.1f} ms p90 {p90:.1f} ms; wall median {wmed:.1f} ms p90 {pct(walls, 0.9):.1f} ms; "
          f"server CPU {cpu_ms:.1f} ms/update; response {len(data) / 1e6:.2f} MB")

# Reference: reading the chat back.
gets = [call("GET", f"/api/chats/{chat_id}") for _ in range(10)]
print(f"GET /api/chats/{{id}}: server median {statistics.median(g[1] for g in gets):.1f} ms, "
      f"wall median {statistics.median(g[2] for g in gets):.1f} ms")
med = statistics.median(run_medians)
print(f"SUMMARY chat-update median of {runs} run medians: server {med:.1f} ms (p90 median {statistics.median(run_p90s):.1f} ms), "
      f"wall {statistics.median(run_walls):.1f} ms, server CPU {statistics.median(run_cpu):.1f} ms/update; "
      f"target <= 30 ms server time: {'PASS' if med <= 30 else 'FAIL'}")
