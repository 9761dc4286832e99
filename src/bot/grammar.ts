/**
 * The chat command grammar shared by triage (to tell commands from reports) and the command handlers.
 * "接单 12", "接单#12", "@维保助手 进展 12号 已重启服务", "确认 12 5", "值班 lis", "月报 2026-11", and the ways
 * engineers actually type: "接6", "接单6", "6号接单", "9号到场", "到场 9号", full-width "接单 ２", "进度 ＃２".
 * Parsing reads normalised text (full-width digits and ＃ become ASCII; WeCom's U+2005 and ideographic spaces
 * become spaces); the rest of the line is kept as written.
 */
export const VERBS = [
  '接单',
  '派现场',
  '到场',
  '进展',
  '解决',
  '转派',
  '挂起',
  '恢复',
  '改级',
  '改系统',
  '确认',
  '未解决',
  '取消',
  '撤销',
  '进度',
  '我的工单',
  '待接单',
  '值班',
  '日报',
  '月报',
  '帮助',
  '超时说明',
  '月报签收',
  '月报撤回',
  '拆分',
  '合并',
  '巡检',
] as const;
export type Verb = (typeof VERBS)[number];

export interface ParsedCommand {
  verb: Verb;
  /** Ticket number when one was given ("12", "#12", "12号"). */
  no: number | null;
  /** The rest of the line after the verb and the number, trimmed. */
  rest: string;
}

/** Longest verbs first so "未解决" is not read as "解决". */
const byLength = [...VERBS].sort((a, b) => b.length - a.length);
const NUMBER = /^#?\s*(\d{1,9})\s*号?/;
/** Short forms that count only directly before a number: "接6", "接 6". */
const SHORT_VERBS: Array<[RegExp, Verb]> = [[/^接\s*(?=#?\d{1,9}\s*号?(?:\s|$))/, '接单']];
/** Whole questions that mean a verb: "今天谁值班", "现在谁值班？", "谁值班 lis". */
const PHRASES: Array<[RegExp, Verb]> = [[/^(?:今天|今日|现在|当前|今晚|本周|这周)?(?:是)?谁(?:在)?值班[?？吗呢]*/, '值班']];

/**
 * Normalises a chat line for parsing: full-width digits, ＃ and ／ become ASCII (not the whole NFKC, which would
 * also turn the Chinese commas of a note into ASCII ones: the rest of the line is kept as written), WeCom's
 * U+2005 and ideographic spaces become spaces, and the mentions WeCom inserted at the start or the end
 * ("@维保助手 接单 2", "接单 2 @维保助手") are removed. An `@` inside the text is kept: "support@vendor.com" is an
 * address, not a mention.
 */
export function normalizeChat(text: string): string {
  return text
    .replace(/[０-９＃／]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\u2005\u00a0\u3000\s]+/g, ' ')
    .trim()
    .replace(/^(?:@\S+\s+)+/, '')
    .replace(/^@\S+$/, '')
    .replace(/(?:\s+@\S+)+$/, '')
    .trim();
}

/** Parses a command at the start of a message; anything else (a report, small talk) returns null. */
export function parseCommand(text: string): ParsedCommand | null {
  let line = normalizeChat(text).replace(/^\//, '');
  for (const [re, verb] of PHRASES) if (re.test(line)) line = line.replace(re, `${verb} `).trim();
  for (const [re, verb] of SHORT_VERBS) if (re.test(line)) line = line.replace(re, `${verb} `);
  const numberFirst = numberFirstCommand(line);
  if (numberFirst) return numberFirst;
  const verb = byLength.find((v) => line.startsWith(v));
  if (!verb) return null;
  let rest = line.slice(verb.length).replace(/^[\s:：,，]+/, '');
  // A verb followed directly by more prose ("取消了吗…", "恢复正常了") is not a command.
  const m = NEEDS_NUMBER.has(verb) ? NUMBER.exec(rest) : null;
  let no: number | null = null;
  if (m) {
    no = Number(m[1]);
    rest = rest.slice(m[0].length).replace(/^[\s:：,，]+/, '');
  } else if (NEEDS_NUMBER.has(verb) && rest.length > 0) {
    return null;
  }
  // "巡检" alone resumes the inspection; "巡检时发现HIS很慢" is a report.
  if (BARE_ONLY.has(verb) && rest.length > 0) return null;
  return { verb, no, rest: rest.trim() };
}

/**
 * "6号接单", "#9 到场", "9号到场 已到检验科": the number first, then a verb that acts on one ticket, then the end
 * of the line or a space. "3号手术间电脑打不开" is not one (no verb after the number).
 */
function numberFirstCommand(line: string): ParsedCommand | null {
  const m = /^#?(\d{1,9})\s*号?\s*/.exec(line);
  if (!m) return null;
  const after = line.slice(m[0].length);
  const verb = byLength.find((v) => NEEDS_NUMBER.has(v) && after.startsWith(v));
  if (!verb) return null;
  const rest = after.slice(verb.length);
  if (rest && !/^[\s:：,，]/.test(rest)) return null;
  return { verb, no: Number(m[1]), rest: rest.replace(/^[\s:：,，]+/, '').trim() };
}

/** Verbs that act on one ticket: without a number only a bare verb counts (the bot then asks which ticket). */
const WITHOUT_TICKET = new Set<Verb>(['我的工单', '待接单', '值班', '日报', '月报', '帮助', '月报签收', '月报撤回', '巡检']);
/** Verbs that are a command only as the whole message. */
const BARE_ONLY = new Set<Verb>(['巡检']);
const NEEDS_NUMBER = new Set<Verb>(VERBS.filter((v) => !WITHOUT_TICKET.has(v)));

/**
 * What separates a command's arguments as people type them: spaces, and commas, semicolons, 、 and colons in
 * either width ("转派 6,zhaomin", "改级 6 2，太慢", "解决 6 原因:驱动,处理:重装").
 */
export const ARG_SEP = /[\s,，;；、:：]+/u;

/** An argument without the separators and end punctuation around it ("驱动，" → "驱动"). */
export function trimArg(s: string): string {
  return s.replace(/^[\s,，;；、:：。.!！]+|[\s,，;；、:：。!！]+$/gu, '');
}
