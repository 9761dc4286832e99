import { describe, expect, it } from 'vitest';
import { loadBots } from '../../src/config/bots.js';
import { createTriage } from '../../src/triage/engine.js';
import { loadTriageModel } from '../../src/triage/model.js';

const bot = loadBots('bots', {}).get('demo')!;
const triage = createTriage(bot, loadTriageModel('flows'));

describe('triage', () => {
  it('explains a level-1 report in short Chinese: scope + state → level', () => {
    const r = triage('全院HIS都登不进去了');
    expect(r).toMatchObject({ intent: 'report', level: 1, system: 'his', missing: [] });
    expect(r.reason).toBe('全院 + 登不进 → 一级');
  });

  it('raises a blocked function to 一级 when patients are waiting in an emergency', () => {
    const r = triage('急诊挂号打不开，病人在等');
    expect(r.level).toBe(1);
    // The waiting patients are the reason; the department's name only says where.
    expect(r.reason).toContain('病人在等');
  });

  it('forces 一级 for a blood issue blocked during surgery', () => {
    const r = triage('输血系统扫码提示血袋不存在，病人正在手术');
    expect(r).toMatchObject({ level: 1, system: 'transfusion' });
    expect(r.signals.forced).toBeTruthy();
  });

  it('lowers an intermittent error and a single broken printer to 三级', () => {
    expect(triage('电子病历保存时偶尔报错').level).toBe(3);
    expect(triage('打印机打不出东西了')).toMatchObject({ level: 3, system: 'other' });
  });

  it('calls how-to, accounts and training requests 四级 requests', () => {
    expect(triage('请问PACS怎么刻盘')).toMatchObject({ intent: 'request', level: 4, system: 'pacs' });
    expect(triage('新来的护士要开一个移动护理账号')).toMatchObject({ intent: 'request', level: 4, system: 'nursing' });
    expect(triage('HIS怎么又打不开了')).toMatchObject({ intent: 'report' });
  });

  it('recognises chat commands with the shared grammar and opens no ticket', () => {
    const r = triage('@维保助手 接单 12');
    expect(r).toMatchObject({ intent: 'command', level: null, system: null });
    expect(r.signals.command).toMatchObject({ verb: '接单', no: 12 });
  });

  it('treats greetings, thanks and tests as chat with no ticket', () => {
    for (const t of ['你好', '谢谢，已经好了', '测试一下', '好的', '']) {
      expect(triage(t), t).toMatchObject({ intent: 'chat', level: null, system: null });
    }
  });

  it('says which slots are still unknown', () => {
    expect(triage('打不开了').missing).toEqual(['system', 'impact']);
    expect(triage('LIS有点问题').missing).toContain('impact');
    expect(triage('HIS').missing).toEqual(['symptom']);
  });

  it('prefers a named system over hardware when both are mentioned', () => {
    expect(triage('我这台电脑登录HIS的时候报错').system).toBe('his');
    expect(triage('医保接口返回错误').system).toBe('insurance');
  });

  it('routes an order that one system sends and another never receives to the integration platform', () => {
    expect(triage('医生站开的检查申请PACS那边收不到').system).toBe('integration');
  });

  it('reads 都 after 什么/怎么 as emphasis, not as a wide scope', () => {
    expect(triage('扫码枪坏了，扫什么都没反应').level).toBe(3);
    expect(triage('病程记录保存报错，写的东西都没了').level).toBe(2);
    expect(triage('全院HIS都登不进去了').level).toBe(1);
  });

  it('counts negated transfers and manual workarounds as a damaged function', () => {
    expect(triage('传染病报卡今天没有上传到疾控')).toMatchObject({ level: 2, system: 'integration' });
    expect(triage('血气仪的结果不往LIS里传了，要手工录入')).toMatchObject({ level: 2, system: 'lis' });
  });

  it('treats a place (医生站) as weaker evidence than the object that fails', () => {
    expect(triage('医生站调不出影像').system).toBe('pacs');
    expect(triage('医生站打不开').system).toBe('his');
  });

  it('routes network and peripheral faults to 信息科, and a PC named only as the place to the clinical system', () => {
    expect(triage('科室网络时有时无，HIS老掉线').system).toBe('other');
    expect(triage('移动护理的腕带打印机打不出来')).toMatchObject({ system: 'other', level: 3 });
    expect(triage('标本签收扫码没反应，只是我这台电脑').system).toBe('lis');
    expect(triage('PDA提示网络连接失败，登录不了').system).toBe('nursing');
  });

  it('sends a new interface between two systems to the platform, but keeps insurance its own', () => {
    expect(triage('想新增一个和心电系统的接口')).toMatchObject({ intent: 'request', system: 'integration' });
    expect(triage('医保和HIS的接口返回错误').system).toBe('insurance');
  });

  it('keeps safety alerts (危急值) at 二级 while other reminders drop to 三级', () => {
    expect(triage('危急值提醒弹不出来了').level).toBe(2);
    expect(triage('取血提醒没有推送给护士').level).toBe(3);
  });

  it('recognises account, install and configuration requests with Latin system names', () => {
    expect(triage('新来的医生要开个PACS账号')).toMatchObject({ intent: 'request', level: 4 });
    expect(triage('想给科里的电脑装个PDF阅读器')).toMatchObject({ intent: 'request', level: 4 });
    expect(triage('医保报销比例要调整，找谁')).toMatchObject({ intent: 'request', level: 4 });
  });

  it('does not open a ticket for a follow-up on an existing ticket', () => {
    expect(triage('#45 进度怎么样了')).toMatchObject({ intent: 'chat', level: null });
  });

  it('reads a counted handful of machines or people as partial reach, not the whole department', () => {
    expect(triage('放射科两台电脑都打不开PACS').level).toBe(2);
    expect(triage('放射科所有电脑都打不开PACS').level).toBe(1);
  });

  it('escalates for an emergency department only when its system is down, not for a lesser fault there', () => {
    expect(triage('急诊挂号系统打不开').level).toBe(1);
    expect(triage('急诊科的叫号屏一直不刷新').level).toBe(2);
  });

  it('keeps back-office reports below 一级 and wrong statistics at 三级 unless money is wrong', () => {
    expect(triage('所有科室的月报都导出失败').level).toBe(2);
    expect(triage('住院日报表里的金额对不上').level).toBe(2);
    expect(triage('科室工作量报表里的人次算错了').level).toBe(3);
    expect(triage('两个病人的档案合并错了').level).toBe(2);
  });

  it('treats a polite how-to question as a request even if the reporter cannot find the button', () => {
    expect(triage('请问体温单怎么导出，我找不到按钮')).toMatchObject({ intent: 'request', level: 4, system: 'nursing' });
    expect(triage('师傅什么时候过来')).toMatchObject({ intent: 'chat', level: null });
  });

  it('names the software, not the PC, when a reporter says "电脑上的系统"; a workaround makes it minor', () => {
    expect(triage('我们护士站电脑上的护理系统打不开').system).toBe('nursing');
    expect(triage('LIS审核偶尔报错，刷新一下就好').level).toBe(3);
  });

  it('tolerates code-switching and doubled letters', () => {
    expect(triage('his down了 门诊药房拿不了药')).toMatchObject({ system: 'his', level: 1 });
    expect(triage('Hiss 好慢啊').system).toBe('his');
  });
});
