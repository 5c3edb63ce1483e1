"""Generate benchmark stores in FlowyML's on-disk formats.

Usage: python3 bench/generate.py OUT_DIR VERSIONS [BIG_ROWS BIG_ROW_MB]

Writes OUT_DIR/.flowyml/metadata.db with the DDL that FlowyML 1.7.2 emits
through SQLAlchemy and OUT_DIR/.flowyml/catalog.db with the DDL of FlowyML
2.1's ArtifactCatalog, both in rollback-journal mode with 4 KiB pages, as
FlowyML leaves them. About half of VERSIONS are metadata.db artifact rows
(five outputs per run) and half are catalog rows: executor rows named
`<step>_output` and registered rows with deep chains, diamonds and wide
fan-outs. BIG_ROWS Dataset rows of about BIG_ROW_MB megabytes each carry the
data twice (`properties._full_data` and `data`), as FlowyML 1.7 stores a
dict dataset.

Rows are inserted in batches of one transaction each, because one commit per
row, as FlowyML does it, pays one fsync per row: an estimated half hour for
the 1 GB store's 300k rows. The file format does not depend on the batch size.
"""

import json
import os
import random
import sqlite3
import sys
import uuid
from datetime import datetime, timedelta

METADATA_DDL = [
    """CREATE TABLE runs (
\trun_id VARCHAR NOT NULL,
\tpipeline_name VARCHAR,
\tstatus VARCHAR,
\tstart_time VARCHAR,
\tend_time VARCHAR,
\tduration FLOAT,
\tmetadata TEXT,
\tproject VARCHAR,
\tcreated_at VARCHAR DEFAULT (CURRENT_TIMESTAMP),
\tPRIMARY KEY (run_id)
)""",
    """CREATE TABLE model_metrics (
\tid INTEGER NOT NULL,
\tproject VARCHAR,
\tmodel_name VARCHAR,
\trun_id VARCHAR,
\tmetric_name VARCHAR,
\tmetric_value FLOAT,
\tenvironment VARCHAR,
\ttags TEXT,
\tcreated_at VARCHAR DEFAULT (CURRENT_TIMESTAMP),
\tPRIMARY KEY (id)
)""",
    """CREATE TABLE experiments (
\texperiment_id VARCHAR NOT NULL,
\tname VARCHAR,
\tdescription TEXT,
\ttags TEXT,
\tproject VARCHAR,
\tcreated_at VARCHAR DEFAULT (CURRENT_TIMESTAMP),
\tPRIMARY KEY (experiment_id)
)""",
    """CREATE TABLE traces (
\tevent_id VARCHAR NOT NULL,
\ttrace_id VARCHAR,
\tparent_id VARCHAR,
\tevent_type VARCHAR,
\tname VARCHAR,
\tinputs TEXT,
\toutputs TEXT,
\tstart_time FLOAT,
\tend_time FLOAT,
\tduration FLOAT,
\tstatus VARCHAR,
\terror TEXT,
\tmetadata TEXT,
\tprompt_tokens INTEGER,
\tcompletion_tokens INTEGER,
\ttotal_tokens INTEGER,
\tcost FLOAT,
\tmodel VARCHAR,
\tproject VARCHAR,
\tcreated_at VARCHAR DEFAULT (CURRENT_TIMESTAMP),
\tPRIMARY KEY (event_id)
)""",
    """CREATE TABLE pipeline_definitions (
\tpipeline_name VARCHAR NOT NULL,
\tdefinition TEXT NOT NULL,
\tcreated_at VARCHAR NOT NULL,
\tupdated_at VARCHAR NOT NULL,
\tPRIMARY KEY (pipeline_name)
)""",
    """CREATE TABLE artifacts (
\tartifact_id VARCHAR NOT NULL,
\tname VARCHAR,
\ttype VARCHAR,
\trun_id VARCHAR,
\tpath VARCHAR,
\tmetadata TEXT,
\tproject VARCHAR,
\tcreated_at VARCHAR DEFAULT (CURRENT_TIMESTAMP),
\tPRIMARY KEY (artifact_id),
\tFOREIGN KEY(run_id) REFERENCES runs (run_id)
)""",
    """CREATE TABLE metrics (
\tid INTEGER NOT NULL,
\trun_id VARCHAR,
\tname VARCHAR,
\tvalue FLOAT,
\tstep INTEGER,
\ttimestamp VARCHAR DEFAULT (CURRENT_TIMESTAMP),
\tPRIMARY KEY (id),
\tFOREIGN KEY(run_id) REFERENCES runs (run_id)
)""",
    """CREATE TABLE parameters (
\tid INTEGER NOT NULL,
\trun_id VARCHAR,
\tname VARCHAR,
\tvalue TEXT,
\tPRIMARY KEY (id),
\tFOREIGN KEY(run_id) REFERENCES runs (run_id)
)""",
    """CREATE TABLE experiment_runs (
\texperiment_id VARCHAR NOT NULL,
\trun_id VARCHAR NOT NULL,
\tmetrics TEXT,
\tparameters TEXT,
\ttimestamp VARCHAR DEFAULT (CURRENT_TIMESTAMP),
\tPRIMARY KEY (experiment_id, run_id),
\tFOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id),
\tFOREIGN KEY(run_id) REFERENCES runs (run_id)
)""",
]

