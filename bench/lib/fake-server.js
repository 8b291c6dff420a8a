// A minimal fake Anthropic Messages API for the benchmarks: real HTTP on 127.0.0.1, so the plugin's
// worker drives the real SDK exactly as against the real API. Plain JS so bench/ needs no ts-jest; the
// full-featured fake (faults, retries, scripts) is tests/support/fake-anthropic.ts.
'use strict';

const http = require('node:http');

/** Text of a message's content, whether a string or an array of blocks. */
function blockText(content) {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b) => (b && typeof b.text === 'string' ? b.text : '')).join('');
}

/** Characters of system prompt + all messages: the fake's input size, as tests/support counts it. */
function inputChars(body) {
  const system = typeof body?.system === 'string' ? body.system.length : blockText(body?.system).length;
  return (body?.messages ?? []).reduce((n, m) => n + blockText(m.content).length, system);
}

/** ~4 characters per token: the same rough estimate as the TS fake; the real tokenizer differs. */
const estimateTokens = (chars) => Math.ceil(chars / 4);

/**
 * Starts the server. `answer(specName)` returns the reply text for a spec, or undefined (then the
 * request gets a 400, which the provider does not retry, so a routing mistake fails fast). Every reply
 * waits `latencyMs` after the request body arrived, like a model that always takes as long.
 * Resolves with { url, requests, close() }; each request records spec, arrival and reply times, size.
 */
async function startFakeServer({ latencyMs = 0, answer }) {
  const requests = [];
  const timers = new Set();
  let seq = 0;

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      // The prompt builder puts `Spec: <name>` in the first user message.
      const firstUser = body?.messages?.find((m) => m.role === 'user');
      const spec = /^Spec: (.+?)\s*$/m.exec(firstUser ? blockText(firstUser.content) : '')?.[1];
      const chars = inputChars(body);
      const rec = { spec, at: Date.now(), repliedAt: undefined, inputChars: chars, inputTokens: estimateTokens(chars), body };
      requests.push(rec);

      const isMessages = req.method === 'POST' && (req.url ?? '').split('?')[0] === '/v1/messages';
      const text = isMessages && spec !== undefined ? answer(spec) : undefined;
      const id = ++seq;
      let status = 200;
      let payload;
      if (text === undefined) {
        status = isMessages ? 400 : 404;
        payload = { type: 'error', error: { type: 'invalid_request_error', message: `fake server: no answer for ${spec ?? `${req.method} ${req.url}`}` } };
      } else {
        payload = {
          id: `msg_bench_${id}`, type: 'message', role: 'assistant', model: body?.model ?? 'fake-model',
          content: [{ type: 'text', text }], stop_reason: 'end_turn', stop_sequence: null,
          usage: { input_tokens: rec.inputTokens, output_tokens: estimateTokens(text.length) },
        };
      }
      const t = setTimeout(() => {
        timers.delete(t);
        rec.repliedAt = Date.now();
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_bench_${id}` });
        res.end(JSON.stringify(payload));
      }, latencyMs);
      timers.add(t);
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        // The SDK keeps connections alive; without this close() would wait for them.
        server.closeAllConnections();
      });
    },
  };
}

module.exports = { startFakeServer, estimateTokens };
