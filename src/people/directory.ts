/**
 * People's names: who a WeCom userid is (display name, department, mobile), for the record, cards and messages.
 *
 * Order of trust: a fresh cached answer from the WeCom directory (`user/get`, then `department/get` for the
 * main department's name) → WeCom asked now (through the service's WecomClient, within `directory.perMinute`
 * of the shared rate limiter) → a stale cached answer → the bot file (`roster` and `directory.people`) → the
 * userid itself. Answers are cached in MongoDB (`directory` collection, shared by every instance) for
 * `directory.ttlHours`; a userid WeCom does not know (60111) is cached as unknown for the same time so a
 * typo is not looked up on every report.
 *
 * WeCom facts (读取成员 https://developer.work.weixin.qq.com/document/path/90196, 获取单个部门详情 …/95351):
 * `user/get` returns `name`, `department` (ids), `main_department`, and `mobile` only to apps created before
 * 2022-06-20 or with the member's consent; department names come from `department/get`. Mobiles are personal
 * data: show them in the leads' record, never in a group post.
 */
import mongoose, { Schema } from 'mongoose';
import type { Clock } from '../clock.js';
import type { BotConfig } from '../config/bots.js';
import { log } from '../log.js';
import { rememberName } from './names.js';
import { WecomApiError, type WecomClient } from '../wecom/client.js';
import type { RateLimiter } from '../wecom/rate-limit.js';

/** Where an answer came from. */
export type PersonSource = 'wecom' | 'bot' | 'unknown';

/** One person as the reports and messages show them. */
export interface PersonInfo {
  userid: string;
  /** Display name; the userid itself only when nobody knows better (`source: 'unknown'`). */
  name: string;
  department: string | null;
  mobile: string | null;
  source: PersonSource;
}

interface EntryDoc {
  /** "<bot>:user:<userid>" or "<bot>:dept:<id>". */
  _id: string;
  /** null when WeCom does not know the id. */
  name: string | null;
  department: string | null;
  mobile: string | null;
  fetchedAt: Date;
}

const entrySchema = new Schema<EntryDoc>(
  { _id: String, name: String, department: String, mobile: String, fetchedAt: Date },
  { collection: 'directory', versionKey: false },
);
export const DirectoryEntry =
  (mongoose.models.DirectoryEntry as mongoose.Model<EntryDoc>) ?? mongoose.model<EntryDoc>('DirectoryEntry', entrySchema);

/** WeCom: the userid does not exist in the corp. */
const USER_NOT_FOUND = 60111;
/** WeCom: the department does not exist / is not visible. */
const DEPT_NOT_FOUND = new Set([60003, 60123]);

/** What the bot file says about a userid (roster first, then `directory.people`), or null. */
export function fromBotFile(bot: BotConfig, userid: string): PersonInfo | null {
  const { engineers, leads, itContact } = bot.roster;
  const staff = [...engineers, ...leads, itContact].find((p) => p.userid === userid);
  const listed = bot.directory.people.find((p) => p.userid === userid);
  if (!staff && !listed) return null;
  return {
    userid,
    name: listed?.name ?? staff!.name,
    department: listed?.department ?? null,
    mobile: listed?.mobile ?? staff?.phone ?? null,
    source: 'bot',
  };
}

/** The last resort: the userid as its own name. */
export function unknownPerson(userid: string): PersonInfo {
  return { userid, name: userid, department: null, mobile: null, source: 'unknown' };
}

export interface DirectoryDeps {
  clock: Clock;
  /** null = no WeCom (CLI, tests without the simulator): cache and bot file only. */
  client: WecomClient | null;
  limiter: RateLimiter | null;
}

/** The one name resolver: `person`, `people` (batch) and `name`. Never throws; WeCom failures fall back. */
export class Directory {
  private inflight = new Map<string, Promise<EntryDoc | null | 'busy'>>();

  constructor(private readonly deps: DirectoryDeps) {}

  /** One person (see the module comment for the order of trust). */
  async person(bot: BotConfig, userid: string): Promise<PersonInfo> {
    return (await this.people(bot, [userid])).get(userid)!;
  }

  /** Display name only ("张伟"), the userid when unknown. */
  async name(bot: BotConfig, userid: string): Promise<string> {
    return (await this.person(bot, userid)).name;
  }

  /**
   * Several people at once (one cache read; WeCom asked for the missing or expired ones, one at a time, until the
   * rate budget is used up). Every userid given is in the answer.
   */
  async people(bot: BotConfig, userids: Iterable<string>): Promise<Map<string, PersonInfo>> {
    const ids = [...new Set(userids)].filter((u) => u && u !== 'system');
    const out = new Map<string, PersonInfo>();
    if (ids.length === 0) return out;
    const now = this.deps.clock.now().getTime();
    const ttl = bot.directory.ttlHours * 3_600_000;
    const cached = new Map(
      (await DirectoryEntry.find({ _id: { $in: ids.map((u) => userKey(bot, u)) } }).lean<EntryDoc[]>()).map((d) => [d._id, d]),
    );
    let budget = true;
    for (const userid of ids) {
      let entry = cached.get(userKey(bot, userid)) ?? null;
      const fresh = entry !== null && now - new Date(entry.fetchedAt).getTime() < ttl;
      if (!fresh && budget && this.canAsk(bot)) {
        const got = await this.fetchOnce(bot, userid);
        if (got === 'busy') budget = false;
        else if (got) entry = got;
      }
      const person = this.combine(bot, userid, entry);
      rememberName(bot, userid, person.name);
      out.set(userid, person);
    }
    return out;
  }

