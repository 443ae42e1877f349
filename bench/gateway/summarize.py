#!/usr/bin/env python3
"""Markdown summary of a bench/gateway/run.sh results directory (runs.tsv, ttfb.jsonl, slow.jsonl, env.txt)."""
import csv, json, os, statistics, sys

out = sys.argv[1]
med = statistics.median


def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None


def fmt(x, d=0):
    return '–' if x is None else f'{x:,.{d}f}'


rows = list(csv.DictReader(open(os.path.join(out, 'runs.tsv')), delimiter='\t'))
if os.path.exists(os.path.join(out, 'env.txt')):
    print('```\n' + open(os.path.join(out, 'env.txt')).read().strip() + '\n```\n')

order = []
for r in rows:
    k = (r['target'], r['stream'])
    if k not in order:
        order.append(k)

print('### Under load (wrk, keep-alive), medians over rounds\n')
print('| target | mode | req/s per round | median req/s | p50 ms | p99 ms | gateway CPU µs/req | upstream CPU µs/req '
      '| wrk CPU µs/req | foreign cores | errors |')
print('|---|---|---|---|---|---|---|---|---|---|---|')
summary = {}
for t, s in order:
    rs = [r for r in rows if r['target'] == t and r['stream'] == s]
    rps = [num(r['rps']) for r in rs]
    gw = [num(r['verity_cpu_us']) if t == 'verity' else num(r['portkey_cpu_us']) for r in rs]
    gw = [g for g in gw if g is not None]
    errs = [f"{r['non2xx']} non-2xx" for r in rs if r['non2xx'] not in ('0', '')] + \
           [f"socket {r['socket_errors']}" for r in rs if r['socket_errors'] not in ('-', '')]
    m = dict(rps=med(rps), p50=med(num(r['p50_ms']) for r in rs), p99=med(num(r['p99_ms']) for r in rs),
             gw=med(gw) if gw else None, up=med(num(r['upstream_cpu_us']) for r in rs))
    summary[(t, s)] = m
    print(f"| {t} | {'stream' if s == '1' else 'non-stream'} | {' / '.join(fmt(x) for x in rps)} | **{fmt(m['rps'])}** "
          f"| {fmt(m['p50'], 2)} | {fmt(m['p99'], 1)} | {'**' + fmt(m['gw'], 0) + '**' if gw else '–'} | {fmt(m['up'], 0)} "
          f"| {fmt(med(num(r['wrk_cpu_us']) for r in rs), 0)} | {fmt(med(num(r['foreign_cores']) for r in rs), 2)} "
          f"| {'; '.join(errs) or '0'} |")

print('\n### Verity / Portkey throughput in the same round\n')
print('| mode | ratio per round | median |')
print('|---|---|---|')
for s in ('0', '1'):
    ratios = []
    for rnd in sorted({r['round'] for r in rows}, key=int):
        v = [num(r['rps']) for r in rows if r['round'] == rnd and r['target'] == 'verity' and r['stream'] == s]
        p = [num(r['rps']) for r in rows if r['round'] == rnd and r['target'] == 'portkey' and r['stream'] == s]
        if v and p and p[0]:
            ratios.append(v[0] / p[0])
    if ratios:
        print(f"| {'stream' if s == '1' else 'non-stream'} | {' / '.join(f'{x:.2f}×' for x in ratios)} | **{med(ratios):.2f}×** |")

print('\n### Request log after each Verity run\n')
print('| round | mode | wrk requests (warm-up + run) | written | failed | behind | queued when wrk ended | drain s |')
print('|---|---|---|---|---|---|---|---|')
for r in rows:
    if r['target'] == 'verity':
        print(f"| {r['round']} | {'stream' if r['stream'] == '1' else 'non-stream'} | {r['log_expected']} | {r['log_written']} "
              f"| {r['log_failed']} | {r['log_behind']} | {r['log_queued_at_end']} | {r['log_drain_s']} |")
print('\n(written can exceed the wrk count by up to the connection count per wrk invocation: requests in flight '
      'when wrk stops are answered and logged, often as 499, but not counted by wrk.)')


def load(name):
    p = os.path.join(out, name)
    return [json.loads(l) for l in open(p) if l.strip()] if os.path.exists(p) else []


