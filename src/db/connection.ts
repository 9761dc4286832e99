import mongoose from 'mongoose';

// Queries fail fast instead of buffering forever while the database is down.
mongoose.set('bufferCommands', false);
mongoose.set('strictQuery', true);
// Each feature creates its collections' indexes when it starts (`Model.createIndexes()` in its start hook, again
// after a test drops the database). Mongoose's own automatic init did the same at connect, concurrently: two
// creations of one new collection made the embedded server refuse the second ("Document with key
// 'weibao.inbox' already existed in system.namespaces") and the service exit at its first start.
mongoose.set('autoIndex', false);
mongoose.set('autoCreate', false);

/**
 * The models live on mongoose's one default connection, so services in one process share it: the first
 * connect opens it, later ones to the same database join, and the last disconnect closes it.
 */
const shared = { users: 0, target: '' };

/** Opens (or joins) the process's database connection. Throws when it is already open on another database. */
export async function connect(uri: string, dbName?: string): Promise<typeof mongoose> {
  const target = `${uri}#${dbName ?? ''}`;
  if (shared.users > 0) {
    if (shared.target !== target) throw new Error('connect: this process is already connected to another database');
    shared.users++;
    return mongoose;
  }
  await mongoose.connect(uri, {
    dbName,
    serverSelectionTimeoutMS: 5000,
    // The embedded engine has no retryable-write support to speak of; be explicit for both engines.
    retryWrites: false,
  });
  shared.users = 1;
  shared.target = target;
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

/** Leaves the connection; the last user closes it. */
export async function disconnect(): Promise<void> {
  if (shared.users > 1) {
    shared.users--;
    return;
  }
  shared.users = 0;
  await mongoose.disconnect();
}
