"""Write hostile FlowyML stores for the tests, through Python's sqlite3.

The tests call this script with one JSON request on stdin and read one JSON
reply from stdout. Every write goes through a real SQLite engine in journal
mode `delete`, the mode FlowyML uses, and each connection is closed before the
script exits, so no journal is left behind.

Requests (the "command" key selects one):
  catalog       create a catalog.db in FlowyML's DDL and insert rows
  execute       run SQL statements in one transaction
  drop-column   rebuild a table without one column
  big-dataset   give one artifact row a Dataset metadata JSON of many megabytes
"""
import json
import random
import sqlite3
import sys

# The catalog DDL exactly as FlowyML's ArtifactCatalog stores it in sqlite_master.
CATALOG_COLUMNS = [
    "artifact_id TEXT PRIMARY KEY",
    "name TEXT NOT NULL",
    "artifact_type TEXT NOT NULL",
    "content_hash TEXT",
    "source_step TEXT",
    "source_run_id TEXT",
    "source_pipeline TEXT",
    "parent_ids TEXT DEFAULT '[]'",
    "tags TEXT DEFAULT '{}'",
    "metadata TEXT DEFAULT '{}'",
    "uri TEXT",
    "created_at TEXT NOT NULL",
    "version TEXT",
]
CATALOG_INDEXES = {
    "idx_content_hash": "content_hash",
    "idx_source_pipeline": "source_pipeline",
    "idx_artifact_type": "artifact_type",
}
CATALOG_DEFAULTS = {
    "content_hash": "",
    "source_step": "",
    "source_run_id": "",
    "source_pipeline": "",
    "parent_ids": "[]",
    "tags": "{}",
    "metadata": "{}",
    "uri": "",
    "version": None,
}


def connect(path):
    connection = sqlite3.connect(path, timeout=10)
    connection.execute("PRAGMA journal_mode=DELETE")
    return connection


def create_catalog(request):
    omit = set(request.get("omit_columns", []))
    columns = [c for c in CATALOG_COLUMNS if c.split()[0] not in omit]
    if not request.get("primary_key", True):
        columns = [c.replace(" PRIMARY KEY", "") for c in columns]
    indent = " " * 20
    ddl = "CREATE TABLE artifacts (\n" + ",\n".join(indent + c for c in columns) + "\n" + " " * 16 + ")"
    names = [c.split()[0] for c in columns]

    connection = connect(request["db"])
    with connection:
        connection.execute(ddl)
        for index, column in CATALOG_INDEXES.items():
            if column in names:
                connection.execute(f"CREATE INDEX {index}\n                ON artifacts({column})\n            ")
        for row in request.get("rows", []):
            values = {**CATALOG_DEFAULTS, **row}
            for key in ("parent_ids", "tags", "metadata"):
                # Lists and objects are encoded as json.dumps does; strings are stored as given,
                # so a test can store malformed JSON.
                if not isinstance(values[key], str):
                    values[key] = json.dumps(values[key])
            present = [n for n in names if n in values]
            placeholders = ", ".join("?" for _ in present)
            connection.execute(
                f"INSERT INTO artifacts ({', '.join(present)}) VALUES ({placeholders})",
                [values[n] for n in present],
            )
    connection.close()
    return {"columns": names}


def execute(request):
    connection = connect(request["db"])
    changes = []
    with connection:
        for statement in request["statements"]:
            cursor = connection.execute(statement["sql"], statement.get("params", []))
            changes.append(cursor.rowcount)
    connection.close()
    return {"changes": changes}


def drop_column(request):
    """Rebuild `table` without `column`, keeping every other column and constraint line."""
    table, column = request["table"], request["column"]
    connection = connect(request["db"])
    (ddl,) = connection.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    head, _, body = ddl.partition("(")
    body = body.rsplit(")", 1)[0]
    kept_lines = []
    for line in body.split("\n"):
        stripped = line.strip().rstrip(",")
        if not stripped:
            continue
        if stripped.split()[0] == column or f"({column})" in stripped:
            continue
        kept_lines.append(stripped)
    new_ddl = f"{head}(\n\t" + ",\n\t".join(kept_lines) + "\n)"
    columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    remaining = ", ".join(c for c in columns if c != column)
    with connection:
        connection.execute(f"ALTER TABLE {table} RENAME TO {table}_old")
        connection.execute(new_ddl)
        connection.execute(f"INSERT INTO {table} ({remaining}) SELECT {remaining} FROM {table}_old")
        connection.execute(f"DROP TABLE {table}_old")
    connection.execute("VACUUM")
    connection.close()
    return {"ddl": new_ddl}


def big_dataset(request):
    """Replace one artifact row's metadata with a Dataset whose `_full_data` contains `megabytes` of records.

    The shape is FlowyML 1.7's for a Dataset over a list of records: statistics
    under `properties`, the records under `properties._full_data`, and no
    top-level `data` copy.
    """
    target = request["megabytes"] * 1024 * 1024
    generator = random.Random(7)
    plans = ["basic", "plus", "pro"]
    records = []
    size = 2
    while size < target:
        record = {
            "customer_id": f"C{len(records):07d}",
            "plan": plans[len(records) % 3],
            "tenure_years": round(generator.uniform(0, 12), 3),
            "monthly_spend": round(generator.uniform(10, 120), 2),
            "churned": len(records) % 5 == 0,
        }
        records.append(record)
        size += len(json.dumps(record)) + 2

    connection = connect(request["db"])
    artifact_id = request["artifact_id"]
    row = connection.execute("SELECT name, type, run_id, metadata FROM artifacts WHERE artifact_id = ?", (artifact_id,)).fetchone()
    if row is None:
        raise SystemExit(f"artifact {artifact_id} not found in {request['db']}")
    name, type_name, run_id, old_metadata = row
    old = json.loads(old_metadata)
    metadata = {
        "artifact_id": artifact_id,
        "name": name,
        "type": type_name,
        "run_id": run_id,
        "step": old.get("step"),
        "path": None,
        "value": None,
        "created_at": old.get("created_at"),
        "properties": {
            "source": "crm-export",
            "samples": len(records),
            "num_features": 5,
            "feature_columns": ["customer_id", "plan", "tenure_years", "... (5 items)"],
            "label_column": None,
            "columns": ["customer_id", "plan", "tenure_years", "... (5 items)"],
            "framework": "dict",
            "_auto_extracted": True,
            "_full_data": records,
        },
    }
    text = json.dumps(metadata)
    with connection:
        connection.execute("UPDATE artifacts SET metadata = ? WHERE artifact_id = ?", (text, artifact_id))
    connection.close()
    return {"records": len(records), "bytes": len(text.encode("utf-8"))}


COMMANDS = {
    "catalog": create_catalog,
    "execute": execute,
    "drop-column": drop_column,
    "big-dataset": big_dataset,
}


def main():
    request = json.load(sys.stdin)
    command = COMMANDS.get(request.get("command"))
    if command is None:
        raise SystemExit(f"unknown command {request.get('command')!r}; expected one of {', '.join(COMMANDS)}")
    json.dump(command(request), sys.stdout)


if __name__ == "__main__":
    main()
