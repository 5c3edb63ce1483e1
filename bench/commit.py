"""Commit or remove benchmark rows in a metadata.db the way FlowyML 1.7 writes them.

Usage:
  python3 bench/commit.py DB add ARTIFACT_ID   one artifact row in one transaction;
                                               prints the commit time in ms since the epoch
  python3 bench/commit.py DB remove PREFIX     deletes the rows whose artifact_id starts with PREFIX
"""

import json
import sqlite3
import sys
import time


def main():
    path, action, key = sys.argv[1], sys.argv[2], sys.argv[3]
    db = sqlite3.connect(path, timeout=30)
    if action == "add":
        metadata = {"artifact_id": key, "name": "bench_commit", "type": "Metrics", "run_id": "bench-commit-run",
                    "step": "evaluate", "path": None, "value": None, "created_at": "2026-12-04T20:00:00.000000",
                    "properties": {"accuracy": 0.5}}
        db.execute("INSERT INTO artifacts (artifact_id, name, type, run_id, path, metadata, project) VALUES (?,?,?,?,?,?,?)",
                   (key, "bench_commit", "Metrics", "bench-commit-run", None, json.dumps(metadata), None))
        db.commit()
        print(json.dumps({"committedMs": time.time() * 1000}))
    elif action == "remove":
        db.execute("DELETE FROM artifacts WHERE substr(artifact_id, 1, ?) = ?", (len(key), key))
        db.commit()
    else:
        raise SystemExit(f"unknown action {action!r}: expected add or remove")
    db.close()


if __name__ == "__main__":
    main()
