#!/usr/bin/env node
// Unloaded latency, one connection, sequential requests: time to the first body byte of a streamed (SSE) chat
// completion, time to its end, and the whole time of a non-streamed one, for several targets, interleaved.
//
// usage: node ttfb.mjs TARGETS.json
//   TARGETS.json: [{"name": "direct", "url": "http://127.0.0.1:18080/v1/chat/completions", "headers": {...}}, ...]
// env:   N=200 measured requests per target and mode, WARMUP=20, RUNS=3, MODES=stream,nonstream
// out:   one JSON line per (run, target, mode): {"run","target","mode","n","p50","p90","p99","mean", ...} in ms;
//        for mode "stream": "ttfb" stats and "total" stats.
// Timing: from just before http.request() to the first 'data' event of the response (first body byte read by
// the client) and to 'end'. A keep-alive agent with one socket, so no connection set-up is timed.
import http from 'node:http';
import fs from 'node:fs';

const targets = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const N = parseInt(process.env.N || '200', 10);
const WARMUP = parseInt(process.env.WARMUP || '20', 10);
const RUNS = parseInt(process.env.RUNS || '3', 10);
const MODES = (process.env.MODES || 'stream,nonstream').split(',');
const TIMEOUT_MS = 30_000;

function once(target, agent, stream) {
  const body = JSON.stringify({ model: 'fake-model', stream,
    messages: [{ role: 'user', content: 'Say hello in twenty tokens' }] });
  const url = new URL(target.url);
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    let first = null, bytes = 0;
    const req = http.request({ agent, hostname: url.hostname, port: url.port, path: url.pathname + url.search,
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body),
        ...(target.headers || {}) } }, (res) => {
      res.on('data', (c) => { if (first === null) first = process.hrtime.bigint(); bytes += c.length; });
      res.on('end', () => {
        const end = process.hrtime.bigint();
        if (res.statusCode !== 200) return reject(new Error(`${target.name}: HTTP ${res.statusCode}`));
        resolve({ ttfb: Number(first - t0) / 1e6, total: Number(end - t0) / 1e6, bytes,
          chunked: res.headers['transfer-encoding'] === 'chunked', contentLength: res.headers['content-length'] });
      });
      res.on('error', reject);
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error(`${target.name}: timeout`)));
    req.on('error', reject);
    req.end(body);
  });
}

function stats(xs) {
  const v = [...xs].sort((a, b) => a - b);
  const q = (p) => v[Math.min(v.length - 1, Math.ceil(p * v.length) - 1)];
  const r = (x) => Math.round(x * 1000) / 1000;
  return { p50: r(q(0.5)), p90: r(q(0.9)), p99: r(q(0.99)), min: r(v[0]), max: r(v[v.length - 1]),
    mean: r(v.reduce((a, b) => a + b, 0) / v.length) };
}

for (let run = 1; run <= RUNS; run++) {
  for (const mode of MODES) {
    for (const target of targets) {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const stream = mode === 'stream';
      for (let i = 0; i < WARMUP; i++) await once(target, agent, stream);
      const ttfb = [], total = [];
      let chunked = 0, last;
      for (let i = 0; i < N; i++) {
        last = await once(target, agent, stream);
        ttfb.push(last.ttfb); total.push(last.total); if (last.chunked) chunked++;
      }
      agent.destroy();
      const line = { run, target: target.name, mode, n: N, total: stats(total), bytes: last.bytes,
        chunked_responses: chunked, content_length: last.contentLength ?? null };
      if (stream) line.ttfb = stats(ttfb);
      console.log(JSON.stringify(line));
    }
  }
}
