"""Writes a FlowyML 1.7 store for the comparison tests.

The tables use FlowyML 1.7.2's DDL, and every JSON column is written with
json.dumps, as FlowyML writes it: NaN and Infinity become bare tokens and
big integers stay exact. Two runs of one pipeline produce:

  Dataset  customers     a column retyped, one removed, one added, one with new nulls
  Metrics  eval          NaN on one or both sides, Infinity, a big integer,
                         and a metric only one run has
  Report   audit         a property whose JSON is over 64 KB, differing in one item
  Dataset  <hostile>     a name with |, <script> and a backtick, and hostile column names

Usage: make-store.py WORKSPACE_DIR
"""

import json
import os
import sqlite3
import sys

DDL = """
CREATE TABLE runs (
	run_id VARCHAR NOT NULL,
	pipeline_name VARCHAR,
	status VARCHAR,
	start_time VARCHAR,
	end_time VARCHAR,
	duration FLOAT,
	metadata TEXT,
	project VARCHAR,
	created_at VARCHAR DEFAULT (CURRENT_TIMESTAMP),
	PRIMARY KEY (run_id)
);
CREATE TABLE artifacts (
	artifact_id VARCHAR NOT NULL,
	name VARCHAR,
	type VARCHAR,
	run_id VARCHAR,
	path VARCHAR,
	metadata TEXT,
	project VARCHAR,
	created_at VARCHAR DEFAULT (CURRENT_TIMESTAMP),
	PRIMARY KEY (artifact_id),
	FOREIGN KEY(run_id) REFERENCES runs (run_id)
);
CREATE TABLE metrics (
	id INTEGER NOT NULL,
	run_id VARCHAR,
	name VARCHAR,
	value FLOAT,
	step INTEGER,
	timestamp VARCHAR DEFAULT (CURRENT_TIMESTAMP),
	PRIMARY KEY (id),
	FOREIGN KEY(run_id) REFERENCES runs (run_id)
);
CREATE TABLE parameters (
	id INTEGER NOT NULL,
	run_id VARCHAR,
	name VARCHAR,
	value TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(run_id) REFERENCES runs (run_id)
);
"""

RUN_A = "0a0a0a0a-1111-4111-8111-000000000001"
RUN_B = "0b0b0b0b-2222-4222-8222-000000000002"
HOSTILE_NAME = "evil|<script>alert(1)</script>`x"

STEPS = [
    ("load", [], ["data/customers"]),
    ("evaluate", ["data/customers"], ["metrics/eval"]),
    ("audit", [], ["report/audit"]),
    ("hostile", [], ["data/hostile"]),
]


def numeric(mean, std, minimum, maximum, count, unique, nulls=None):
    stats = {"mean": mean, "std": std, "min": minimum, "max": maximum, "median": mean, "count": count, "unique": unique, "dtype": "numeric"}
    if nulls is not None:
        stats["nulls"] = nulls
    return stats


def categorical(count, unique, top):
    return {"count": count, "unique": unique, "dtype": "categorical", "top_values": top}


def dataset_properties(run):
    if run == RUN_A:
        stats = {
            "customer_id": categorical(100, 100, ["C001", "C002"]),
            "age": numeric(41.5, 12.25, 18, 80, 100, 55),
            "spend": numeric(64.0, 30.5, 0.0, 150.0, 100, 90),
            "legacy_flag": numeric(0.1, 0.3, 0, 1, 100, 2),
        }
        features = ["customer_id", "age", "spend", "legacy_flag"]
        samples = 100
    else:
        stats = {
            "customer_id": categorical(120, 120, ["C001", "C002"]),
            "age": categorical(120, 6, ["18-25", "26-35"]),
            "spend": numeric(70.25, 31.0, 0.0, 175.5, 115, 101, nulls=5),
            "region": categorical(120, 4, ["eu", "us"]),
        }
        features = ["customer_id", "age", "spend", "region"]
        samples = 120
    return {
        "samples": samples,
        "num_features": len(features),
        "feature_columns": features,
        "columns": features,
        "column_stats": stats,
        "framework": "dict",
        "_auto_extracted": True,
    }


