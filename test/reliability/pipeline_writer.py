"""Records pipeline runs into a FlowyML metadata.db, each run with its artifacts in one transaction.

Usage: pipeline_writer.py DB --journal-mode delete|wal [--artifacts K] [--keep-runs N] [--max-seconds S]

Each round opens a transaction, inserts one run of the pipeline
"race_pipeline" and then its K artifact rows one by one, with short pauses
in between, and commits; past N runs, the same transaction deletes the oldest run and its
artifacts. A reader that sees a run with fewer than K
artifacts, or artifacts without their run, has seen a partial transaction.
A two-page cache makes SQLite spill changed pages into
the file before the commit, the case that tears a careless reader.

After a "go" line on stdin it writes rounds until stdin closes, printing
"begin N" before each transaction and "committed N" after it, flushed.
"""

import argparse
import datetime
import json
import random
import sqlite3
import sys
import threading
import time
import uuid


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--journal-mode", default="delete")
    parser.add_argument("--artifacts", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--keep-runs", type=int, default=40)
    args = parser.parse_args()

    connection = sqlite3.connect(args.db, isolation_level=None, timeout=30)
    connection.execute(f"PRAGMA journal_mode={args.journal_mode}")
    connection.execute("PRAGMA cache_size=2")
    connection.execute("PRAGMA synchronous=OFF")
    say("ready")

    sys.stdin.readline()
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()

    deadline = time.monotonic() + args.max_seconds
    rounds = 0
    padding = "x" * 1000
    kept = []
    while not stop.is_set() and time.monotonic() < deadline:
        rounds += 1
        run_id = str(uuid.uuid4())
        now = datetime.datetime.now().isoformat()
        outputs = ["out_%d" % i for i in range(args.artifacts)]
        run_metadata = {"run_id": run_id, "pipeline_name": "race_pipeline",
                        "steps": {"produce": {"inputs": [], "outputs": outputs, "success": True}}}
        say("begin %d" % rounds)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "INSERT INTO runs (run_id, pipeline_name, status, start_time, end_time, duration, metadata, project, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (run_id, "race_pipeline", "completed", now, now, 0.0, json.dumps(run_metadata), None, now),
        )
        for output in outputs:
            time.sleep(0.001)
            metadata = {"step": "produce", "created_at": now, "properties": {"round": rounds, "padding": padding}}
            connection.execute(
                "INSERT INTO artifacts (artifact_id, name, type, run_id, path, metadata, project, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                ("%s_produce_%s" % (run_id, output), output, "Dataset", run_id, None, json.dumps(metadata), None, now),
            )
        # The oldest run leaves in the same transaction, so the store keeps its size and each
        # reload takes about as long as the first: a store that grew without end made the
        # last reloads of a long run take seconds each.
        kept.append(run_id)
        if len(kept) > args.keep_runs:
            oldest = kept.pop(0)
            connection.execute("DELETE FROM artifacts WHERE run_id = ?", (oldest,))
            connection.execute("DELETE FROM runs WHERE run_id = ?", (oldest,))
        connection.execute("COMMIT")
        say("committed %d" % rounds)
        # An idle gap between runs, as between a pipeline's steps; a reader needs one to finish a load.
        time.sleep(random.uniform(0.005, 0.05))
    connection.close()
    say("stopped %d" % rounds)


if __name__ == "__main__":
    main()
