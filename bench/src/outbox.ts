import mongoose from 'mongoose';

/**
 * Events a service's writes recorded and its relay has not published yet: documents of its
 * database whose `outbox` still holds one, counted in every collection (each service keeps its
 * events in the documents they describe, in whichever collections it owns).
 */
export async function outboxDepth(mongoUrl: string): Promise<number> {
  const client = new mongoose.mongo.MongoClient(mongoUrl);
  try {
    await client.connect();
    const db = client.db();
    const collections = await db.listCollections({}, { nameOnly: true }).toArray();
    const counts = await Promise.all(
      collections.map((c) =>
        db.collection(c.name).countDocuments({ 'outbox.id': { $exists: true } }),
      ),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  } finally {
    await client.close();
  }
}
