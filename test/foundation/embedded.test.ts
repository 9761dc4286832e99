import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { startEmbedded } from '../../src/db/embedded.js';

describe('embedded MongoDB server', () => {
  it('advertises wire version 9+ so the Node driver 7 accepts it', async () => {
    const server = await startEmbedded();
    const client = await MongoClient.connect(server.uri);
    try {
      const hello = await client.db('admin').command({ isMaster: 1 });
      expect(hello.maxWireVersion).toBeGreaterThanOrEqual(9);
    } finally {
      await client.close();
      await server.stop();
    }
  });

  it('keeps data in the H2 file across a stop and a restart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'h2-')), 'weibao.mv');
    const first = await startEmbedded({ file });
    let client = await MongoClient.connect(first.uri);
    await client
      .db('weibao')
      .collection('counters')
      .insertOne({ _id: 'demo' as never, seq: 41 });
    await client.close();
    await first.stop();

    const second = await startEmbedded({ file });
    client = await MongoClient.connect(second.uri);
    try {
      const doc = await client
        .db('weibao')
        .collection('counters')
        .findOne({ _id: 'demo' as never });
      expect(doc?.seq).toBe(41);
    } finally {
      await client.close();
      await second.stop();
    }
  });

  it('stops: the port no longer accepts connections', async () => {
    const server = await startEmbedded();
    await server.stop();
    await expect(MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 500 })).rejects.toThrow();
  });
});
