// Checks Verity's chat completions with the official OpenAI Node SDK.
//
//   VERITY_URL=http://127.0.0.1:8080 VERITY_KEY=sk-... VERITY_MODEL=gpt-4o-mini \
//   [VERITY_ARENA_MODEL=arena-model] [VERITY_FILE_ID=<uploaded file id>] node check.mjs
//
// For both base URLs ${VERITY_URL}/api and ${VERITY_URL}/api/v1 (so the SDK calls /api/chat/completions and
// /api/v1/chat/completions) it makes a non-streamed and a streamed completion and asks for an unknown model
// (must be a 404 NotFoundError). With VERITY_ARENA_MODEL it also checks that arena answers carry
// selected_model_id (top level when not streamed; on the first chunk when streamed) and that every streamed
// event still has a `choices` list. Prints one JSON document; exits 1 when a check fails.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';

const url = process.env.VERITY_URL;
const apiKey = process.env.VERITY_KEY;
const model = process.env.VERITY_MODEL;
const arenaModel = process.env.VERITY_ARENA_MODEL;
const fileId = process.env.VERITY_FILE_ID;
if (!url || !apiKey || !model) {
  console.error('set VERITY_URL, VERITY_KEY and VERITY_MODEL (and optionally VERITY_ARENA_MODEL)');
  process.exit(2);
}

const messages = [{ role: 'user', content: 'Say hello.' }];
const failures = [];
const sdkVersion = JSON.parse(readFileSync(new URL('./node_modules/openai/package.json', import.meta.url))).version;
const report = { sdk_version: sdkVersion, node: process.version, model, checks: [] };

function check(name, condition, detail) {
  report.checks.push({ name, ok: Boolean(condition), ...(condition ? {} : { detail }) });
  if (!condition) failures.push(`${name}: ${JSON.stringify(detail)}`);
}

async function attempt(name, fn) {
  try {
    await fn();
  } catch (e) {
    check(name, false, { error: String(e), status: e?.status ?? null });
  }
}

async function plain(client, base) {
  const { data, response } = await client.chat.completions.create({ model, messages }).withResponse();
  const content = data.choices?.[0]?.message?.content;
  check(`${base} non-stream content`, typeof content === 'string' && content.length > 0, data);
  check(`${base} non-stream object`, data.object === 'chat.completion', data.object);
  check(`${base} non-stream usage`, Number.isInteger(data.usage?.prompt_tokens), data.usage);
  const requestId = response.headers.get('x-request-id');
  check(`${base} X-Request-Id header`, Boolean(requestId) && requestId === response.headers.get('helicone-id'),
    { requestId, heliconeId: response.headers.get('helicone-id') });
  return { id: data.id, content, usage: data.usage, request_id: requestId };
}

