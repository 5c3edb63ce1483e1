// A leaf page of one table copied over a leaf of another, found by the
// mutation fuzzer. SQLite pages carry no checksum, so SQLite reads such a
// page as rows of the wrong table without an error, and the store listed
// rows of the runs table as artifacts. Small stores now run PRAGMA
// quick_check on load, and every listing scan checks that rowids rise.
import { runPython } from '../../helpers/python-writer';
import { STORE, countsWithout, generate, type HostileWorkspace } from '../../helpers/hostile-stores';
import { describeDamagedStore } from './damaged-store';
import { BASIC_RUNS } from '../../helpers/hostile-stores';

/** Leaf pages per table, from SQLite's dbstat table, in page order. */
function leafPages(db: string): Record<string, number[]> {
  const output = runPython(String.raw`
import json, sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
pages = {}
for name, pageno in connection.execute("SELECT name, pageno FROM dbstat WHERE pagetype = 'leaf' ORDER BY pageno"):
    pages.setdefault(name, []).append(pageno)
print(json.dumps(pages))
`, [db]);
  return JSON.parse(output) as Record<string, number[]>;
}

/** Swaps the last artifacts leaf with the runs leaf, so the artifacts scan meets runs rows after higher rowids. */
function swapArtifactsAndRunsLeaves(workspace: HostileWorkspace): void {
  const db = workspace.file(STORE.metadata);
  const leaves = leafPages(db);
  const artifacts = leaves.artifacts ?? [];
  const runs = leaves.runs ?? [];
  if (artifacts.length < 2 || runs.length < 1) throw new Error(`unexpected leaves: ${JSON.stringify(leaves)}`);
  runPython(String.raw`
import sys
path, a, b = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "r+b") as f:
    size = 4096
    f.seek((a - 1) * size); first = f.read(size)
    f.seek((b - 1) * size); second = f.read(size)
    f.seek((a - 1) * size); f.write(second)
    f.seek((b - 1) * size); f.write(first)
`, [db, String(artifacts[artifacts.length - 1]), String(runs[0])]);
}

describeDamagedStore('swapped leaf pages in a small store', {
  label: 'swap-small',
  prepare: swapArtifactsAndRunsLeaves,
  file: STORE.metadata,
  codes: ['corrupt'],
  cause: /is corrupt: SQLite's quick_check found .*out of order/,
  remaining: countsWithout(STORE.metadata),
});

describeDamagedStore('swapped leaf pages in a 3 MB store', {
  label: 'swap-large',
  prepare: (workspace) => {
    // A 3 MB row takes the store past the size that quick_check runs for.
    generate({ command: 'big-dataset', db: workspace.file(STORE.metadata), artifact_id: `${BASIC_RUNS[2]}_load_data_data/raw`, megabytes: 3 });
    swapArtifactsAndRunsLeaves(workspace);
  },
  file: STORE.metadata,
  codes: ['corrupt'],
  cause: /is corrupt: table "artifacts" holds row \d+ after row \d+, so pages of the file are misplaced/,
  remaining: countsWithout(STORE.metadata),
});
