import { describe, expect, it } from 'vitest';
import { aibotDraft, appDraft, ParseError, stripMentions } from '../../src/wecom/parse.js';
import { LIMITS, splitUtf8 } from '../../src/wecom/split.js';

describe('splitUtf8', () => {
  it('keeps short text whole', () => {
    expect(splitUtf8('你好', LIMITS.text)).toEqual(['你好']);
  });

  it('splits at line breaks and never inside a character', () => {
    const text = Array.from({ length: 300 }, (_, i) => `${i} 血透机上机失败`).join('\n');
    const parts = splitUtf8(text, 2048);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2048);
      expect(p.startsWith('\n') || p.endsWith('\n')).toBe(false);
    }
    expect(parts.join('\n')).toBe(text);
  });

  it('splits a single over-long line between whole characters (CJK, emoji sequences)', () => {
    const line = '检验'.repeat(500) + '👩‍⚕️'.repeat(50) + 'é'.repeat(300);
    const parts = splitUtf8(line, 2048);
    for (const p of parts) {
      expect(Buffer.byteLength(p)).toBeLessThanOrEqual(2048);
      expect(Buffer.from(p, 'utf8').toString('utf8')).toBe(p);
      expect(p).not.toMatch(/\uFFFD/);
    }
    expect(parts.join('')).toBe(line);
    expect(parts.some((p) => p.endsWith('\u200d'))).toBe(false); // no emoji sequence torn apart
  });
});

describe('callback parsing', () => {
  it('strips the bot mention, WeCom spaces included', () => {
    expect(stripMentions('@维保助手\u2005LIS报告打印不出来，急', ['维保助手'], true)).toBe('LIS报告打印不出来，急');
    expect(stripMentions('接单 12 @维保助手', ['维保助手'], true)).toBe('接单 12');
    expect(stripMentions('@小助手 进度 12', ['维保助手'], true)).toBe('进度 12');
    expect(stripMentions('@张伟 看一下', ['维保助手'], false)).toBe('@张伟 看一下');
  });

  it('keeps a 64-bit MsgId exactly and accepts plain text as well as CDATA', () => {
    const d = appDraft(
      '<xml><FromUserName>u1</FromUserName><MsgType>text</MsgType><Content>a &amp; b</Content><MsgId>9223372036854775807</MsgId></xml>',
    );
    expect(d).toMatchObject({ msgId: '9223372036854775807', type: 'text', rawText: 'a &amp; b' });
  });

  it('dedupes app events by sender, time and key', () => {
    const d = appDraft(
      '<xml><FromUserName><![CDATA[zw]]></FromUserName><CreateTime>1700000000</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[claim]]></EventKey><TaskId><![CDATA[t1]]></TaskId><ResponseCode><![CDATA[rc]]></ResponseCode></xml>',
    );
    expect(d.dedupeKey).toBe('evt:zw:1700000000:template_card_event:claim:t1');
    expect(d.event).toMatchObject({ name: 'template_card_event', eventKey: 'claim', taskId: 't1', responseCode: 'rc' });
  });

  it('reads smart-bot mixed messages and rejects shapes that are not messages', () => {
    const mixed = aibotDraft(
      JSON.stringify({
        msgid: 'm1',
        chattype: 'group',
        chatid: 'c1',
        from: { userid: 'u' },
        msgtype: 'mixed',
        mixed: {
          msg_item: [
            { msgtype: 'text', text: { content: '@维保助手 打印机坏了' } },
            { msgtype: 'image', image: { url: 'x' } },
          ],
        },
      }),
    );
    expect(mixed).toMatchObject({ type: 'text', chatType: 'group', chatId: 'c1', rawText: '@维保助手 打印机坏了' });
    expect(() => aibotDraft('[]')).toThrow(ParseError);
    expect(() => aibotDraft('{"msgid":1,"msgtype":"text","from":{"userid":"u"}}')).toThrow(ParseError);
  });
});
