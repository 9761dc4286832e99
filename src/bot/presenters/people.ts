/** How people are named in what the bot says: roster names, phones, the form of address. */
import type { BotConfig } from '../../config/bots.js';
import { personName } from '../../roster/roster.js';
import type { OutboundContent } from '../../wecom/types.js';
import { maskIdentifiers } from './mask.js';

export { personName };

function phoneOf(bot: BotConfig, userid: string): string | null {
  const { engineers, leads, itContact } = bot.roster;
  return [...engineers, ...leads, itContact].find((p) => p.userid === userid)?.phone ?? null;
}

/** "张伟（13800000001）", or the name alone when the roster has no phone. */
export function whoWithPhone(bot: BotConfig, userid: string): string {
  const phone = phoneOf(bot, userid);
  return phone ? `${personName(bot, userid)}（${phone}）` : personName(bot, userid);
}

/**
 * Who is coming, for a reporter: "刘洋 工程师（138…）", or "信息科 王磊（139…）" when the hospital's own 信息科
 * contact takes it (hardware, network: outside the vendor's contract).
 */
export function responderForReporter(bot: BotConfig, userid: string): string {
  if (userid === bot.roster.itContact.userid && !bot.roster.engineers.some((e) => e.userid === userid)) {
    return `信息科 ${whoWithPhone(bot, userid)}`;
  }
  const phone = phoneOf(bot, userid);
  return `${personName(bot, userid)} 工程师${phone ? `（${phone}）` : ''}`;
}

/**
 * The name to show for a person a ticket records (reporter, assignee, subscriber): the directory's name when one
 * is known now (a ticket opened while WeCom was unreachable stored the userid), else the stored name, else the
 * userid. Undefined/null reads "" so callers can leave the phrase out.
 */
export function nameOf(bot: BotConfig, ref: { userid: string; name?: string | null } | null | undefined): string {
  if (!ref) return '';
  const known = personName(bot, ref.userid);
  return known !== ref.userid ? known : ref.name || ref.userid;
}

/**
 * The name a reply in a group addresses: the sender's WeCom name when the callback carried one, else the
 * roster's, else the userid (never shown when a name is known).
 */
export function addressName(bot: BotConfig, from: { userid: string; name?: string }): string {
  return from.name?.trim() || personName(bot, from.userid);
}

/**
 * The roster's own mobiles (engineers, leads, 信息科): kept as written where only the reporter and staff read
 * (direct messages, text for other reporters of the same fault); a group post replaces them (`forGroup`).
 */
export function staffPhones(bot: BotConfig): Set<string> {
  const { engineers, leads, itContact } = bot.roster;
  return new Set([...engineers, ...leads, itContact].map((p) => p.phone).filter((x): x is string => !!x));
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Text as the whole group may read it (DESIGN.md privacy; bot/presenters/mask.ts): no patient identifiers and no
 * personal mobile of anyone, staff included. A staff mobile becomes their short number ("刘洋（分机 6602）") when the
 * roster gives one (`extension`), else it is left out with its brackets ("刘洋"); every other mobile, identity
 * number and record number is masked. Applied to every group reply and group post, so no sentence can forget it.
 */
export function forGroup(bot: BotConfig, text: string): string {
  const { engineers, leads, itContact } = bot.roster;
  let out = text;
  for (const p of [...engineers, ...leads, itContact]) {
    if (!p.phone) continue;
    const shown = p.extension ? `分机 ${p.extension}` : '';
    const phone = escapeRe(p.phone);
    out = out
      .replace(new RegExp(`（${phone}）|\\(${phone}\\)`, 'g'), shown ? `（${shown}）` : '')
      .replace(new RegExp(`(?<![0-9])${phone}(?![0-9])`, 'g'), shown);
  }
  return maskIdentifiers(out);
}

/** A group post's content through `forGroup` (text and markdown; a card is never posted to a group). */
export function groupContent<C extends OutboundContent>(bot: BotConfig, c: C): C {
  if (c.type === 'text') return { ...c, text: forGroup(bot, c.text) };
  if (c.type === 'markdown') return { ...c, markdown: forGroup(bot, c.markdown) };
  return c;
}
