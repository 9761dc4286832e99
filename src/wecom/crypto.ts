import { createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';

export interface Creds {
  token: string;
  encodingAesKey: string;
}

export type VerifyFailure = { status: 400 | 401 | 403; code: string };

/**
 * Reads the query string without Koa's parser, which turns '+' into a space and so breaks base64 `echostr`.
 * Returns null when a value is not valid percent-encoding.
 */
export function readQuery(querystring: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  if (!querystring) return out;
  for (const part of querystring.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    try {
      out[decodeURIComponent(k)] = decodeURIComponent(v);
    } catch {
      return null;
    }
  }
  return out;
}

/** Constant-time comparison of the expected and the received signature (hex strings). */
export function signatureMatches(creds: Creds, timestamp: string, nonce: string, encrypted: string, received: string): boolean {
  const expected = Buffer.from(getSignature(creds.token, timestamp, nonce, encrypted), 'utf8');
  const got = Buffer.from(received, 'utf8');
  if (got.length !== expected.length) {
    timingSafeEqual(expected, expected); // same work either way
    return false;
  }
  return timingSafeEqual(expected, got);
}

/** True when `timestamp` is within `maxSkewS` seconds of now (0 = no window). */
export function fresh(timestamp: string, now: Date, maxSkewS: number): boolean {
  if (maxSkewS <= 0) return true;
  const ts = Number(timestamp);
  return Math.abs(now.getTime() / 1000 - ts) <= maxSkewS;
}

/**
 * Signature first (constant time), then decryption, then the receiveid. @wecom/crypto checks neither, and a
 * wrong key or tampered ciphertext "decrypts" to garbage without throwing, so the receiveid check is what
 * tells garbage from a message.
 */
export function openEnvelope(
  creds: Creds,
  q: { msg_signature: string; timestamp: string; nonce: string },
  encrypted: string,
  receiveId: string,
): { ok: true; plaintext: string } | { ok: false; failure: VerifyFailure } {
  if (!signatureMatches(creds, q.timestamp, q.nonce, encrypted, q.msg_signature)) {
    return { ok: false, failure: { status: 401, code: 'bad_signature' } };
  }
  let opened: { message: string; id: string };
  try {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypted) || encrypted.length % 4 !== 0) throw new Error('not base64');
    const raw = Buffer.from(encrypted, 'base64');
    if (raw.length < 32 || raw.length % 16 !== 0) throw new Error('bad length');
    if (!wellFormed(creds.encodingAesKey, raw)) throw new Error('bad structure');
    opened = decrypt(creds.encodingAesKey, encrypted);
  } catch {
    return { ok: false, failure: { status: 400, code: 'bad_ciphertext' } };
  }
  if (opened.id !== receiveId) return { ok: false, failure: { status: 403, code: 'wrong_receiveid' } };
  return { ok: true, plaintext: opened.message };
}

/**
 * @wecom/crypto neither checks the PKCS#7 padding nor that the declared message length fits, so a tampered
 * ciphertext would yield a truncated message and an empty id (which is the smart bot's receiveid).
 */
function wellFormed(encodingAesKey: string, raw: Buffer): boolean {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  if (key.length !== 32) return false;
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(raw), d.final()]);
  const pad = plain[plain.length - 1];
  if (pad < 1 || pad > 32 || pad > plain.length) return false;
  for (let i = plain.length - pad; i < plain.length; i++) if (plain[i] !== pad) return false;
  const body = plain.length - pad;
  if (body < 20) return false;
  return plain.readUInt32BE(16) + 20 <= body;
}

/** Encrypts and signs a passive reply (the nonce of the callback is reused, as WeCom requires). */
export function seal(creds: Creds, plaintext: string, receiveId: string, nonce: string, timestamp: string) {
  const enc = encrypt(creds.encodingAesKey, plaintext, receiveId, randomBytes(16));
  return { encrypt: enc, msgsignature: getSignature(creds.token, timestamp, nonce, enc), timestamp, nonce };
}
