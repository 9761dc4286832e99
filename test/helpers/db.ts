import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { connect, disconnect } from '../../src/db/connection.js';

export function testDbName(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

/** Connects mongoose to a fresh database of the shared test server for this file, dropped afterwards. */
export function useTestDb(): { name: string } {
  const state = { name: testDbName() };
  beforeAll(async () => {
    await connect(inject('mongoUri'), state.name);
  });
  afterAll(async () => {
    await mongoose.connection.db?.dropDatabase().catch(() => undefined);
    await disconnect();
  });
  return state;
}
