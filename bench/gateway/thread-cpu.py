#!/usr/bin/env python3
"""CPU per thread group of a process over a time window (e.g. while wrk runs): which threads burn the CPU.

usage: thread-cpu.py PID SECONDS [REQUESTS]   (REQUESTS: divide by it to print µs per request)
Groups threads by name with trailing digits/ids removed (JVM: C2 CompilerThread, GC Thread, ForkJoinPool-1-worker
(virtual-thread carriers), HttpClient-1-SelectorManager, qtp...). Reads /proc/PID/task/*/stat (utime+stime).
"""
import collections, os, re, sys, time

pid, secs = int(sys.argv[1]), float(sys.argv[2])
hz = os.sysconf('SC_CLK_TCK')


def snap():
    d = {}
    for tid in os.listdir(f'/proc/{pid}/task'):
        try:
            s = open(f'/proc/{pid}/task/{tid}/stat').read()
            comm = s[s.index('(') + 1:s.rindex(')')]
            f = s[s.rindex(')') + 2:].split()
            d[tid] = (comm, int(f[11]), int(f[12]))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            pass
    return d


a = snap(); time.sleep(secs); b = snap()
groups = collections.defaultdict(lambda: [0, 0, 0])
for tid, (comm, u, s) in b.items():
    u0, s0 = (a[tid][1], a[tid][2]) if tid in a else (0, 0)
    g = groups[re.sub(r'[-#\s]*\d+$', '', comm)]
    g[0] += u - u0; g[1] += s - s0; g[2] += 1
total = sum(g[0] + g[1] for g in groups.values())
req = float(sys.argv[3]) if len(sys.argv) > 3 else None
print(f'{"thread group":34s} {"user s":>7s} {"sys s":>7s} {"share":>6s}' + ('  µs/req' if req else ''))
for name, (u, s, n) in sorted(groups.items(), key=lambda kv: -(kv[1][0] + kv[1][1])):
    if u + s == 0:
        continue
    line = f'{name[:30] + f" ({n})":34s} {u / hz:7.2f} {s / hz:7.2f} {100 * (u + s) / max(total, 1):5.1f}%'
    if req:
        line += f'  {(u + s) / hz * 1e6 / req:7.1f}'
    print(line)
print(f'{"total":34s} {sum(g[0] for g in groups.values()) / hz:7.2f} {sum(g[1] for g in groups.values()) / hz:7.2f}')
