import { botFeature } from './bot/feature.js';
import { reportsFeature } from './reports/feature.js';
import type { FeatureFactory } from './service.js';
import { slaFeature } from './sla/feature.js';
import { ticketsFeature } from './tickets/feature.js';
import { webFeature } from './web/feature.js';

/** Every feature the production service runs, in start order. */
export const features: FeatureFactory[] = [botFeature, ticketsFeature, reportsFeature, slaFeature, webFeature];