async function streamed(client, base) {
  const stream = await client.chat.completions.create({
    model, messages, stream: true, stream_options: { include_usage: true },
  });
  let content = '';
  let chunks = 0;
  let usage = null;
  let role = null;
  for await (const chunk of stream) {
    chunks++;
    role ??= chunk.choices?.[0]?.delta?.role ?? null;
    content += chunk.choices?.[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  check(`${base} stream content`, content.length > 0, { content, chunks });
  check(`${base} stream role`, role === 'assistant', role);
  return { chunks, content, usage };
}

async function unknownModel(client, base) {
  try {
    await client.chat.completions.create({ model: 'no-such-model-for-sdk-check', messages });
    check(`${base} unknown model`, false, 'no error raised');
  } catch (e) {
    check(`${base} unknown model is NotFoundError`, e instanceof OpenAI.NotFoundError && e.status === 404,
      { name: e?.constructor?.name, status: e?.status, message: e?.message });
  }
}

async function arena(client, base) {
  const out = {};
  const once = await client.chat.completions.create({ model: arenaModel, messages });
  check(`${base} arena selected_model_id`, typeof once.selected_model_id === 'string', once);
  out.non_stream_selected_model_id = once.selected_model_id;

  // Streamed: the SDK yields every data event as a chunk, including the first {"selected_model_id"} one.
  const stream = await client.chat.completions.create({ model: arenaModel, messages, stream: true });
  let first = null;
  let content = '';
  let chunksWithoutChoices = 0;
  for await (const chunk of stream) {
    first ??= chunk;
    if (!Array.isArray(chunk.choices)) chunksWithoutChoices++;
    content += chunk.choices?.[0]?.delta?.content ?? '';
  }
  check(`${base} arena stream first event names the model`, typeof first?.selected_model_id === 'string', first);
  check(`${base} arena stream content`, content.length > 0, content);
  out.stream = { first_event: first, chunks_without_choices: chunksWithoutChoices, content };
  check(`${base} arena stream: every event has a choices list`, chunksWithoutChoices === 0, out.stream);

  // The SDK's accumulating helper (chat.completions.stream) reads chunk.choices of every chunk.
  try {
    const helper = client.chat.completions.stream({ model: arenaModel, messages });
    const final = await helper.finalChatCompletion();
    out.stream_helper = { tolerated: true, content: final.choices?.[0]?.message?.content ?? null };
  } catch (e) {
    out.stream_helper = { tolerated: false, error: String(e) };
  }
  check(`${base} arena stream works with the SDK's stream() helper`, out.stream_helper.tolerated, out.stream_helper);
  return out;
}

// With VERITY_FILE_ID: a completion with retrieval context from that file. Sources come back as a top-level
// `sources` key (not streamed) and as an extra key of the first streamed chunk, which the SDK passes through.
async function rag(client, base) {
  const out = {};
  const files = [{ type: 'file', id: fileId }];
  const once = await client.chat.completions.create({ model, messages, files });
  check(`${base} rag sources`, Array.isArray(once.sources) && once.sources.length > 0, once);
  check(`${base} rag content`, typeof once.choices?.[0]?.message?.content === 'string', once);
  out.non_stream_sources = once.sources?.length ?? 0;

  const stream = await client.chat.completions.create({ model, messages, files, stream: true });
  let first = null;
  let content = '';
  let withoutChoices = 0;
  for await (const chunk of stream) {
    first ??= chunk;
    if (!Array.isArray(chunk.choices)) withoutChoices++;
    content += chunk.choices?.[0]?.delta?.content ?? '';
  }
  check(`${base} rag stream first event carries sources`, Array.isArray(first?.sources), first);
  check(`${base} rag stream: every event has a choices list`, withoutChoices === 0, { withoutChoices });
  check(`${base} rag stream content`, content.length > 0, content);
  out.stream = { sources: first?.sources?.length ?? 0, content };
  const helper = client.chat.completions.stream({ model, messages, files });
  const final = await helper.finalChatCompletion();
  check(`${base} rag stream() helper`, typeof final.choices?.[0]?.message?.content === 'string', final);
  return out;
}

for (const suffix of ['/api', '/api/v1']) {
  const base = `${url.replace(/\/$/, '')}${suffix}`;
  const client = new OpenAI({ baseURL: base, apiKey, maxRetries: 0, timeout: 30_000 });
  const result = { base_url: base };
  await attempt(`${suffix} non-stream`, async () => { result.non_stream = await plain(client, suffix); });
  await attempt(`${suffix} stream`, async () => { result.stream = await streamed(client, suffix); });
  await attempt(`${suffix} unknown model`, () => unknownModel(client, suffix));
  if (arenaModel) {
    await attempt(`${suffix} arena`, async () => { result.arena = await arena(client, suffix); });
  }
  if (fileId) {
    await attempt(`${suffix} rag`, async () => { result.rag = await rag(client, suffix); });
  }
  (report.results ??= []).push(result);
}

report.ok = failures.length === 0;
report.failures = failures;
console.log(JSON.stringify(report, null, 2));
process.exit(report.ok ? 0 : 1);
