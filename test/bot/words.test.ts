/** The pure parts of issue #16: command grammar, whole-token values, masking, shortening by characters. */
import { describe, expect, it } from 'vitest';
import { readConfirmation } from '../../src/bot/answers.js';
import { parseCommand } from '../../src/bot/grammar.js';
import { parseRepair, transferTarget } from '../../src/bot/commands/ticket-actions.js';
import { maskIdentifiers } from '../../src/bot/presenters/mask.js';
import { forGroup, groupContent } from '../../src/bot/presenters/people.js';
import { clipBytes, duration, short } from '../../src/bot/presenters/words.js';
import { loadBots } from '../../src/config/bots.js';

describe('command grammar on normalised text', () => {
  it.each([
    ['接6', '接单', 6, ''],
    ['接单6', '接单', 6, ''],
    ['6号接单', '接单', 6, ''],
    ['9号到场', '到场', 9, ''],
    ['到场 9号', '到场', 9, ''],
    ['接单 ２', '接单', 2, ''],
    ['进度 ＃２', '进度', 2, ''],
    ['@维保助手 进展 2 已发邮件给厂商 support@vendor.com 等回复', '进展', 2, '已发邮件给厂商 support@vendor.com 等回复'],
    ['进展 2 等回复 @维保助手', '进展', 2, '等回复'],
    ['撤销 16 不用了', '撤销', 16, '不用了'],
    ['改系统 7 pacs', '改系统', 7, 'pacs'],
    ['进展 3 已联系厂商，等回复（周一）', '进展', 3, '已联系厂商，等回复（周一）'],
    ['今天谁值班', '值班', null, ''],
    ['值班 检验', '值班', null, '检验'],
  ])('%s', (text, verb, no, rest) => {
    expect(parseCommand(text)).toEqual({ verb, no, rest });
  });

  it.each(['3号手术间电脑打不开', '接6楼护士站的电话没人听', '取消了吗', '恢复正常了'])('"%s" is not a command', (text) => {
    expect(parseCommand(text)).toBeNull();
  });
});

describe('values as whole tokens', () => {
  it.each([
    ['5分 谢谢刘工', 'confirmed', 5, '谢谢刘工'],
    ['好了 谢谢 5分', 'confirmed', 5, '好了 谢谢'],
    ['满意', 'confirmed', 4, '满意'],
    ['还行 3分 太慢了', 'confirmed', 3, '还行 太慢了'],
    ['非常满意 给5分 中午就修好了', 'confirmed', 5, '非常满意 中午就修好了'],
    ['还是不行 打不开', 'rejected', null, '还是不行 打不开'],
    ['1', 'confirmed', null, ''],
    ['2', 'rejected', null, ''],
    ['明天再说', null, null, '明天再说'],
  ])('confirmation "%s"', (text, outcome, rating, comment) => {
    expect(readConfirmation(text)).toEqual({ outcome, rating, comment });
  });
});

describe('command arguments separated by commas or colons of either width', () => {
  it.each([
    ['原因:驱动不兼容,处理:回退驱动', '驱动不兼容', '回退驱动'],
    ['原因：驱动不兼容，处理：回退驱动', '驱动不兼容', '回退驱动'],
    ['处理: 回退驱动; 原因: 驱动不兼容。', '驱动不兼容', '回退驱动'],
    ['原因:驱动、补丁冲突 处理:回退驱动', '驱动、补丁冲突', '回退驱动'],
  ])('repair record "%s"', (text, cause, action) => {
    expect(parseRepair(text)).toEqual({ cause, action });
  });

  it('the engineer of 转派 ends at a comma; the reason is kept as written', () => {
    const bot = loadBots('bots', {}).get('demo')!;
    expect(transferTarget(bot, 'zhaomin,交接：数据库问题')).toEqual({ to: 'zhaomin', reason: '交接：数据库问题' });
    expect(transferTarget(bot, '赵敏，我下班了')).toEqual({ to: 'zhaomin', reason: '我下班了' });
    // The grammar strips a trailing mention; the one after 转派 is read from the raw text, up to a comma too.
    expect(transferTarget(bot, '', '转派 12 @zhaomin，交接').to).toBe('zhaomin');
  });

  it.each([
    ['5,很好', 5, '很好'],
    ['5，很好', 5, '很好'],
    ['很好,4', 4, '很好'],
  ])('rating "%s"', (text, rating, comment) => {
    expect(readConfirmation(text)).toMatchObject({ outcome: 'confirmed', rating, comment });
  });
});

