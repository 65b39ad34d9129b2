import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';

export interface TestMongo {
  uri: string;
  stop(): Promise<void>;
}

interface MemoryServer {
  getUri(): string;
  stop(): Promise<boolean>;
}

/**
 * Connects mongoose to a database of its own for this test file: on the server at `MONGO_URL`
 * when set (FerretDB v2 + DocumentDB, or mongod), otherwise on a mongodb-memory-server instance.
 */
export async function startMongo(): Promise<TestMongo> {
  const dbName = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  let memory: MemoryServer | undefined;
  let base = process.env.MONGO_URL;
  if (!base) {
    // Optional peer dependency, loaded only where no server is given.
    const { MongoMemoryServer } = (await import('mongodb-memory-server-core')) as {
      MongoMemoryServer: { create(): Promise<MemoryServer> };
    };
    memory = await MongoMemoryServer.create();
    base = memory.getUri();
  }
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  const uri = url.toString();
  await mongoose.connect(uri, { serverSelectionTimeoutMS: 5000 });
  return {
    uri,
    async stop() {
      try {
        await mongoose.connection.dropDatabase();
      } finally {
        await mongoose.disconnect();
        await memory?.stop();
      }
    },
  };
}

/** Empties every collection (keeps indexes), for a clean slate between tests. */
export async function clearMongo(): Promise<void> {
  const collections = await mongoose.connection.db?.collections();
  for (const collection of collections ?? []) await collection.deleteMany({});
}
