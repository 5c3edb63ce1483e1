"""Writes one change to a FlowyML store the way FlowyML (or a user's tool) would, for test/unit/store/incremental.test.ts.

Usage: python3 incremental-writer.py DB OPERATION JSON_ARGUMENTS

Appends (FlowyML's own writes, one commit per row as FlowyML commits):
  new_run       {run_id, pipeline, running, steps: [{name, inputs, outputs}], artifacts: [{step, output, name, type}]}
  finish_run    {run_id}                        the end-of-run rewrite of a runs row (status, end_time, duration, metadata)
  new_artifact  {run_id, step, output, name, type}
  catalog_row   {artifact_id, name, type, run_id, step, pipeline, parents, automatic}
  tag           {artifact_id, key, value}      ArtifactCatalog.tag(): UPDATE of tags in place
Rewrites (not appends):
  replace       {table, artifact_id, name}     INSERT OR REPLACE of an existing row with another name
  delete        {table, artifact_id}
  vacuum        {}
  schema        {column}                        ALTER TABLE artifacts ADD COLUMN
Reading:
  list          {}                              prints the artifact ids and the runs (id, status) as JSON
Prints the rowid the change touched, or nothing.
"""

import json
import sqlite3
import sys
from datetime import datetime, timedelta

BASE = datetime(2026, 12, 5, 1, 0, 0)


def stamp(n):
    return (BASE + timedelta(seconds=n)).isoformat(timespec="microseconds")


def run_metadata(run_id, pipeline, status, steps, n):
    return {
        "run_id": run_id, "pipeline_name": pipeline, "status": status,
        "start_time": stamp(n), "end_time": None if status == "running" else stamp(n + 5),
        "duration": None if status == "running" else 5.0, "success": status == "completed",
        "context": {"seed": n},
        "steps": {s["name"]: {"success": True, "duration": 0.5, "cached": False, "retries": 0, "error": None,
                              "inputs": s["inputs"], "outputs": s["outputs"], "tags": {}} for s in steps},
        "project": None,
    }


def insert_artifact(db, run_id, a, n):
    artifact_id = f"{run_id}_{a['step']}_{a['output']}"
    metadata = {"artifact_id": artifact_id, "name": a["name"], "type": a["type"], "run_id": run_id, "step": a["step"],
                "path": None, "value": None, "created_at": stamp(n), "properties": {"n": n}}
    cur = db.execute("INSERT INTO artifacts (artifact_id, name, type, run_id, path, metadata) VALUES (?,?,?,?,?,?)",
                     (artifact_id, a["name"], a["type"], run_id, None, json.dumps(metadata)))
    db.commit()
    return cur.lastrowid


def main():
    path, operation, args = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    db = sqlite3.connect(path, timeout=30)
    n = int(args.get("n", 0))
    touched = None
    if operation == "new_run":
        status = "running" if args["running"] else "completed"
        metadata = run_metadata(args["run_id"], args["pipeline"], status, args["steps"], n)
        cur = db.execute(
            "INSERT INTO runs (run_id, pipeline_name, status, start_time, end_time, duration, metadata, created_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (args["run_id"], args["pipeline"], status, metadata["start_time"], metadata["end_time"], metadata["duration"],
             json.dumps(metadata), (BASE + timedelta(seconds=n)).strftime("%Y-%m-%d %H:%M:%S")))
        db.commit()
        touched = cur.lastrowid
        for a in args["artifacts"]:
            insert_artifact(db, args["run_id"], a, n)
    elif operation == "finish_run":
        row = db.execute("SELECT metadata FROM runs WHERE run_id = ?", (args["run_id"],)).fetchone()
        metadata = json.loads(row[0])
        metadata.update({"status": "completed", "end_time": stamp(n), "duration": 7.5, "success": True})
        db.execute("UPDATE runs SET status = 'completed', end_time = ?, duration = 7.5, metadata = ? WHERE run_id = ?",
                   (stamp(n), json.dumps(metadata), args["run_id"]))
        db.commit()
    elif operation == "new_artifact":
        touched = insert_artifact(db, args["run_id"], args, n)
    elif operation == "catalog_row":
        automatic = args["automatic"]
        cur = db.execute(
            "INSERT INTO artifacts (artifact_id, name, artifact_type, content_hash, source_step, source_run_id, source_pipeline,"
            " parent_ids, tags, metadata, uri, created_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (args["artifact_id"], f"{args['step']}_output" if automatic else args["name"], args["type"], "",
             args["step"] or "", args["run_id"] or "", args["pipeline"] or "", json.dumps([] if automatic else args["parents"]),
             "{}", "{}" if automatic else json.dumps({"note": n}), "" if automatic else f"file:///tmp/{n}",
             stamp(n), None if automatic else f"v{n}"))
        db.commit()
        touched = cur.lastrowid
    elif operation == "tag":
        row = db.execute("SELECT tags FROM artifacts WHERE artifact_id = ?", (args["artifact_id"],)).fetchone()
        tags = json.loads(row[0] or "{}")
        tags[args["key"]] = args["value"]
        db.execute("UPDATE artifacts SET tags = ? WHERE artifact_id = ?", (json.dumps(tags), args["artifact_id"]))
        db.commit()
    elif operation == "replace":
        row = db.execute("SELECT * FROM artifacts WHERE artifact_id = ?", (args["artifact_id"],)).fetchone()
        columns = [d[0] for d in db.execute("SELECT * FROM artifacts LIMIT 0").description]
        values = dict(zip(columns, row))
        values["name"] = args["name"]
        cur = db.execute(f"INSERT OR REPLACE INTO artifacts ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                         [values[c] for c in columns])
        db.commit()
        touched = cur.lastrowid
    elif operation == "delete":
        db.execute("DELETE FROM artifacts WHERE artifact_id = ?", (args["artifact_id"],))
        db.commit()
    elif operation == "list":
        print(json.dumps({"artifacts": [r[0] for r in db.execute("SELECT artifact_id FROM artifacts ORDER BY rowid")],
                          "runs": [list(r) for r in db.execute("SELECT run_id, status FROM runs ORDER BY rowid")]
                          if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'runs'").fetchone() else []}))
    elif operation == "vacuum":
        db.execute("VACUUM")
    elif operation == "schema":
        db.execute(f"ALTER TABLE artifacts ADD COLUMN {args['column']} TEXT")
        db.commit()
    else:
        raise SystemExit(f"unknown operation {operation!r}")
    db.close()
    if touched is not None:
        print(touched)


if __name__ == "__main__":
    main()
