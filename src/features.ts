import { botFeature } from './bot/feature.js';
import { inspectionsFeature } from './inspections/feature.js';
import { reportsFeature } from './reports/feature.js';
import type { FeatureFactory } from './service.js';
import { slaFeature } from './sla/feature.js';
import { ticketsFeature } from './tickets/feature.js';
import { webFeature } from './web/feature.js';
import { wecomFeature } from './wecom/feature.js';

/**
 * Every feature the production service runs, in start order. Features find each other only through the
 * service's registry (commands, ticket-event processors, checklist hooks, ports), so the order only decides
 * which starts first: the channel before the engine that answers through it.
 */
export const features: FeatureFactory[] = [
  wecomFeature,
  botFeature,
  ticketsFeature,
  reportsFeature,
  inspectionsFeature,
  slaFeature,
  webFeature,
];
