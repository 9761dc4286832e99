import type { Clock } from '../clock.js';

/** Errcodes that mean "the access token is bad": refresh and retry once. */
export const TOKEN_ERRCODES = new Set([40014, 42001, 42007, 42009]);
/** Errcodes that mean "too fast / busy": keep the message and try later. */
export const BUSY_ERRCODES = new Set([-1, 45009, 45033, 45011, 45047, 45090]);

const KNOWN: Record<number, string> = {
  60020: 'IP 不在企业可信 IP 列表 (IP not trusted: add the server IP in the app settings)',
  40001: 'secret 错误 (invalid secret)',
  40013: 'corpid 错误 (invalid corpid)',
  81013: '接收人全部无效 (no valid recipient)',
  40003: 'userid 无效 (invalid userid)',
  93000: 'webhook key 无效 (invalid webhook key)',
};

/** A WeCom API answer with errcode ≠ 0, or a transport failure (errcode undefined). */
export class WecomApiError extends Error {
  constructor(
    readonly errcode: number | undefined,
    message: string,
  ) {
    super(message);
  }
  /** True when trying again later may succeed. */
  get retryable(): boolean {
    return this.errcode === undefined || BUSY_ERRCODES.has(this.errcode) || TOKEN_ERRCODES.has(this.errcode);
  }
  get busy(): boolean {
    return this.errcode !== undefined && BUSY_ERRCODES.has(this.errcode) && this.errcode !== -1;
  }
}

export function describeErr(errcode: number, errmsg: string): string {
  return `errcode ${errcode}: ${KNOWN[errcode] ?? errmsg ?? ''}`.trim();
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Talks to the WeCom API at `base` (the official host, or the simulator). Access tokens are cached per
 * (corpId, secret) and refreshed single-flight: concurrent sends share one gettoken call.
 */
export class WecomClient {
  private tokens = new Map<string, CachedToken>();
  private inflight = new Map<string, Promise<string>>();

  constructor(
    private readonly base: string,
    private readonly clock: Clock,
    private readonly timeoutMs = 10_000,
  ) {}

  async token(corpId: string, secret: string): Promise<string> {
    const key = `${corpId}\u0000${secret}`;
    const hit = this.tokens.get(key);
    if (hit && hit.expiresAt > this.clock.now().getTime()) return hit.token;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.fetchToken(corpId, secret, key).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async fetchToken(corpId: string, secret: string, key: string): Promise<string> {
    const url = `${this.base}/cgi-bin/gettoken?corpid=${encodeURIComponent(corpId)}&corpsecret=${encodeURIComponent(secret)}`;
    const res = await this.request('GET', url);
    const token = String(res.access_token ?? '');
    if (!token) throw new WecomApiError(undefined, 'gettoken: no access_token');
    const ttl = Number(res.expires_in ?? 7200);
    // Refresh five minutes early so a token never expires between our check and WeCom's.
    this.tokens.set(key, { token, expiresAt: this.clock.now().getTime() + Math.max(60, ttl - 300) * 1000 });
    return token;
  }

  private invalidate(corpId: string, secret: string, used: string): void {
    const key = `${corpId}\u0000${secret}`;
    if (this.tokens.get(key)?.token === used) this.tokens.delete(key);
  }

  /** POSTs `body` to an access-token API path; on a token errcode refreshes once and retries. */
  async callApi(app: { corpId: string; secret: string }, path: string, body: unknown): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(app.corpId, app.secret);
      try {
        return await this.request('POST', `${this.base}${path}?access_token=${encodeURIComponent(token)}`, body);
      } catch (e) {
        if (attempt === 0 && e instanceof WecomApiError && e.errcode !== undefined && TOKEN_ERRCODES.has(e.errcode)) {
          this.invalidate(app.corpId, app.secret, token);
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * GETs an access-token API path with `query` (e.g. `user/get?userid=`); on a token errcode refreshes once and
   * retries. Used for directory reads (WeCom: 读取成员 https://developer.work.weixin.qq.com/document/path/90196).
   */
  async getApi(app: { corpId: string; secret: string }, path: string, query: Record<string, string>): Promise<Record<string, unknown>> {
    const qs = Object.entries(query)
      .map(([k, v]) => `&${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('');
    for (let attempt = 0; ; attempt++) {
      const token = await this.token(app.corpId, app.secret);
      try {
        return await this.request('GET', `${this.base}${path}?access_token=${encodeURIComponent(token)}${qs}`);
      } catch (e) {
        if (attempt === 0 && e instanceof WecomApiError && e.errcode !== undefined && TOKEN_ERRCODES.has(e.errcode)) {
          this.invalidate(app.corpId, app.secret, token);
          continue;
        }
        throw e;
      }
    }
  }

  webhook(key: string, body: unknown): Promise<Record<string, unknown>> {
    return this.request('POST', `${this.base}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`, body);
  }

  /** The smart bot's single-use response_url (an absolute URL from the verified callback). */
  responseUrl(url: string, body: unknown): Promise<Record<string, unknown>> {
    return this.request('POST', url, body);
  }

  private async request(method: 'GET' | 'POST', url: string, body?: unknown): Promise<Record<string, unknown>> {
    // Every failure names the URL (without its query: access_token, corpsecret, webhook key) so an operator sees
    // at once whether the service talks to WeCom, the simulator or a wrong WECOM_API_BASE.
    const where = `${method} ${withoutQuery(url)}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const why = (e as Error).name === 'TimeoutError' ? 'timeout' : networkReason(e as Error);
      throw new WecomApiError(undefined, `network: ${why} (${where})`);
    }
    if (!res.ok) throw new WecomApiError(undefined, `http ${res.status} (${where})`);
    let data: Record<string, unknown>;
    try {
      data = (await res.json()) as Record<string, unknown>;
    } catch {
      throw new WecomApiError(undefined, `invalid json answer (${where})`);
    }
    const errcode = Number(data.errcode ?? 0);
    if (errcode !== 0) throw new WecomApiError(errcode, `${describeErr(errcode, String(data.errmsg ?? ''))} (${where})`);
    return data;
  }
}

/** scheme://host/path of a URL: its query carries secrets (access_token, corpsecret, key, response_code). */
function withoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split('?')[0];
  }
}

/** fetch() says only "fetch failed"; the cause (ECONNREFUSED, ENOTFOUND, …) is what an operator can act on. */
function networkReason(e: Error): string {
  const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? e.message;
}
