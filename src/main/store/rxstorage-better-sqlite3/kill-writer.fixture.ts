/**
 * Child process of kill.test.ts: writes documents in a loop through the
 * storage and prints `ack <id>` for each document once its bulkWrite resolved.
 * Runs until killed. Usage: tsx kill-writer.fixture.ts <dir> <runTag>
 */
import { getRxStorageBetterSqlite3 } from './index';
import { doc, testSchema } from './test-support';

async function main(): Promise<void> {
  const [dir, runTag] = process.argv.slice(2);
  if (!dir || !runTag) throw new Error('usage: kill-writer.fixture.ts <dir> <runTag>');
  const storage = getRxStorageBetterSqlite3({ path: dir });
  const instance = await storage.createStorageInstance({
    databaseInstanceToken: 'kill-' + runTag,
    databaseName: 'crash',
    collectionName: 'docs',
    schema: testSchema(),
    options: {},
    multiInstance: false,
    devMode: false,
  });
  process.stdout.write('ready\n');
  for (let n = 0; ; n++) {
    // Alternate single-document writes and batches, with a payload to make commits non-trivial.
    const size = n % 3 === 0 ? 25 : 1;
    const docs = Array.from({ length: size }, (_, i) => doc(`${runTag}-${n}-${i}`, 'n' + (n % 97), n % 1000, { tag: 'x'.repeat(20) }));
    const result = await instance.bulkWrite(
      docs.map((document) => ({ document })),
      'kill-writer',
    );
    if (result.error.length > 0) throw new Error('unexpected write error ' + JSON.stringify(result.error[0]));
    // stdout to a pipe is synchronous on Linux: a printed id has left this process.
    process.stdout.write(docs.map((d) => 'ack ' + d.id + '\n').join(''));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
