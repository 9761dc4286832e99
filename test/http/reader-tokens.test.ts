/** Leads' own dashboard tokens (DASHBOARD_TOKENS) read the admin API and nothing more; ADMIN_TOKEN keeps full rights. */
import type { Server } from 'node:http';
import Router from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReaderTokens, requireAdmin } from '../../src/http/auth.js';
import { createApp } from '../../src/http/app.js';

let server: Server;
let url = '';
beforeAll(async () => {
  const router = new Router();
  const auth = requireAdmin(
    () => 'admin-token-0123',
    () => 'wanglei=lead-token-wanglei,xuli=short,=orphan-token-123',
  );
  router.get('/api/x', auth, (k) => {
    k.body = { reader: k.state.reader ?? null };
  });
  router.post('/api/x', auth, (k) => {
    k.body = { changed: true };
  });
  server = createApp([router]).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/x`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const call = (method: string, token?: string) => fetch(url, { method, headers: token ? { Authorization: `Bearer ${token}` } : {} });

describe('DASHBOARD_TOKENS', () => {
  it('a lead token reads (GET) and the request knows which lead it is', async () => {
    const res = await call('GET', 'lead-token-wanglei');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ reader: 'wanglei' });
  });

  it('a lead token may not change anything (403); the admin token may', async () => {
    expect((await call('POST', 'lead-token-wanglei')).status).toBe(403);
    expect((await call('POST', 'admin-token-0123')).status).toBe(200);
  });

  it('short (guessable) tokens and entries without a user are ignored; unknown tokens get 401', async () => {
    expect([...parseReaderTokens('wanglei=lead-token-wanglei,xuli=short,=orphan-token-123').values()]).toEqual(['wanglei']);
    expect((await call('GET', 'short')).status).toBe(401);
    expect((await call('GET', 'orphan-token-123')).status).toBe(401);
    expect((await call('GET')).status).toBe(401);
  });
});