def metrics_properties(run):
    if run == RUN_A:
        return {"loss": 0.5, "accuracy": float("nan"), "lr": 0.01, "grad_norm": float("inf"),
                "only_in_a": 1, "tokens": 2**60, "stalled": float("nan")}
    return {"loss": float("nan"), "accuracy": float("nan"), "lr": 0.02, "grad_norm": float("inf"),
            "only_in_b": 2, "tokens": 2**60 + 2, "stalled": 0.25}


def audit_properties(run):
    log = [f"check {i:05d} passed" for i in range(4000)]
    if run == RUN_B:
        log[1234] = "check 01234 FAILED"
    return {"auditor": "qa", "log": log}


def hostile_properties(run):
    stats = {
        "a|b": numeric(1.0 if run == RUN_A else 2.0, 0.5, 0, 3, 10, 3),
        "<img src=x onerror=alert(1)>": numeric(5.0, 1.0, 0, 9, 10, 4),
    }
    return {
        "samples": 10,
        "num_features": 2,
        "feature_columns": list(stats),
        "column_stats": stats,
        "note": "line one\nline two | <b>bold</b>" if run == RUN_B else "plain",
    }


OUTPUTS = {
    ("load", "data/customers"): ("customers", "Dataset", dataset_properties),
    ("evaluate", "metrics/eval"): ("eval", "Metrics", metrics_properties),
    ("audit", "report/audit"): ("audit", "Report", audit_properties),
    ("hostile", "data/hostile"): (HOSTILE_NAME, "Dataset", hostile_properties),
}


def run_metadata(run, seed, started):
    steps = {}
    for name, inputs, outputs in STEPS:
        steps[name] = {"success": True, "duration": 0.01, "cached": False, "retries": 0, "error": None,
                       "source_code": "", "inputs": inputs, "outputs": outputs, "tags": {},
                       "execution_group": None, "resources": None}
    return {"run_id": run, "pipeline_name": "compare_demo", "status": "completed", "start_time": started,
            "end_time": started, "duration": 0.05, "success": True, "context": {"seed": seed},
            "steps": steps, "dag": {"nodes": [], "edges": []}, "resources": None, "docker": None,
            "remote_job_id": None, "project": None}


def main():
    workspace = sys.argv[1]
    folder = os.path.join(workspace, ".flowyml")
    os.makedirs(folder, exist_ok=True)
    connection = sqlite3.connect(os.path.join(folder, "metadata.db"))
    connection.executescript(DDL)
    # Local start times with their UTC created_at, as FlowyML writes them on a machine at UTC+05:30.
    runs = [(RUN_A, 1, "2026-12-04T10:00:00.000000", "2026-12-04 04:30:00"),
            (RUN_B, 2, "2026-12-04T11:00:00.000000", "2026-12-04 05:30:00")]
    for run, seed, started, created in runs:
        connection.execute(
            "INSERT INTO runs (run_id, pipeline_name, status, start_time, end_time, duration, metadata, project, created_at)"
            " VALUES (?, 'compare_demo', 'completed', ?, ?, 0.05, ?, NULL, ?)",
            (run, started, started, json.dumps(run_metadata(run, seed, started)), created))
        for (step, output), (name, kind, properties) in OUTPUTS.items():
            artifact_id = f"{run}_{step}_{output}"
            metadata = {"artifact_id": artifact_id, "name": name, "type": kind, "run_id": run, "step": step,
                        "path": None, "value": None, "created_at": started, "properties": properties(run)}
            connection.execute(
                "INSERT INTO artifacts (artifact_id, name, type, run_id, path, metadata, project, created_at)"
                " VALUES (?, ?, ?, ?, NULL, ?, NULL, ?)",
                (artifact_id, name, kind, run, json.dumps(metadata), created))
    connection.commit()
    connection.close()


if __name__ == "__main__":
    main()