tt = load('ttfb.jsonl')
if tt:
    print('\n### Unloaded, one connection, sequential (Node http client, keep-alive)\n')
    print('| target | mode | metric | p50 per run (ms) | median p50 | median p99 | added p50 vs direct |')
    print('|---|---|---|---|---|---|---|')
    base = {}
    for mode, metric in (('stream', 'ttfb'), ('stream', 'total'), ('nonstream', 'total')):
        for tgt in dict.fromkeys(x['target'] for x in tt):
            xs = [x for x in tt if x['target'] == tgt and x['mode'] == mode]
            if not xs:
                continue
            p50s = [x[metric]['p50'] for x in xs]
            p99 = med(x[metric]['p99'] for x in xs)
            if tgt == 'direct':
                base[(mode, metric)] = med(p50s)
            added = med(p50s) - base[(mode, metric)] if (mode, metric) in base else None
            label = 'first body byte' if metric == 'ttfb' else 'whole response'
            print(f"| {tgt} | {mode} | {label} | {' / '.join(f'{p:.3f}' for p in p50s)} | **{med(p50s):.3f}** | {p99:.3f} "
                  f"| {'–' if tgt == 'direct' or added is None else f'{added:+.3f}'} |")
    chunked = {x['target']: (x['chunked_responses'], x['n'], x['content_length']) for x in tt if x['mode'] == 'stream'}
    print('\nStreamed responses sent chunked (i.e. really streamed) in the last run: ' +
          ', '.join(f"{k} {c}/{n}" + (f" (Content-Length {cl})" if cl else '') for k, (c, n, cl) in chunked.items()))

slow = load('slow.jsonl')
if slow:
    print('\n### SSE delivery with a slow upstream (20 chunks, 50 ms apart; 20 sequential requests after a 20 s wrk warm-up)\n')
    print('| target | first body byte p50 ms | whole stream p50 ms | chunked |')
    print('|---|---|---|---|')
    for x in slow:
        print(f"| {x['target']} | {x['ttfb']['p50']:.1f} | {x['total']['p50']:.1f} | {x['chunked_responses']}/{x['n']} |")

v0, p0 = summary.get(('verity', '0')), summary.get(('portkey', '0'))
print('\n### Targets\n')
if v0 and v0['gw'] is not None:
    print(f"- Verity CPU per proxied non-stream request ≤ 100 µs: **{fmt(v0['gw'])} µs** → "
          f"{'met' if v0['gw'] <= 100 else 'MISSED'}")
if v0 and p0:
    print(f"- Verity ≥ 8× Portkey throughput (non-stream, median): **{v0['rps'] / p0['rps']:.2f}×** → "
          f"{'met' if v0['rps'] / p0['rps'] >= 8 else 'MISSED'}")
v1, p1 = summary.get(('verity', '1')), summary.get(('portkey', '1'))
if v1 and p1:
    print(f"- Verity ≥ 8× Portkey throughput (stream, median): **{v1['rps'] / p1['rps']:.2f}×** → "
          f"{'met' if v1['rps'] / p1['rps'] >= 8 else 'MISSED'}")
if tt:
    d = [x['ttfb']['p50'] for x in tt if x['target'] == 'direct' and x['mode'] == 'stream']
    v = [x['ttfb']['p50'] for x in tt if x['target'] == 'verity' and x['mode'] == 'stream']
    if d and v:
        added = med(v) - med(d)
        streamed = all(x['chunked_responses'] > 0 for x in tt if x['target'] == 'verity' and x['mode'] == 'stream')
        print(f"- Added time to first SSE byte ≤ 1 ms p50 (fast upstream): **{added:+.3f} ms** → {'met' if added <= 1 else 'MISSED'}"
              + ('' if streamed else ' (not chunked: the fake upstream writes its whole answer at once, and an answer'
                 ' whose end is already at hand goes out in one write with the end of the response; whether events go out'
                 ' as they are produced is what the slow-upstream check below shows)'))
if slow:
    d = [x for x in slow if x['target'] == 'direct-slow']
    v = [x for x in slow if x['target'] == 'verity-slow']
    if d and v:
        added = v[0]['ttfb']['p50'] - d[0]['ttfb']['p50']
        print(f"- Same with a slow upstream (what a real model does): **{added:+.1f} ms** → {'met' if added <= 1 else 'MISSED'}")
