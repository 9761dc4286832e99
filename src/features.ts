import type { FeatureFactory } from './service.js';

/** Every feature the production service runs, in start order. */
export const features: FeatureFactory[] = [];
