import type { TestProject } from 'vitest/node';
import { startEmbedded } from '../src/db/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

/** One MongoDB-wire server for the whole run: the embedded memory engine, or MONGODB_URI when set. */
export default async function setup(project: TestProject) {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return;
  }
  const server = await startEmbedded();
  project.provide('mongoUri', server.uri);
  return () => server.stop();
}
