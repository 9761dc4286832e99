import type { FeatureFactory } from './service.js';
import { ticketsFeature } from './tickets/feature.js';
import { wecomFeature } from './wecom/feature.js';

/** Every feature the production service runs, in start order. */
export const features: FeatureFactory[] = [wecomFeature, ticketsFeature];
