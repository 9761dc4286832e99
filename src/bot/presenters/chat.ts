/** Small talk and flow text filling: greetings, thanks, "{no}" placeholders in flow files. */

/** Fills "{no}", "{title}" … in a flow text; unknown or empty placeholders stay as written. */
export function fill(text: string, vars: Record<string, string | number | null | undefined>): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (vars[k] === undefined || vars[k] === null ? m : String(vars[k])));
}

export const GREETING_SINGLE = '您好，我是维保助手。直接描述遇到的问题即可报修，例如“LIS报告打印不出来”；发送“帮助”查看命令。';
export const GREETING_GROUP = '您好，需要报修请 @我 并描述问题，例如“LIS报告打印不出来”。';
export const THANKS = '不客气，有问题随时找我。';

/** Told once per minute to a sender over the flood limit (src/wecom/flood.ts). */
export const FLOOD_NOTICE = '您发送得太快了，这一分钟内之后的消息暂不处理。如有新情况，请一分钟后再发。';

/** The answer to a report sent again within minutes (flood control, src/wecom/flood.ts). */
export function repeatedReportReply(no: number, minutesAgo: number): string {
  const when = minutesAgo < 1 ? '刚才' : ` ${minutesAgo} 分钟前`;
  return `您${when}已报过同样的问题，已记录在 #${no}，无需重复发送。`;
}

/**
 * A pending question brought back after another dialog ended or after a message that did not answer it:
 * "（继续「月度巡检」）\n（1/12）…", or for a report form "（#12 还差一项）\n请问是哪个科室/地点？".
 */
export function resumeNote(title: string | null, no: number | null, question: string): string {
  const head = title ? `（继续「${title}」）` : no ? `（#${no} 还差一项）` : '（上一条报修还没说完）';
  return `${head}\n${question}`;
}

/** 巡检 with nothing open. */
export const noOpenInspection = (): string => '您目前没有进行中的巡检。';

/** 巡检 in the app chat: the inspection and its current question, which the next answer goes to. */
export function inspectionResumed(name: string, period: string, question: string): string {
  return `${name}（${period}）\n${question}`;
}

/** 巡检 from a group (or a checklist sent again): where to answer. */
export function inspectionResumedElsewhere(name: string, period: string): string {
  return `${name}（${period}）的检查清单已在应用消息中继续，请在那里逐项回复。`;
}

/** A checklist item answered 异常 without a note: the note it still needs. */
/** Without the bot feature, every message to the WeCom channel gets this (src/wecom/feature.ts). */
export const HELP_TEXT = [
  '维保助手：在群里 @我 描述故障即可报修，例如“@维保助手 LIS报告打印不出来，急”。',
  '工程师可回复：接单 12、到场 12、解决 12 …；发送“帮助”查看全部命令。',
].join('\n');

/** Screenshots (src/bot/engine.ts onImage): kept for the report being written, or put on the sender's open ticket. */
export const IMAGE_KEPT_FOR_REPORT = '图片已收到，会随报修一起登记。';
/** A screenshot in a direct chat with no report and no open ticket to attach it to. */
export const IMAGE_NEEDS_TEXT = '收到图片。请用文字描述一下遇到的问题，我来登记报修。';
export const imageAttached = (no: number): string => `图片已附到 #${no}。`;

/** Report follow-up (src/bot/report.ts): a late detail was added to the ticket. */
export const supplemented = (no: number): string => `已补充到 #${no}。`;
/** The end of a report's follow-up questions; `head` is what was said before (may be empty). */
export const reportFollowUpDone = (no: number, head: string): string => `${head || `#${no} `}工程师会尽快处理。`;
/** The reporter cancelled the follow-up questions; the ticket itself goes on. */
export const followUpCancelled = (no: number | string): string => `好的，不再追问，#${no} 照常处理。`;

/** Checklist (src/bot/checklist.ts) defaults; a flow file's texts.intro / texts.done replace them. */
export const CHECKLIST_INTRO = '开始「{title}」，共 {count} 项。';
export const CHECKLIST_DONE = '「{title}」已完成。';
export const CHECKLIST_NOTED = '已记录。';
/** An answer that is none of the item's options; the item is asked again. */
export const checklistNotUnderstood = (item: string): string => `没看懂，请回复编号。\n${item}`;
/** Item `index` (0-based) of `count` with its hint and numbered options: "（2/12）…\n1 正常  2 异常  3 不适用". */
export function checklistItem(index: number, count: number, text: string, hint: string | undefined, options: string[]): string {
  const opts = options.map((label, j) => `${j + 1} ${label}`).join('  ');
  return `（${index + 1}/${count}）${text}${hint ? `\n提示：${hint}` : ''}\n${opts}`;
}

export const CHECKLIST_NOTE_ASK = '请简单说明异常情况：';

/** A checklist sent again with the answers it had: "已答 3 项，接着回答：". */
export const checklistResumeLead = (answered: number): string => (answered ? `已答 ${answered} 项，接着回答：\n` : '');