describe('masking patient identifiers', () => {
  it('hides ID numbers, mobiles, record numbers and the name after 患者/病人; keeps the roster phones and ordinary words', () => {
    const masked = maskIdentifiers(
      '病人王建国 住院号20231234 身份证110101198801011234 家属13912345678 联系刘工13800000002',
      new Set(['13800000002']),
    );
    expect(masked).toBe('病人王** 住院号*** 身份证**************1234 家属139****5678 联系刘工13800000002');
    expect(maskIdentifiers('患者列表打不开，病案号：A12345')).toBe('患者列表打不开，病案号：***');
    expect(maskIdentifiers('患者：欧阳娜娜的医嘱')).toBe('患者：欧阳**的医嘱');
    expect(maskIdentifiers('３号手术间（用时 25 分钟）')).toBe('３号手术间（用时 25 分钟）');
  });
});

describe('group posts', () => {
  const bot = loadBots('bots', {}).get('demo')!;

  it('show a staff member by name and short number (分机) when the roster has one, never their mobile', () => {
    expect(forGroup(bot, '刘洋 工程师（13800000002）会在 15:48 前联系您。')).toBe('刘洋 工程师会在 15:48 前联系您。');
    expect(forGroup(bot, '当前值班：刘洋（13800000002），备岗 赵敏')).toBe('当前值班：刘洋，备岗 赵敏');
    expect(forGroup(bot, '已转 王磊（13900000001） 处理')).toBe('已转 王磊（分机 8001） 处理');
    expect(forGroup(bot, '联系刘工13800000002或王磊 13900000001')).toBe('联系刘工或王磊 分机 8001');
  });

  it('mask every other mobile, ID and record number, whatever the sentence', () => {
    const post = forGroup(bot, '病人王建国 住院号20231234 身份证110101198801011234 家属13912345678 分机8823');
    expect(post).toBe('病人王** 住院号*** 身份证**************1234 家属139****5678 分机8823');
    expect(groupContent(bot, { type: 'markdown', markdown: '**#1** 13912345678' })).toEqual({
      type: 'markdown',
      markdown: '**#1** 139****5678',
    });
  });
});

describe('shortening by characters', () => {
  it('never cuts inside a character', () => {
    expect(short(`${'心'.repeat(29)}😀内科`, 30)).toBe(`${'心'.repeat(29)}😀…`);
    expect(short(`${'心'.repeat(30)}😀`, 30)).toBe(`${'心'.repeat(30)}…`);
    expect(clipBytes('已由张伟接单😀', 20)).toBe('已由张伟接单'); // 18 bytes + a 4-byte emoji would be 22
  });

  it('one duration format', () => {
    expect([35, 125, 1500, 2880].map((m) => duration(m * 60_000))).toEqual(['35 分钟', '2 小时 5 分钟', '1 天 1 小时', '2 天']);
    expect(duration(1500 * 60_000, { hoursOnly: true })).toBe('25 小时');
  });

  it('a span under a minute reads "不到 1 分钟", never "0 分钟"', () => {
    expect([0, 1, 20_000, 59_999, -5_000].map((ms) => duration(ms))).toEqual(Array(5).fill('不到 1 分钟'));
    expect(duration(60_000)).toBe('1 分钟');
    expect(duration(90_000)).toBe('2 分钟');
  });
});