CATALOG_DDL = [
    """CREATE TABLE IF NOT EXISTS artifacts (
                    artifact_id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    artifact_type TEXT NOT NULL,
                    content_hash TEXT,
                    source_step TEXT,
                    source_run_id TEXT,
                    source_pipeline TEXT,
                    parent_ids TEXT DEFAULT '[]',
                    tags TEXT DEFAULT '{}',
                    metadata TEXT DEFAULT '{}',
                    uri TEXT,
                    created_at TEXT NOT NULL,
                    version TEXT
                )""",
    "CREATE INDEX IF NOT EXISTS idx_content_hash ON artifacts(content_hash)",
    "CREATE INDEX IF NOT EXISTS idx_source_pipeline ON artifacts(source_pipeline)",
    "CREATE INDEX IF NOT EXISTS idx_artifact_type ON artifacts(artifact_type)",
]

STEPS = [
    ("load_data", [], ["data/raw"]),
    ("preprocess", ["data/raw"], ["data/train", "data/test"]),
    ("train_model", ["data/train"], ["model/clf"]),
    ("evaluate", ["model/clf", "data/test"], ["metrics"]),
]
COLUMNS = ["sepal_length", "sepal_width", "petal_length", "petal_width", "target"]
BATCH = 2000
# The writer's zone: local times are UTC+05:30, as in a pipeline run in India.
OFFSET = timedelta(hours=5, minutes=30)
START = datetime(2025, 1, 1, 8, 0, 0)


def source_code(step):
    body = "\n".join(f"    value_{i} = transform(value_{i - 1}, seed={i})" for i in range(1, 14))
    return f'@step(outputs=["{step}"])\ndef {step}(data):\n    value_0 = data\n{body}\n    return value_13\n'


def run_metadata(run_id, pipeline, start, end, rng):
    steps = {}
    for name, inputs, outputs in STEPS:
        steps[name] = {
            "success": True, "duration": rng.random(), "cached": False, "retries": 0, "error": None,
            "source_code": source_code(name), "inputs": inputs, "outputs": outputs,
            "tags": {"stage": name}, "execution_group": None, "resources": None,
        }
    return {
        "run_id": run_id, "pipeline_name": pipeline, "status": "completed",
        "start_time": start.isoformat(), "end_time": end.isoformat(), "duration": (end - start).total_seconds(),
        "success": True, "context": {"seed": rng.randint(0, 99), "test_size": 0.3, "C": 1.0},
        "steps": steps,
        "dag": {
            "nodes": [{"id": n, "name": n, "inputs": i, "outputs": o} for n, i, o in STEPS],
            "edges": [{"source": STEPS[k][0], "target": STEPS[k + 1][0]} for k in range(len(STEPS) - 1)],
        },
        "resources": None, "docker": None, "remote_job_id": None, "project": None,
    }


def column_stats(rng, samples):
    return {
        c: {"mean": round(rng.gauss(0, 1), 6), "std": round(rng.random() + 0.5, 6), "min": -1.9, "max": 2.2,
            "median": 0.0, "count": samples, "unique": 31, "dtype": "numeric"}
        for c in COLUMNS
    }


