"""Writes a FlowyML workspace the way a running pipeline does, for register tests.

Each round registers one catalog row the way FlowyML's ArtifactCatalog.register
does (a new connection, one INSERT OR REPLACE, commit) and records one
completed run with one artifact in metadata.db, in one transaction, the
way FlowyML's SQL store saves a run.

Usage: register-writer.py ROOT [--max-seconds S] [--gap-ms MS]

Between rounds it idles for 5 to 50 ms, or with --gap-ms for a random time
between half and one and a half of MS.

After a "go" line on stdin it writes rounds until stdin closes, printing
"catalog <artifact id> <version>" and "run <run id>" after each commit,
flushed. It prints "stopped <rounds>" before it exits.
"""

import argparse
import datetime
import json
import os
import random
import sqlite3
import sys
import threading
import time
import uuid


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def register_catalog_row(catalog, round_number):
    artifact_id = str(uuid.uuid4())
    version = "v1.0.%d" % round_number
    metadata = {"asset_id": str(uuid.uuid4()), "asset_created_at": datetime.datetime.now().isoformat(), "properties": {"round": round_number}}
    with sqlite3.connect(catalog) as connection:
        connection.execute(
            "INSERT OR REPLACE INTO artifacts (artifact_id, name, artifact_type, content_hash, source_step,"
            " source_run_id, source_pipeline, parent_ids, tags, metadata, uri, created_at, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (artifact_id, "writer_metrics", "Metrics", "", "", "", "", json.dumps([]), json.dumps({"writer": "python"}),
             json.dumps(metadata), "", datetime.datetime.now().isoformat(), version),
        )
    return artifact_id, version


def record_run(metadata_db, round_number):
    run_id = str(uuid.uuid4())
    now = datetime.datetime.now()
    step = "train"
    artifact_id = "%s_%s_model/round" % (run_id, step)
    run_metadata = {"run_id": run_id, "pipeline_name": "writer_pipeline", "steps": {step: {"inputs": [], "outputs": ["model/round"], "success": True}}}
    connection = sqlite3.connect(metadata_db, timeout=30)
    try:
        with connection:
            connection.execute(
                "INSERT INTO runs (run_id, pipeline_name, status, start_time, end_time, duration, metadata, project, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, "writer_pipeline", "completed", now.isoformat(), now.isoformat(), 0.0, json.dumps(run_metadata), None,
                 datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")),
            )
            connection.execute(
                "INSERT INTO artifacts (artifact_id, name, type, run_id, path, metadata, project, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (artifact_id, "writer_model", "Model", run_id, None, json.dumps({"properties": {"round": round_number}}), None, now.isoformat()),
            )
    finally:
        connection.close()
    return run_id


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--gap-ms", type=float, default=None)
    args = parser.parse_args()
    catalog = os.path.join(args.root, ".flowyml", "catalog.db")
    metadata_db = os.path.join(args.root, ".flowyml", "metadata.db")

    sys.stdin.readline()
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()

    deadline = time.monotonic() + args.max_seconds
    rounds = 0
    while not stop.is_set() and time.monotonic() < deadline:
        rounds += 1
        artifact_id, version = register_catalog_row(catalog, rounds)
        say("catalog %s %s" % (artifact_id, version))
        run_id = record_run(metadata_db, rounds)
        say("run %s" % run_id)
        # A short idle gap between rounds, as between a pipeline's steps.
        if args.gap_ms is None:
            time.sleep(random.uniform(0.005, 0.05))
        else:
            time.sleep(random.uniform(0.5, 1.5) * args.gap_ms / 1000)
    say("stopped %d" % rounds)


if __name__ == "__main__":
    main()
