import { describe, expect, it } from 'vitest';
import { loadBots } from '../../src/config/bots.js';
import { createTriage } from '../../src/triage/engine.js';
import { loadTriageModel } from '../../src/triage/model.js';
import { createNormalizer } from '../../src/triage/normalize.js';

const model = loadTriageModel('flows');
const normalize = createNormalizer(model, ['维保助手']);
const triage = createTriage(loadBots('bots', {}).get('demo')!, model);

describe('text normalisation', () => {
  it('folds full-width letters and punctuation to half-width and lower case', () => {
    expect(normalize('ＨＩＳ打不开！')).toBe('his打不开!');
    expect(normalize('Lis 和 PACS')).toBe('lis和pacs');
  });

  it('removes @mentions, with or without the space WeCom puts after them', () => {
    expect(normalize('@维保助手 LIS报告打印不出来')).toBe('lis报告打印不出来');
    expect(normalize('@维保助手LIS报告打印不出来')).toBe('lis报告打印不出来');
    expect(normalize('@张三\u2005HIS登不上')).toBe('his登不上');
  });

  it('collapses repeated 急 and exclamation marks', () => {
    expect(normalize('急急急！！！收费处收不了费！！')).toBe('急!收费处收不了费!');
  });

  it('fixes common typing mistakes before matching', () => {
    expect(normalize('HIS登陆不上，帐号被锁')).toBe('his登录不上,账号被锁');
  });

  it('gives the same answer however the message is typed', () => {
    const variants = ['HIS登不上', 'his登不上', 'Ｈｉｓ  登不上！！！', '@维保助手 HIS 登不上', 'HIS登陆不上'];
    const results = variants.map((t) => triage(t));
    for (const r of results)
      expect({ level: r.level, system: r.system, intent: r.intent }).toEqual({ level: 2, system: 'his', intent: 'report' });
  });

  it('does not read Latin system names inside other words', () => {
    expect(triage('this printer is broken').system).not.toBe('his');
  });
});
