import type { BotConfig } from '../config/bots.js';
import { ConfigError } from '../config/errors.js';
import { log } from '../log.js';
import type { Feature, FeatureFactory, ServiceContext } from '../service.js';
import { createTriage, type Triage } from '../triage/engine.js';
import { loadTriageModel } from '../triage/model.js';
import { type ResumeChecklistInput, resumeChecklist, type StartChecklistInput, startChecklist } from './checklist.js';
import { ticketCommands } from './commands/index.js';
import type { EngineCtx } from './context.js';
import { ensureConversationIndexes } from './conversations.js';
import { dutyHandler } from './duty.js';
import { type BotEngine, createBotEngine } from './engine.js';
import { loadFlows } from './flows/load.js';
import type { Flows } from './flows/types.js';
import { createLeadAlertProcessor } from './lead-alerts.js';
import { createNotifier } from './notifier.js';
import { IncidentLock } from './incident-lock.js';
import { createIncidentProcessor } from './incidents.js';
import { repeatedReportReply } from './presenters/chat.js';
import { ticketOpenedBy } from '../tickets/queries.js';

export const EXPIRE_JOB = 'conversations:expire';

/** What other features use of the running conversation engine (inspections start checklists). */
export interface Conversations {
  flows: Flows;
  engine: BotEngine;
  startChecklist(input: StartChecklistInput): Promise<void>;
  /** 巡检: the open checklist's current question, now the one answers go to ("" when it was sent again). */
  resumeChecklist(input: ResumeChecklistInput): Promise<string | null>;
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
  stormWaitMs?: number;
}

/**
 * The conversation engine: inbound messages (from the channel) → chat commands and dialogs → ticket commands;
 * ticket events → notifier → the channel's messenger. Contributes the ticket verbs, 帮助 and 值班, and provides
 * `conversations` (inspections start checklists). Flows and the triage model are validated here, at start-up.
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

  const deps: EngineCtx = {
    bots: ctx.bots,
    flows,
    clock: ctx.clock,
    // Looked up on use: the channel is another feature of the same service.
    get messenger() {
      return ctx.registry.port('messenger');
    },
    registry: ctx.registry,
    triage,
    stormWaitMs: opts.stormWaitMs,
  };
  const engine = createBotEngine(deps);
  const notifier = createNotifier({
    get messenger() {
      return ctx.registry.port('messenger');
    },
    askToConfirm: engine.askToConfirm,
    get directory() {
      return ctx.registry.find('directory');
    },
  });
  const conversations: Conversations = {
    flows,
    engine,
    startChecklist: (input) => startChecklist(deps, input),
    resumeChecklist: (input) => resumeChecklist(deps, input, ctx.clock.now()),
  };

  return {
    name: 'bot',
    inbound: {
      onMessage: (msg) => engine.onMessage(msg),
      onCardEvent: (msg) => engine.onCardEvent(msg),
      // A report sent again: point at the ticket the first copy opened instead of opening another.
      repeatNotice: async (earlierId, minutesAgo) => {
        const t = await ticketOpenedBy(`inbox:${earlierId}`);
        return t ? repeatedReportReply(t.no, minutesAgo) : null;
      },
    },
    commands: { ...ticketCommands, 值班: dutyHandler },
    ticketProcessors: [
      { name: 'notifier', applicableEvents: 'all', on: notifier },
      createIncidentProcessor(ctx.clock, ctx.registry.ticketEvents),
      createLeadAlertProcessor({
        get messenger() {
          return ctx.registry.port('messenger');
        },
      }),
    ],
    provides: { conversations },
    jobs: [{ name: EXPIRE_JOB, every: '1 minute', skipImmediate: true, run: async () => void (await engine.expireIdle()) }],
    async init() {
      await Promise.all([ensureConversationIndexes(), IncidentLock.createIndexes()]);
    },
    start() {
      log.info({ flows: flows.ids() }, 'conversation engine ready');
    },
  };
}

export const botFeature: FeatureFactory = (ctx) => createBotFeature(ctx);