  /**
   * Resolves these people's names ahead of building sentences (presenters read them synchronously through
   * `personName`), waiting at most `waitMs` (default 1 500 ms): a slow or rate-limited WeCom never holds a reply
   * back, the lookup finishes in the background and the reply uses the bot file's name meanwhile. Never throws.
   * Empty and duplicate ids are ignored.
   */
  async warm(bot: BotConfig, userids: Iterable<string | null | undefined>, waitMs = WARM_WAIT_MS): Promise<void> {
    const ids = [...new Set([...userids].filter((u): u is string => !!u))];
    if (ids.length === 0) return;
    const lookup = this.people(bot, ids).then(
      () => undefined,
      (e: Error) => log.warn({ bot: bot.id, err: e.message }, 'directory warm-up failed'),
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    await Promise.race([lookup, late]);
    clearTimeout(timer);
  }

  private canAsk(bot: BotConfig): boolean {
    return bot.directory.enabled && this.deps.client !== null;
  }

  /** The cached/WeCom entry merged with the bot file: WeCom's name wins, the bot file fills gaps. */
  private combine(bot: BotConfig, userid: string, entry: EntryDoc | null): PersonInfo {
    const file = fromBotFile(bot, userid);
    if (entry?.name) {
      return {
        userid,
        name: entry.name,
        department: entry.department ?? file?.department ?? null,
        mobile: entry.mobile ?? file?.mobile ?? null,
        source: 'wecom',
      };
    }
    return file ?? unknownPerson(userid);
  }

  /** Single-flight per bot and userid: concurrent lookups share one WeCom call. */
  private fetchOnce(bot: BotConfig, userid: string): Promise<EntryDoc | null | 'busy'> {
    const key = userKey(bot, userid);
    let p = this.inflight.get(key);
    if (!p) {
      p = this.fetchUser(bot, userid).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  private async takeSlot(bot: BotConfig): Promise<boolean> {
    if (!this.deps.limiter) return true;
    const wait = await this.deps.limiter.take(`directory:${bot.wecom.corpId}`, { limit: bot.directory.perMinute, windowMs: 60_000 });
    return wait === 0;
  }

  /** Asks WeCom and caches the answer; 'busy' when WeCom could not be asked (over budget or failing: the caller falls back). */
  private async fetchUser(bot: BotConfig, userid: string): Promise<EntryDoc | null | 'busy'> {
    const client = this.deps.client!;
    if (!(await this.takeSlot(bot))) return 'busy';
    let user: Record<string, unknown>;
    try {
      user = await client.getApi(bot.wecom, '/cgi-bin/user/get', { userid });
    } catch (e) {
      if (e instanceof WecomApiError && e.errcode === USER_NOT_FOUND) return this.store(bot, userid, null, null, null);
      log.warn({ bot: bot.id, errcode: (e as WecomApiError).errcode, err: (e as Error).message }, 'directory user/get failed');
      // WeCom is down, slow or refusing: stop asking for the rest of this batch (an export must not wait a
      // timeout per person), the others come from the cache and the bot file.
      return 'busy';
    }
    const name = typeof user.name === 'string' && user.name ? user.name : null;
    const mobile = typeof user.mobile === 'string' && user.mobile ? user.mobile : null;
    const deptId = mainDepartment(user);
    const department = deptId === null ? null : await this.departmentName(bot, deptId);
    return this.store(bot, userid, name, department, mobile);
  }

  private async departmentName(bot: BotConfig, id: number): Promise<string | null> {
    const key = `${bot.id}:dept:${id}`;
    const hit = await DirectoryEntry.findById(key).lean<EntryDoc>();
    const now = this.deps.clock.now();
    if (hit && now.getTime() - new Date(hit.fetchedAt).getTime() < bot.directory.ttlHours * 3_600_000) return hit.name;
    if (!(await this.takeSlot(bot))) return hit?.name ?? null;
    try {
      const res = await this.deps.client!.getApi(bot.wecom, '/cgi-bin/department/get', { id: String(id) });
      const dept = res.department as { name?: unknown } | undefined;
      const name = typeof dept?.name === 'string' && dept.name ? dept.name : null;
      await DirectoryEntry.updateOne({ _id: key }, { $set: { name, department: null, mobile: null, fetchedAt: now } }, { upsert: true });
      return name;
    } catch (e) {
      if (e instanceof WecomApiError && e.errcode !== undefined && DEPT_NOT_FOUND.has(e.errcode)) return null;
      log.warn({ bot: bot.id, errcode: (e as WecomApiError).errcode }, 'directory department/get failed');
      return hit?.name ?? null;
    }
  }

  private async store(
    bot: BotConfig,
    userid: string,
    name: string | null,
    department: string | null,
    mobile: string | null,
  ): Promise<EntryDoc> {
    const doc: EntryDoc = { _id: userKey(bot, userid), name, department, mobile, fetchedAt: this.deps.clock.now() };
    await DirectoryEntry.updateOne({ _id: doc._id }, { $set: { name, department, mobile, fetchedAt: doc.fetchedAt } }, { upsert: true });
    return doc;
  }
}

/** How long a reply waits for names before it is sent with the bot file's (ms, real time: it bounds a network wait). */
const WARM_WAIT_MS = 1_500;

const userKey = (bot: BotConfig, userid: string) => `${bot.id}:user:${userid}`;

function mainDepartment(user: Record<string, unknown>): number | null {
  const main = Number(user.main_department);
  if (Number.isInteger(main) && main > 0) return main;
  const list = Array.isArray(user.department) ? user.department.map(Number).filter((n) => Number.isInteger(n) && n > 0) : [];
  return list[0] ?? null;
}

/** A directory without WeCom (bot file and cache only), for code running outside the service (CLI, pure reports). */
export function offlineDirectory(clock: Clock): Directory {
  return new Directory({ clock, client: null, limiter: null });
}
