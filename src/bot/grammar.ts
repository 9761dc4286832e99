/**
 * The chat command grammar shared by triage (to tell commands from reports) and the command handlers.
 * "接单 12", "接单#12", "@维保助手 进展 12号 已重启服务", "确认 12 5", "值班 lis", "月报 2026-11".
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
  '确认',
  '未解决',
  '取消',
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
const NUMBER = /^[#＃]?\s*(\d{1,9})\s*号?/;

/** Removes @mentions, normalises full-width spaces and punctuation around the command. */
export function normalizeChat(text: string): string {
  return text
    .replace(/@\S+/g, ' ')
    .replace(/[\u3000\s]+/g, ' ')
    .trim();
}

/** Parses a command at the start of a message; anything else (a report, small talk) returns null. */
export function parseCommand(text: string): ParsedCommand | null {
  const line = normalizeChat(text).replace(/^[/／]/, '');
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
  return { verb, no, rest: rest.trim() };
}

/** Verbs that act on one ticket: without a number only a bare verb counts (the bot then asks which ticket). */
const WITHOUT_TICKET = new Set<Verb>(['我的工单', '待接单', '值班', '日报', '月报', '帮助', '月报签收', '月报撤回']);
const NEEDS_NUMBER = new Set<Verb>(VERBS.filter((v) => !WITHOUT_TICKET.has(v)));