def dataset_metadata(envelope, rng, rows):
    data = {c: [round(rng.gauss(0, 1), 4) for _ in range(rows)] for c in COLUMNS}
    return dataset_metadata_with(envelope, rng, rows, json.dumps(data))


def dataset_metadata_with(envelope, rng, rows, data_json):
    props = {
        "split": "train", "samples": rows, "num_features": len(COLUMNS) - 1,
        "feature_columns": COLUMNS[:-1], "label_column": "target", "columns": COLUMNS,
        "column_stats": column_stats(rng, rows), "framework": "dict", "_auto_extracted": True,
    }
    head = json.dumps({**envelope, "properties": props})
    # Splices the data in as text, so a multi-megabyte copy is serialised once and reused.
    return f'{head[:-2]}, "_full_data": {data_json}}}, "data": {data_json}}}'


def write_metadata(path, artifact_count, big_rows, big_row_mb, rng):
    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size = 4096")
    db.execute("PRAGMA journal_mode = DELETE")
    for ddl in METADATA_DDL:
        db.execute(ddl)
    run_count = max(1, artifact_count // 5)
    big_every = run_count // big_rows if big_rows else 0
    big_text = None
    if big_rows:
        big_count = int(big_row_mb * 1024 * 1024 / 2 / (len(COLUMNS) * 9))
        big_text = json.dumps({c: [round(rng.gauss(0, 1), 4) for _ in range(big_count)] for c in COLUMNS})

    runs, artifacts = [], []
    for r in range(run_count):
        run_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        pipeline = f"pipeline_{r % 25:02d}"
        start = START + timedelta(minutes=3 * r)
        end = start + timedelta(seconds=40)
        created = (end - OFFSET).strftime("%Y-%m-%d %H:%M:%S")
        meta = run_metadata(run_id, pipeline, start, end, rng)
        runs.append((run_id, pipeline, "completed", start.isoformat(), end.isoformat(), 40.0, json.dumps(meta), None, created))

        outputs = [
            ("load_data", "data/raw", f"raw_{r % 40}", "Dataset"),
            ("preprocess", "data/train", f"train_{r % 40}", "Dataset"),
            ("preprocess", "data/test", f"test_{r % 40}", "Dataset"),
            ("train_model", "model/clf", f"clf_{r % 40}", "Model"),
            ("evaluate", "metrics", f"eval_{r % 40}", "Metrics"),
        ]
        for k, (step, output, name, type_) in enumerate(outputs):
            artifact_id = f"{run_id}_{step}_{output}"
            saved = (end + timedelta(milliseconds=10 * k)).isoformat()
            envelope = {"artifact_id": artifact_id, "name": name, "type": type_, "run_id": run_id, "step": step,
                        "path": None, "value": None, "created_at": saved}
            if type_ == "Dataset":
                if big_every and k == 0 and r % big_every == big_every // 2:
                    meta_text = dataset_metadata_with(envelope, rng, len(json.loads(big_text)["target"]), big_text)
                else:
                    meta_text = dataset_metadata(envelope, rng, 12)
            elif type_ == "Model":
                meta_text = json.dumps({**envelope, "value": "LogisticRegression(max_iter=200)", "properties": {
                    "framework": "sklearn", "model_class": "LogisticRegression",
                    "hyperparameters": {"C": 1.0, "max_iter": 200, "penalty": "l2", "solver": "lbfgs"},
                    "coef_shape": "(3, 4)", "num_classes": 3, "is_fitted": True}})
            else:
                acc = rng.random()
                meta_text = json.dumps({**envelope, "value": repr({"accuracy": acc}),
                                        "properties": {"accuracy": acc, "f1_macro": acc * 0.98, "n_test": 45}})
            artifacts.append((artifact_id, name, type_, run_id, None, meta_text, None, created))

        if len(artifacts) >= BATCH or r == run_count - 1:
            db.executemany("INSERT INTO runs VALUES (?,?,?,?,?,?,?,?,?)", runs)
            db.executemany("INSERT INTO artifacts VALUES (?,?,?,?,?,?,?,?)", artifacts)
            db.commit()
            runs, artifacts = [], []
    db.close()


class Catalog:
    def __init__(self, path, rng):
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA page_size = 4096")
        self.db.execute("PRAGMA journal_mode = DELETE")
        for ddl in CATALOG_DDL:
            self.db.execute(ddl)
        self.rng = rng
        self.rows = []
        self.count = 0
        self.clock = START

    def new_id(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, name, type_, step, run_id, pipeline, parents=(), tags=None, metadata=None, uri="", version=None):
        artifact_id = self.new_id()
        self.clock += timedelta(seconds=7)
        content_hash = "%064x" % self.rng.getrandbits(256)
        self.rows.append((artifact_id, name, type_, content_hash, step, run_id, pipeline, json.dumps(list(parents)),
                          json.dumps(tags or {}), json.dumps(metadata or {}), uri, self.clock.isoformat(), version))
        self.count += 1
        if len(self.rows) >= BATCH:
            self.flush()
        return artifact_id

    def auto(self, step, type_, run_id, pipeline):
        return self.add(f"{step}_output", type_, step, run_id, pipeline)

    def flush(self):
        self.db.executemany("INSERT INTO artifacts VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", self.rows)
        self.db.commit()
        self.rows = []

    def close(self):
        self.flush()
        self.db.close()


def write_catalog(path, target, rng):
    """Writes about `target` rows: a long chain, weekly diamonds, a fine-tune chain, a wide fan-out and sweeps."""
    cat = Catalog(path, rng)
    chain_length = min(1000, max(100, target // 20))
    chain = []
    previous = None
    for k in range(chain_length):
        run = cat.new_id()
        cat.auto("pull_events", "dict", run, "events_ingest")
        previous = cat.add(f"events_day_{k:04d}", "Dataset", "write_snapshot", run, "events_ingest",
                           parents=[previous] if previous else [], tags={"layer": "bronze", "day": str(k)},
                           metadata={"rows": 50_000 + k, "partition": str(k), "format": "parquet"},
                           uri=f"gs://acme-events/snapshots/{k}/events.parquet", version=f"2025.{k // 30 + 1}.{k % 30 + 1}")
        chain.append(previous)

    weeks = []
    for w in range(chain_length // 7):
        run = cat.new_id()
        weeks.append(cat.add(f"features_week_{w:03d}", "FeatureSet", "build_features", run, "features",
                             parents=chain[w * 7:(w + 1) * 7], tags={"layer": "gold"}, version=f"v{w + 1}.0.0"))

    models = []
    previous = None
    for v, week in enumerate(weeks[: min(len(weeks), 60)]):
        run = cat.new_id()
        previous = cat.add("ranker", "Model", "train", run, "ranker_train", parents=[p for p in (previous, week) if p],
                           tags={"stage": "staging"}, metadata={"auc": round(rng.random(), 4)}, version=f"v{v + 1}.0.0")
        models.append(previous)

    production = models[len(models) // 2]
    fan_out = max(0, (target - cat.count) // 3)
    for k in range(fan_out):
        run = cat.new_id()
        cat.auto("load_batch", "DataFrame", run, "scoring")
        cat.add(f"scores_{k % 500:03d}", "Dataset", "score", run, "scoring", parents=[production],
                tags={"model": "ranker"}, uri=f"s3://acme-scores/{k}.parquet")

    sweep_parent = weeks[-1]
    while cat.count < target:
        run = cat.new_id()
        cat.auto("sweep", "tuple", run, "sweeps")
        cat.add("sweep_model", "Model", "fit", run, "sweeps", parents=[sweep_parent],
                metadata={"lr": round(rng.random(), 5)})
    cat.close()
    return chain[-1]


def main():
    out, versions = sys.argv[1], int(sys.argv[2])
    big_rows = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    big_row_mb = float(sys.argv[4]) if len(sys.argv) > 4 else 0
    rng = random.Random(20261204)
    folder = os.path.join(out, ".flowyml")
    os.makedirs(folder, exist_ok=True)
    for name in ("metadata.db", "catalog.db"):
        if os.path.exists(os.path.join(folder, name)):
            os.remove(os.path.join(folder, name))
    write_metadata(os.path.join(folder, "metadata.db"), versions // 2, big_rows, big_row_mb, rng)
    deep = write_catalog(os.path.join(folder, "catalog.db"), versions - versions // 2, rng)
    print(json.dumps({"deepCatalogId": deep}))


if __name__ == "__main__":
    main()
