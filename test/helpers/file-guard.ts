/**
 * Runs around every test file (vitest `setupFiles`). Test files share one process per worker (`isolate: false`
 * in vitest.config.ts), so whatever a file leaves behind meets the next file: a mongoose connection left open
 * would give the next file's models the previous file's database (and `connect` refuses a second database). A
 * file that leaves one fails here, naming the database, instead of a later file failing for no visible reason.
 */
import mongoose from 'mongoose';
import { afterAll } from 'vitest';

afterAll(() => {
  // readyState 0 = disconnected; 3 = disconnecting is fine too (the close is under way).
  const state = mongoose.connection.readyState;
  if (state !== 0 && state !== 3) {
    throw new Error(
      `this test file left mongoose's default connection open (readyState ${state}, database ${mongoose.connection.name}): stop its services or call disconnect() in afterAll`,
    );
  }
});
