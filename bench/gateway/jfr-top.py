#!/usr/bin/env python3
"""Aggregate JFR execution samples: top self frames and top inclusive methods (optionally under a filter).

usage: jfr-top.py FILE.jfr [N] [--under SUBSTRING] [--after HH:MM:SS (UTC, skip warm-up samples)]
Also prints each sample attributed to the first matching bucket of BUCKETS (a rough CPU breakdown of the
gateway path; JFR samples Java code only: JIT, GC and kernel time are not in it).
Reads `jfr print --json --events jdk.ExecutionSample --stack-depth 200`.
"""
import collections, json, os, subprocess, sys

args = sys.argv[1:]
under = after = None
if '--after' in args:
    i = args.index('--after'); after = args[i + 1]; del args[i:i + 2]
if '--under' in args:
    i = args.index('--under'); under = args[i + 1]; del args[i:i + 2]
path = args[0]; n = int(args[1]) if len(args) > 1 else 40
jfr = os.path.join(os.path.dirname(os.environ.get('JAVA', '/usr/lib/jvm/temurin-25-jdk-amd64/bin/java')), 'jfr')
out = subprocess.run([jfr, 'print', '--json', '--events', 'jdk.ExecutionSample', '--stack-depth', '200', path],
                     capture_output=True, text=True, check=True).stdout
events = json.loads(out)['recording']['events']
BUCKETS = [  # (label, predicate on (thread name, frame names)), first match wins
    ('request-log writer thread (SQLite batch insert)', lambda t, f: t.startswith('request-log-writer')),
    ('JDK HttpClient: timer + selector registration (registerTimer/cancelTimer/registerEvent/eventUpdated)',
     lambda t, f: any(x.endswith(('HttpClientImpl.registerTimer', 'HttpClientImpl.cancelTimer', 'MultiExchange.cancelTimer',
                                  'HttpClientImpl.registerEvent', 'HttpClientImpl.eventUpdated',
                                  'SelectorManager.eventUpdated', 'SelectorManager.wakeupSelector')) for x in f)),
    ('JDK HttpClient: everything else (its selector thread, async stages, HTTP/1.1 codec)',
     lambda t, f: t.startswith('HttpClient') or any('jdk/internal/net/http/' in x or 'java/net/http/' in x for x in f)),
    ('model resolution (ModelCatalog.find: SQL for custom models + settings, arena JSON)',
     lambda t, f: any('verity/gateway/ModelCatalog' in x for x in f)),
    ('Jackson (parse/copy/serialize request, response, log record)', lambda t, f: any(x.startswith('tools/jackson/') for x in f)),
    ('other Verity code', lambda t, f: any(x.startswith('verity/') for x in f)),
    ('Jetty + Javalin (HTTP parsing, routing, response writing)',
     lambda t, f: any(x.startswith(('org/eclipse/jetty/', 'io/javalin/')) for x in f)),
    ('other (virtual-thread scheduling, JDK)', lambda t, f: True),
]
buckets = collections.Counter()
selfc, incl, threads = collections.Counter(), collections.Counter(), collections.Counter()
total = 0
for e in events:
    if after and e['values']['startTime'][11:19] < after:
        continue
    frames = e['values']['stackTrace']['frames'] if e['values'].get('stackTrace') else []
    names = [f['method']['type']['name'] + '.' + f['method']['name'] for f in frames]
    if under and not any(under in x for x in names):
        continue
    total += 1
    t = e['values'].get('sampledThread') or {}
    tname = (t.get('javaName') or t.get('osName') or '?').rstrip('0123456789-#')
    threads[tname] += 1
    for label, pred in BUCKETS:
        if pred(tname, names):
            buckets[label] += 1
            break
    if names:
        selfc[names[0]] += 1
    for m in set(names):
        incl[m] += 1
print(f'samples: {total}' + (f' (stacks containing {under!r})' if under else ''))
print('\n-- buckets (first match) --')
for k, v in buckets.most_common(): print(f'{100*v/total:6.1f}%  {k}')
print('\n-- threads --')
for k, v in threads.most_common(12): print(f'{100*v/total:6.1f}%  {k}')
print('\n-- self --')
for k, v in selfc.most_common(n): print(f'{100*v/total:6.1f}%  {k}')
print('\n-- inclusive --')
for k, v in incl.most_common(n): print(f'{100*v/total:6.1f}%  {k}')
