import { describe, expect, it } from 'vitest';
import { type BotConfig, loadBots } from '../../src/config/bots.js';
import { engineersFor, personName, roleOf, whoIsOnDuty } from '../../src/roster/roster.js';
import { parseInstant, toIso } from '../../src/time.js';

const bot = loadBots('bots', {}).get('demo')!;
const at = (s: string) => parseInstant(s)!;
const who = (b: BotConfig, system: string, when: string) => {
  const d = whoIsOnDuty(b, system, at(when));
  return { primary: d.primary, backup: d.backup, until: toIso(d.until) };
};
const withRoster = (patch: Partial<BotConfig['roster']>): BotConfig => ({ ...bot, roster: { ...bot.roster, ...patch } });

describe('working time: the engineer with the skill', () => {
  it('routes each system to its first skilled engineer, with zhaomin as backup', () => {
    expect(who(bot, 'his', '2026-11-20T10:00')).toMatchObject({ primary: 'zhangwei', backup: 'zhaomin' });
    expect(who(bot, 'lis', '2026-11-20T10:00')).toMatchObject({ primary: 'liuyang', backup: 'zhaomin' });
    expect(who(bot, 'pacs', '2026-11-20T10:00')).toMatchObject({ primary: 'chenjing', backup: 'zhaomin' });
  });

  it('a system nobody lists goes to the "*" engineer, whose backup is then someone else', () => {
    const b = { ...bot, systems: [...bot.systems, { id: 'oa', name: 'OA', aliases: [], keywords: [] }] } as BotConfig;
    const d = who(b, 'oa', '2026-11-20T10:00');
    expect(d.primary).toBe('zhaomin');
    expect(d.backup).not.toBe('zhaomin');
  });

  it('`other` (hardware, network) goes to the hospital 信息科 contact in working time', () => {
    expect(who(bot, 'other', '2026-11-20T10:00')).toMatchObject({ primary: 'wanglei', backup: 'zhaomin' });
  });

  it('until is the end of working hours when the rotation engineer differs', () => {
    expect(who(bot, 'lis', '2026-11-20T10:00').until).toBe('2026-11-20T18:00:00+08:00');
  });
});

describe('off-hours and holiday rotation', () => {
  it('zhangwei in the week starting 2026-11-16 08:00, then liuyang, then chenjing, then zhangwei again', () => {
    expect(who(bot, 'lis', '2026-11-16T07:59').primary).toBe('chenjing');
    expect(who(bot, 'lis', '2026-11-21T10:00').primary).toBe('zhangwei');
    expect(who(bot, 'lis', '2026-11-28T10:00').primary).toBe('liuyang');
    expect(who(bot, 'lis', '2026-12-05T10:00').primary).toBe('chenjing');
    expect(who(bot, 'lis', '2026-12-12T10:00').primary).toBe('zhangwei');
    expect(who(bot, 'lis', '2026-11-18T22:00').primary).toBe('zhangwei');
  });

  it('hands over Monday 08:00', () => {
    expect(who(bot, 'lis', '2026-11-21T10:00')).toEqual({ primary: 'zhangwei', backup: 'zhaomin', until: '2026-11-23T08:00:00+08:00' });
    // Monday 07:00 is still off-hours: zhangwei until 08:00, then liuyang by skill in working time, and by rotation after 18:00.
    expect(who(bot, 'lis', '2026-11-23T07:00').until).toBe('2026-11-23T08:00:00+08:00');
    expect(who(bot, 'lis', '2026-11-23T09:00')).toEqual({ primary: 'liuyang', backup: 'zhaomin', until: '2026-11-30T18:00:00+08:00' });
  });

  it('until skips boundaries where nobody changes', () => {
    // his belongs to zhangwei in working time, and zhangwei is on rotation this week: one answer until Monday 18:00.
    expect(who(bot, 'his', '2026-11-21T10:00').until).toBe('2026-11-23T18:00:00+08:00');
  });

  it('covers statutory holidays during working hours', () => {
    // 2026-10-01 is a holiday; the rotation week starting 2026-09-28 is 7 weeks before the anchor → chenjing.
    expect(who(bot, 'his', '2026-10-01T10:00').primary).toBe('chenjing');
    expect(who(bot, 'his', '2026-10-08T10:00').primary).toBe('zhangwei');
  });

  it('`other` stays with the 信息科 contact outside working time too', () => {
    expect(who(bot, 'other', '2026-11-28T10:00')).toMatchObject({ primary: 'wanglei', backup: 'zhaomin' });
    // Nothing ever changes for it: until is the look-ahead horizon (60 days).
    expect(who(bot, 'other', '2026-11-28T10:00').until).toBe('2027-01-27T10:00:00+08:00');
  });
});

describe('overrides beat rotations', () => {
  const b = withRoster({
    overrides: [
      { user: 'chenjing', from: '2026-11-21T00:00:00+08:00', to: '2026-11-22T00:00:00+08:00' },
      { user: 'zhaomin', from: '2026-11-20T12:00:00+08:00', to: '2026-11-20T14:00:00+08:00', systems: ['lis'] },
    ],
  });

  it('a day swap takes over the rotation, until its end', () => {
    expect(who(b, 'his', '2026-11-21T10:00')).toEqual({ primary: 'chenjing', backup: 'zhaomin', until: '2026-11-22T00:00:00+08:00' });
    expect(who(b, 'his', '2026-11-20T22:00').until).toBe('2026-11-21T00:00:00+08:00');
    expect(who(b, 'his', '2026-11-22T00:00').primary).toBe('zhangwei');
  });

  it('an override for some systems beats the working-time default for those only', () => {
    const d = who(b, 'lis', '2026-11-20T12:30');
    expect(d.primary).toBe('zhaomin');
    expect(d.backup).not.toBe('zhaomin');
    expect(d.until).toBe('2026-11-20T14:00:00+08:00');
    expect(who(b, 'his', '2026-11-20T12:30').primary).toBe('zhangwei');
    expect(who(b, 'lis', '2026-11-20T11:00').until).toBe('2026-11-20T12:00:00+08:00');
  });
});

describe('people', () => {
  it('knows roles and names', () => {
    expect(roleOf(bot, 'zhangwei')).toBe('engineer');
    expect(roleOf(bot, 'xuli')).toBe('lead');
    expect(roleOf(bot, 'wanglei')).toBe('lead');
    expect(roleOf(bot, 'nurse01')).toBe('reporter');
    expect(personName(bot, 'liuyang')).toBe('刘洋');
    expect(personName(bot, 'xuli')).toBe('徐丽');
    expect(personName(bot, 'nurse01')).toBe('李护士'); // the bot file's directory.people
    expect(personName(bot, 'someone_new')).toBe('someone_new');
  });

  it('lists the engineers covering a system in file order', () => {
    expect(engineersFor(bot, 'lis').map((e) => e.userid)).toEqual(['liuyang', 'zhaomin']);
    expect(engineersFor(bot, 'unknown').map((e) => e.userid)).toEqual(['zhaomin']);
  });
});
