import mongoose from 'mongoose';

// Queries fail fast instead of buffering forever while the database is down.
mongoose.set('bufferCommands', false);
mongoose.set('strictQuery', true);

export async function connect(uri: string, dbName?: string): Promise<typeof mongoose> {
  await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: 5000,
    // The embedded engine has no retryable-write support to speak of; be explicit for both engines.
    retryWrites: false,
  });
  return mongoose;
}

/** Health probe with a short deadline: the answer to /healthz must not hang when the DB is gone. */
export async function pingDb(timeoutMs = 1000): Promise<boolean> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== 1 || !db) return false;
  try {
    await Promise.race([db.command({ ping: 1 }), new Promise((_r, rej) => setTimeout(() => rej(new Error('timeout')), timeoutMs).unref())]);
    return true;
  } catch {
    return false;
  }
}

export async function disconnect(): Promise<void> {
  await mongoose.disconnect();
}
