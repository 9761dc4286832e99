/** How people are named in what the bot says: roster names, phones, the form of address. */
import type { BotConfig } from '../../config/bots.js';
import { personName } from '../../roster/roster.js';

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

/** The roster's own phones (engineers, leads, 信息科): work numbers the group may see unmasked. */
export function staffPhones(bot: BotConfig): Set<string> {
  const { engineers, leads, itContact } = bot.roster;
  return new Set([...engineers, ...leads, itContact].map((p) => p.phone).filter((x): x is string => !!x));
}
