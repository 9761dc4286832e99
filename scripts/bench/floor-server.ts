/**
 * The no-storage floor for `npm run bench -- storm`: what answering a callback costs at the least — the same
 * envelope scan, signature check and decryption as the service, an in-memory dedupe set, a 200. Prints
 * "LISTENING <port>" once bound. Not part of the product.
 */
import { createServer } from 'node:http';
import { loadBots } from '../../src/config/bots.js';
import { openEnvelope, readQuery } from '../../src/wecom/crypto.js';
import { aibotDraft } from '../../src/wecom/parse.js';

const bot = loadBots(process.env.BOTS_DIR ?? 'bots', {}).get('demo');
if (!bot) throw new Error('bots/demo.json missing');
const seen = new Set<string>();
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const q = readQuery((req.url ?? '').split('?')[1] ?? '') ?? {};
    const raw = Buffer.concat(chunks).toString('utf8');
    const enc = /"encrypt"\s*:\s*"([A-Za-z0-9+/=]+)"/.exec(raw)?.[1] ?? '';
    const opened = openEnvelope(
      bot.wecom.aibot,
      { msg_signature: q.msg_signature ?? '', timestamp: q.timestamp ?? '', nonce: q.nonce ?? '' },
      enc,
      '',
    );
    if (!opened.ok) {
      res.writeHead(opened.failure.status).end();
      return;
    }
    seen.add(aibotDraft(opened.plaintext).dedupeKey);
    res.writeHead(200).end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`LISTENING ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
