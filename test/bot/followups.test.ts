/**
 * The follow-up reading of a message (src/bot/followups.ts), on the examples and on unseen ones written
 * before tuning: status, chase, complaint, recovered — and messages that are none of them.
 */
import { describe, expect, it } from 'vitest';
import { followUpSignals } from '../../src/bot/followups.js';

type Kind = 'status' | 'chase' | 'complaint' | 'recovered';
const CASES: Array<[string, Kind[]]> = [
  // The examples.
  ['好了吗', ['status']],
  ['还没人来', ['chase']],
  ['5号单怎么还没人接 病人都透了快一个小时了', ['chase']],
  ['你们怎么回事 病人等着用血 到现在还没人管！！', ['chase', 'complaint']],
  ['现在又好了 不卡了 不用来了', ['recovered']],
  ['好了', ['recovered']],
  ['恢复了', ['recovered']],
  // Unseen, written before tuning.
  ['修好了没', ['status']],
  ['工程师到哪了', ['status']],
  ['什么时候能修好？', ['status']],
  ['催一下 急用', ['chase']],
  ['能不能快点 病人排队呢', ['chase']],
  ['等了半天了还没人', ['chase']],
  ['我要投诉 半天没人理', ['chase', 'complaint']],
  ['可以了 自己恢复了', ['recovered']],
  ['刚才那个问题没事了', ['recovered']],
  ['能登上了 谢谢', ['recovered']],
  // Still broken: a nudge, never a recovery.
  ['还没好', ['chase']],
];
const NONE = ['还是不能用了', '没恢复', '谢谢', '你好', 'LIS报告打印不出来'];

describe('follow-up signals', () => {
  it.each(CASES)('%s', (text, kinds) => {
    const s = followUpSignals(text);
    for (const k of ['recovered', 'chase', 'complaint'] as const) expect(s[k], `${text}: ${k}`).toBe(kinds.includes(k));
    if (kinds.includes('status')) expect(s.status, text).toBe(true);
  });

  it.each(NONE)('%s is no recovery, chase or complaint', (text) => {
    const s = followUpSignals(text);
    expect([s.recovered, s.chase, s.complaint]).toEqual([false, false, false]);
  });
});
