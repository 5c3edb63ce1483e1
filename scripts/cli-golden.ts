/**
 * Rewrites test/fixtures/cli-golden.json, the digests of the command line's
 * and the read API's output over every fixture (see test/helpers/cli-golden.ts).
 *
 *   TZ=Asia/Kolkata node --import tsx scripts/cli-golden.ts [--dump DIR]
 *
 * Run it only on a commit whose output is known to be right: the unit test
 * then fails when a later change alters any of these outputs. --dump writes
 * each text to DIR/<workspace>/<n>.txt, to diff two runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { GOLDEN_FILE, digest, goldenTexts, goldenWorkspaces } from '../test/helpers/cli-golden';

async function main(): Promise<void> {
  const dumpIndex = process.argv.indexOf('--dump');
  const dumpDir = dumpIndex >= 0 ? process.argv[dumpIndex + 1] : undefined;
  const result: Record<string, Record<string, string>> = {};
  for (const { key, dir } of goldenWorkspaces()) {
    const texts = await goldenTexts(dir);
    result[key] = {};
    let n = 0;
    for (const [name, text] of texts) {
      result[key][name] = digest(text);
      if (dumpDir) {
        const folder = path.join(dumpDir, key.replace(/\//g, '_'));
        fs.mkdirSync(folder, { recursive: true });
        fs.writeFileSync(path.join(folder, `${String(n++).padStart(2, '0')}.txt`), `${name}\n${text}`);
      }
    }
    process.stderr.write(`${key}: ${texts.size} outputs\n`);
  }
  if (!dumpDir || process.argv.includes('--write')) fs.writeFileSync(GOLDEN_FILE, `${JSON.stringify(result, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
