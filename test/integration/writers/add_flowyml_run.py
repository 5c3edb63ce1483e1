"""Adds runs to a FlowyML 1.7 metadata.db the way a pipeline run would.

Each new run copies the newest run's rows (the `runs` row and its
`artifacts` rows, FlowyML's own row shapes) under a fresh uuid4 run id and
the current time, in one transaction through Python's sqlite3, the engine
FlowyML writes with. Prints the new run ids, one a line.

Usage: add_flowyml_run.py DB [--count N] [--only ASSET_NAME]
"""

import argparse
import datetime
import sqlite3
import uuid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--count", type=int, default=1, help="number of runs to add")
    parser.add_argument("--only", help="copy only the artifacts with this name")
    args = parser.parse_args()

    connection = sqlite3.connect(args.db, isolation_level=None, timeout=30)
    try:
        connection.execute("BEGIN IMMEDIATE")
        template_run = connection.execute(
            "SELECT run_id, pipeline_name, status, duration, metadata, project FROM runs ORDER BY rowid DESC LIMIT 1"
        ).fetchone()
        if template_run is None:
            raise SystemExit(f"{args.db} has no run to copy")
        old_id = template_run[0]
        artifacts = connection.execute(
            "SELECT artifact_id, name, type, path, metadata, project FROM artifacts WHERE run_id = ? ORDER BY rowid",
            (old_id,),
        ).fetchall()
        if args.only:
            artifacts = [row for row in artifacts if row[1] == args.only]

        start = datetime.datetime.now()
        for offset in range(args.count):
            new_id = str(uuid.uuid4())
            started = start + datetime.timedelta(milliseconds=offset)
            # FlowyML 1.7 writes start_time as naive local time and created_at as UTC to the second.
            local_time = started.isoformat()
            utc_time = started.astimezone(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
            connection.execute(
                "INSERT INTO runs (run_id, pipeline_name, status, start_time, end_time, duration, metadata, project, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id, template_run[1], template_run[2], local_time, local_time, template_run[3],
                 (template_run[4] or "").replace(old_id, new_id), template_run[5], utc_time),
            )
            for artifact_id, name, kind, path, metadata, project in artifacts:
                connection.execute(
                    "INSERT INTO artifacts (artifact_id, name, type, run_id, path, metadata, project, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (artifact_id.replace(old_id, new_id), name, kind, new_id, path,
                     (metadata or "").replace(old_id, new_id), project, utc_time),
                )
            print(new_id, flush=True)
        connection.execute("COMMIT")
    finally:
        connection.close()


if __name__ == "__main__":
    main()
