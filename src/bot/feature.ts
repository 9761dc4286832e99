import type { BotConfig } from '../config/bots.js';
import { ConfigError } from '../config/errors.js';
import { log } from '../log.js';
import type { Feature, FeatureFactory, ServiceContext } from '../service.js';
import { onTicketEvent } from '../tickets/events.js';
import { createTriage, type Triage } from '../triage/engine.js';
import { loadTriageModel } from '../triage/model.js';
import { createWecomFeature, type WecomTuning } from '../wecom/feature.js';
import { type StartChecklistInput, startChecklist } from './checklist.js';
import { commandHandler, registerCommand } from './commands/index.js';
import type { EngineCtx } from './context.js';
import { Conversation } from './conversations.js';
import { dutyHandler } from './duty.js';
import { type BotEngine, createBotEngine } from './engine.js';
import { loadFlows } from './flows/load.js';
import type { Flows } from './flows/types.js';
import { createNotifier } from './notifier.js';
import { IncidentLock } from './incident-lock.js';
import { createIncidentListener } from './incidents.js';
import { repeatedReportReply } from './texts.js';
import { Ticket } from '../tickets/model.js';

export const EXPIRE_JOB = 'conversations:expire';

/** What other features use of the running conversation engine (inspections start checklists). */
export interface Conversations {
  flows: Flows;
  engine: BotEngine;
  startChecklist(input: StartChecklistInput): Promise<void>;
}

const registry = new WeakMap<ServiceContext, Conversations>();

export function conversationsFor(ctx: ServiceContext): Conversations {
  const c = registry.get(ctx);
  if (!c) throw new Error('the bot feature is not registered (put it before features that start conversations)');
  return c;
}

/** Every inspection plan must name a checklist flow that exists. */
function checkInspectionFlows(bots: Map<string, BotConfig>, flows: Flows): void {
  for (const bot of bots.values()) {
    bot.inspections.forEach((p, i) => {
      if (flows.get(p.flow)?.kind !== 'checklist')
        throw new ConfigError(`bots/${bot.id}.json`, `/inspections/${i}/flow`, `names no checklist flow in flows/ ("${p.flow}")`);
    });
  }
}

export interface BotFeatureOptions {
  wecom?: WecomTuning;
  stormWaitMs?: number;
}

/**
 * The product's wiring: WeCom callbacks → conversation engine → ticket commands; ticket events → notifier →
 * WeCom outbox. Flows and the triage model are validated here, at start-up.
 */
export function createBotFeature(ctx: ServiceContext, opts: BotFeatureOptions = {}): Feature {
  const flows = loadFlows(ctx.env.FLOWS_DIR);
  checkInspectionFlows(ctx.bots, flows);
  const model = loadTriageModel(ctx.env.FLOWS_DIR);
  const triages = new Map<string, Triage>();
  const triage = (bot: BotConfig): Triage => {
    let t = triages.get(bot.id);
    if (!t) {
      t = createTriage(bot, model);
      triages.set(bot.id, t);
    }
    return t;
  };

  let engine: BotEngine | undefined;
  const wecom = createWecomFeature(
    ctx,
    {
      onMessage: (msg) => engine!.onMessage(msg),
      onCardEvent: (msg) => engine!.onCardEvent(msg),
      // A report sent again: point at the ticket the first copy opened instead of opening another.
      repeatNotice: async (earlierId, minutesAgo) => {
        const t = await Ticket.findOne({ source: `inbox:${earlierId}` }, { no: 1 }).lean();
        return t ? repeatedReportReply(t.no, minutesAgo) : null;
      },
    },
    opts.wecom,
  );
  const deps: EngineCtx = { bots: ctx.bots, flows, clock: ctx.clock, messenger: wecom.messenger, triage, stormWaitMs: opts.stormWaitMs };
  engine = createBotEngine(deps);
  const notifier = createNotifier({ messenger: wecom.messenger, askToConfirm: engine.askToConfirm });
  registry.set(ctx, { flows, engine, startChecklist: (input) => startChecklist(deps, input) });
  if (!commandHandler('值班')) registerCommand('值班', dutyHandler(ctx.clock));

  let unsubscribe: (() => void) | undefined;
  const { agenda } = ctx.scheduler;
  return {
    name: 'bot',
    routers: wecom.routers,
    async init() {
      await wecom.init?.();
      await Promise.all([Conversation.createIndexes(), IncidentLock.createIndexes()]);
      const offNotifier = onTicketEvent(notifier);
      const offIncidents = onTicketEvent(createIncidentListener(ctx.clock));
      unsubscribe = () => {
        offNotifier();
        offIncidents();
      };
      agenda.define(EXPIRE_JOB, async () => {
        await engine!.expireIdle();
      });
    },
    async start() {
      await wecom.start?.();
      await agenda.every('1 minute', EXPIRE_JOB, {}, { skipImmediate: true });
      log.info({ flows: flows.ids() }, 'conversation engine ready');
    },
    async stop() {
      unsubscribe?.();
      await wecom.stop?.();
    },
    health: () => wecom.health?.() ?? Promise.resolve(null),
  };
}

export const botFeature: FeatureFactory = (ctx) => createBotFeature(ctx);
