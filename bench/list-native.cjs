// Native baseline for `flowyml-assets list --json`: the same queries through
// better-sqlite3 (SQLite compiled to native code), printing one JSON line
// with the wall time and the peak RSS of this process.
const Database = require('better-sqlite3');
const fs = require('node:fs');
const path = require('node:path');

const root = process.argv[2];
const start = process.hrtime.bigint();
const dir = path.join(root, '.flowyml');
const files = [];
if (fs.existsSync(path.join(dir, 'metadata.db'))) files.push(['metadata', path.join(dir, 'metadata.db')]);
const projects = path.join(dir, 'projects');
if (fs.existsSync(projects)) {
  for (const p of fs.readdirSync(projects)) {
    const f = path.join(projects, p, 'metadata.db');
    if (fs.existsSync(f)) files.push(['metadata', f]);
  }
}
if (fs.existsSync(path.join(dir, 'catalog.db'))) files.push(['catalog', path.join(dir, 'catalog.db')]);

const out = [];
for (const [kind, file] of files) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  if (kind === 'metadata') {
    const runs = db.prepare('SELECT run_id, pipeline_name, status, start_time, end_time, created_at, metadata FROM runs').all();
    for (const r of runs) JSON.parse(r.metadata.replace(/\bNaN\b|-?Infinity\b/g, 'null'));
    const rows = db.prepare(`SELECT rowid, artifact_id, name, type, run_id, path, octet_length(metadata) AS n,
      CASE WHEN octet_length(metadata) < 65536 AND json_valid(metadata, 2) THEN json_extract(metadata, '$.step') END AS step,
      CASE WHEN octet_length(metadata) < 65536 AND json_valid(metadata, 2) THEN json_extract(metadata, '$.created_at') END AS created
      FROM artifacts ORDER BY rowid`).all();
    for (const r of rows) out.push({ id: r.artifact_id, name: r.name, type: r.type, runId: r.run_id, step: r.step, createdAt: r.created });
  } else {
    const rows = db.prepare(`SELECT rowid, artifact_id, name, artifact_type, content_hash, source_step, source_run_id, source_pipeline,
      parent_ids, tags, octet_length(metadata) AS n, uri, created_at, version FROM artifacts ORDER BY rowid`).all();
    for (const r of rows) out.push({ id: r.artifact_id, name: r.name, type: r.artifact_type, parents: JSON.parse(r.parent_ids), tags: JSON.parse(r.tags), version: r.version });
  }
  db.close();
}
const text = JSON.stringify(out, null, 2);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ versions: out.length, ms, maxRssKb: process.resourceUsage().maxRSS, bytes: text.length }) + '\n');
