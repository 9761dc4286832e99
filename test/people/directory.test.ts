import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.js';
import type { BotConfig } from '../../src/config/bots.js';
import { Directory, DirectoryEntry } from '../../src/people/directory.js';
import { personName } from '../../src/roster/roster.js';
import { WecomClient } from '../../src/wecom/client.js';
import { RateLimiter, RateModel } from '../../src/wecom/rate-limit.js';
import { WecomSimulator } from '../../src/wecom/simulator/simulator.js';
import { useTestDb } from '../helpers/db.js';
import { demoBot } from '../reports/drive.js';

useTestDb();

const clock = new ManualClock('2026-11-20T10:00:00+08:00');
let bot: BotConfig;
let sim: WecomSimulator;
let directory: Directory;

beforeAll(async () => {
  bot = demoBot();
  sim = new WecomSimulator({ bots: [bot], clock });
  const url = await sim.start();
  directory = new Directory({ clock, client: new WecomClient(url, clock), limiter: new RateLimiter(clock) });
});
afterAll(async () => {
  await sim?.stop();
});
beforeEach(async () => {
  await DirectoryEntry.deleteMany({});
  await RateModel.deleteMany({});
  sim.clear();
});

const lookups = () => sim.delivered('user/get').map((r) => r.query.userid);

describe('people’s names from the WeCom directory', () => {
  it('shows the WeCom name, main department and mobile of a userid', async () => {
    expect(await directory.person(bot, 'nurse01')).toEqual({
      userid: 'nurse01',
      name: '李护士',
      department: '心血管内科',
      mobile: '13700000001',
      source: 'wecom',
    });
    expect(lookups()).toEqual(['nurse01']);
    expect(sim.delivered('department/get').map((r) => r.query.id)).toEqual(['3']);
  });

  it('asks WeCom once per person until the cache expires, then sees a rename', async () => {
    await directory.person(bot, 'nurse02');
    clock.advance(23 * 3_600_000);
    expect(await directory.name(bot, 'nurse02')).toBe('周婷');
    expect(lookups()).toEqual(['nurse02']);
    sim.setPerson({ userid: 'nurse02', name: '周婷婷', department: [5] });
    clock.advance(2 * 3_600_000);
    expect(await directory.name(bot, 'nurse02')).toBe('周婷婷');
    expect(lookups()).toEqual(['nurse02', 'nurse02']);
  });

  it('shares one WeCom call between concurrent look-ups of the same person', async () => {
    const names = await Promise.all([1, 2, 3].map(() => directory.name(bot, 'nurse03')));
    expect(names).toEqual(['孙悦', '孙悦', '孙悦']);
    expect(lookups()).toEqual(['nurse03']);
  });

  it('falls back to the bot file when WeCom fails, and to the stale answer once it has one', async () => {
    // nurse01 has another name in WeCom than in the bot file's directory.people: the bot file's is used only while WeCom is silent.
    sim.setPerson({ userid: 'nurse01', name: '李娜', department: [3], mobile: '13700000001' });
    sim.failNext('user/get', -1, 2);
    expect(await directory.person(bot, 'zhangwei')).toMatchObject({ name: '张伟', mobile: '13800000001', source: 'bot' });
    expect(await directory.person(bot, 'nurse01')).toMatchObject({ name: '李护士', department: '心内科', source: 'bot' });
    expect(await directory.name(bot, 'nurse01')).toBe('李娜');
    clock.advance(48 * 3_600_000);
    sim.failNext('user/get', 45009, 1);
    expect(await directory.person(bot, 'nurse01')).toMatchObject({ name: '李娜', source: 'wecom' });
  });

  it('stops asking for the rest of a batch when WeCom does not answer, so an export never waits a timeout per person', async () => {
    const impatient = new Directory({ clock, client: new WecomClient(sim.url, clock, 200), limiter: new RateLimiter(clock) });
    const release = sim.holdNext('user/get');
    const people = await impatient.people(bot, ['nurse01', 'clerk01', 'zhangwei']);
    // The client gave up after its 200 ms; the simulator records the held call once released. Nothing else was asked.
    release();
    await sim.waitFor((all) => all.some((r) => r.kind === 'user/get'));
    expect(sim.received('user/get').map((r) => r.query.userid)).toEqual(['nurse01']);
    expect([...people.values()].map((p) => `${p.name}/${p.source}`)).toEqual(['李护士/bot', 'clerk01/unknown', '张伟/bot']);
  });

  it('keeps a userid WeCom does not know as the userid, without asking again within the expiry', async () => {
    expect(await directory.person(bot, 'ghost9')).toEqual({
      userid: 'ghost9',
      name: 'ghost9',
      department: null,
      mobile: null,
      source: 'unknown',
    });
    await directory.person(bot, 'ghost9');
    expect(sim.received('user/get').map((r) => r.query.userid)).toEqual(['ghost9']);
  });

  it('stays within the per-minute budget: past it, names come from the cache and the bot file', async () => {
    const tight = { ...bot, directory: { ...bot.directory, perMinute: 2 } };
    const people = await directory.people(tight, ['nurse04', 'doctor01', 'liuyang', 'clerk01']);
    // nurse04 used both slots (user/get + department/get); the rest were not asked.
    expect(sim.received('user/get').length + sim.received('department/get').length).toBe(2);
    expect([...people.values()].map((p) => [p.userid, p.name, p.source])).toEqual([
      ['nurse04', '陈晓燕', 'wecom'],
      ['doctor01', 'doctor01', 'unknown'],
      ['liuyang', '刘洋', 'bot'],
      ['clerk01', 'clerk01', 'unknown'],
    ]);
  });

  it('keeps the names it learned with the loaded bot file: another service loading the same file starts without them', async () => {
    sim.setPerson({ userid: 'names_only_here', name: '钱慧', department: [3] });
    expect(personName(bot, 'names_only_here')).toBe('names_only_here');
    await directory.people(bot, ['names_only_here']);
    expect(personName(bot, 'names_only_here')).toBe('钱慧');
    const otherService = demoBot();
    expect(personName(otherService, 'names_only_here')).toBe('names_only_here');
  });

  it('never asks WeCom for the system actor or when the bot turns the directory off', async () => {
    const off = { ...bot, directory: { ...bot.directory, enabled: false } };
    expect(await directory.name(off, 'nurse01')).toBe('李护士');
    expect((await directory.people(bot, ['system'])).size).toBe(0);
    expect(sim.received('user/get')).toEqual([]);
  });
});
