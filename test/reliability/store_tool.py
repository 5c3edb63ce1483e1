"""Damages FlowyML stores and reads them back with Python's sqlite3, for the mutation fuzzer.

The fuzzer keeps one process running and sends it one JSON request per line
on stdin; each reply is one JSON line on stdout. Requests (the "op" key
selects one):

  pages   {db}                   page size, page count and the dbstat type of each b-tree page
  read    {db, kind}             the (name, type) of every artifacts row, read by SQLite itself,
                                 or the error SQLite raised: the oracle for "right data"
  mutate  {db, kind, mutation, seed}
                                 one schema or value mutation written through sqlite3
                                 (journal mode delete, the mode FlowyML uses)

`read` opens the file with `immutable=1`, so it never creates a journal,
takes no lock and never rolls anything back: it sees exactly the bytes the
fuzzer wrote.
"""

import json
import math
import random
import sqlite3
import sys

# Columns the core requires per store kind; the rest are optional.
REQUIRED = {
    "metadata": {"artifacts": ["artifact_id", "name", "type", "run_id", "metadata"], "runs": ["run_id", "metadata"]},
    "catalog": {"artifacts": ["artifact_id", "name", "artifact_type", "parent_ids", "metadata", "created_at"]},
}
# Byte strings that are not valid UTF-8: a lone continuation byte, an overlong
# slash, a UTF-16 surrogate, a cut three-byte sequence, 0xFF, and a NUL.
BAD_UTF8 = [b"\x80", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82", b"\xff\xfe", b"a\x00b"]


def text_of(value):
    """Converts a value the way the core's text() does, so both sides compare equal."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return str(value)


def open_readonly(db):
    connection = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
    connection.text_factory = lambda b: b.decode("utf-8", "replace")
    return connection


def pages(request):
    connection = open_readonly(request["db"])
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        page_count = connection.execute("PRAGMA page_count").fetchone()[0]
        types = {}
        for pageno, pagetype in connection.execute("SELECT pageno, pagetype FROM dbstat"):
            types[str(pageno)] = pagetype
        return {"pageSize": page_size, "pageCount": page_count, "types": types}
    finally:
        connection.close()


def is_automatic(step, name, parent_ids, metadata, metadata_bytes, uri, version):
    """Mirrors the rule by which a catalog row records a step's output instead of being a version of its own."""
    step = text_of(step)
    if step == "" or text_of(name) != step + "_output":
        return False
    try:
        parents = json.loads(text_of(parent_ids)) if text_of(parent_ids) else []
    except ValueError:
        parents = []
    if isinstance(parents, list) and any(isinstance(p, str) for p in parents):
        return False
    if metadata_bytes is None:
        empty = True
    elif metadata_bytes <= 2:
        empty = text_of(metadata).strip() in ("{}", "")
    else:
        empty = False
    return empty and text_of(uri) == "" and text_of(version) == ""


def read(request):
    """Lists the versions SQLite reads from a store: every metadata.db artifacts row, and every
    catalog row that is neither a step's automatic record nor a repeated id."""
    kind = request["kind"]
    try:
        connection = open_readonly(request["db"])
        try:
            if kind == "metadata":
                rows = connection.execute("SELECT name, type FROM artifacts ORDER BY rowid").fetchall()
            else:
                columns = set(row[1] for row in connection.execute("PRAGMA table_info(artifacts)"))
                optional = [c if c in columns else "NULL" for c in ("source_step", "uri", "version")]
                selected = connection.execute(
                    f"SELECT artifact_id, name, artifact_type, {optional[0]}, parent_ids, metadata, length(CAST(metadata AS BLOB)),"
                    f" {optional[1]}, {optional[2]} FROM artifacts ORDER BY rowid"
                ).fetchall()
                rows = []
                seen = set()
                for artifact_id, name, kind_name, step, parents, metadata, size, uri, version in selected:
                    if is_automatic(step, name, parents, metadata, size, uri, version) or text_of(artifact_id) in seen:
                        continue
                    seen.add(text_of(artifact_id))
                    rows.append((name, kind_name))
        finally:
            connection.close()
    except (sqlite3.Error, ValueError, OverflowError) as error:
        return {"ok": False, "error": str(error)}
    return {"ok": True, "rows": sorted(text_of(n) + "\u0000" + text_of(t) for n, t in rows)}


def connect(db):
    connection = sqlite3.connect(db, timeout=10, isolation_level=None)
    connection.execute("PRAGMA journal_mode=DELETE")
    return connection


def columns_of(connection, table):
    return [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]


def tables_of(connection):
    return [row[0] for row in connection.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]


def random_rowid(connection, rng, table="artifacts"):
    rowids = [row[0] for row in connection.execute(f'SELECT rowid FROM "{table}"')]
    return rng.choice(rowids) if rowids else None


def rebuild_without(connection, table, column):
    """Rebuilds a table without one column, as a store written by another FlowyML version might be."""
    kept = [c for c in columns_of(connection, table) if c != column]
    listed = ", ".join(f'"{c}"' for c in kept)
    connection.execute(f'CREATE TABLE "_rebuilt" AS SELECT {listed} FROM "{table}"')
    connection.execute(f'DROP TABLE "{table}"')
    connection.execute(f'ALTER TABLE "_rebuilt" RENAME TO "{table}"')


def json_specials(rng):
    """JSON text as Python's json.dumps writes non-finite floats, plus numbers beyond every float and 64-bit range."""
    tokens = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "123456789012345678901234567890",
              "-9223372036854775809", "18446744073709551616", "4.9e-325", "-0"]
    picked = [rng.choice(tokens) for _ in range(4)]
    return ('{"properties": {"num_samples": %s, "epoch": %s, "accuracy": %s, "parameters": %s},'
            ' "value": %s, "step": "train", "created_at": "2026-12-04T20:07:03"}'
            % (picked[0], picked[1], picked[2], picked[3], rng.choice(tokens)))


def json_deep(rng, depth):
    """Metadata JSON nested `depth` levels deep in all, as arrays, objects or both under properties."""
    style = rng.choice(["array", "object", "mixed"])
    opening = []
    closing = []
    # The metadata object and its properties are the first two levels.
    for level in range(depth - 2):
        if style == "array" or (style == "mixed" and level % 2 == 0):
            opening.append("[")
            closing.append("]")
        else:
            opening.append('{"k":')
            closing.append("}")
    nested = "".join(opening) + "1" + "".join(reversed(closing))
    return '{"properties": {"deep": %s, "num_samples": 3}, "step": "train"}' % nested


def mutate(request):
    kind = request["kind"]
    mutation = request["mutation"]
    rng = random.Random(request["seed"])
    connection = connect(request["db"])
    described = mutation
    try:
        connection.execute("BEGIN IMMEDIATE")
        tables = tables_of(connection)
        if mutation == "drop-table":
            table = rng.choice(tables)
            connection.execute(f'DROP TABLE "{table}"')
            described = f"dropped table {table}"
        elif mutation == "drop-column":
            table = rng.choice([t for t in REQUIRED[kind] if t in tables] or tables)
            column = rng.choice(columns_of(connection, table))
            rebuild_without(connection, table, column)
            described = f"dropped column {table}.{column}"
        elif mutation == "rename-column":
            table = rng.choice([t for t in REQUIRED[kind] if t in tables] or tables)
            column = rng.choice(columns_of(connection, table))
            connection.execute(f'ALTER TABLE "{table}" RENAME COLUMN "{column}" TO "{column}_renamed"')
            described = f"renamed column {table}.{column}"
        elif mutation == "wrong-table":
            # A table with the right name and none of the expected columns.
            table = rng.choice(list(REQUIRED[kind]))
            if table in tables:
                connection.execute(f'DROP TABLE "{table}"')
            connection.execute(f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY, payload BLOB)')
            connection.execute(f'INSERT INTO "{table}" (payload) VALUES (randomblob(64)), (NULL)')
            described = f"replaced table {table}"
        elif mutation == "wrong-storage-class":
            # Values of the wrong SQLite storage class in a required column.
            table = rng.choice([t for t in REQUIRED[kind] if t in tables])
            column = rng.choice(REQUIRED[kind][table])
            not_null = any(row[1] == column and row[3] for row in connection.execute(f'PRAGMA table_info("{table}")'))
            # SQLite stores a NaN float as NULL, so both are kept off NOT NULL columns.
            values = [7, -1.5, 2**63 - 1, b"\x00\x01\xff", "", " "] + ([] if not_null else [None, float("nan")])
            value = rng.choice(values)
            rowid = random_rowid(connection, rng, table)
            connection.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (value, rowid))
            described = f"{table}.{column} of row {rowid} set to {value!r}"
        elif mutation == "bad-utf8":
            table = rng.choice([t for t in REQUIRED[kind] if t in tables])
            candidates = [c for c in columns_of(connection, table) if c not in ("duration",)]
            column = rng.choice(candidates)
            raw = rng.choice(BAD_UTF8)
            rowid = random_rowid(connection, rng, table)
            # CAST keeps the bytes and stores them as TEXT, which is how a bad writer produces them.
            connection.execute(
                f'UPDATE "{table}" SET "{column}" = CAST(CAST(COALESCE("{column}", \'\') AS BLOB) || ? AS TEXT) WHERE rowid = ?',
                (raw, rowid),
            )
            described = f"{table}.{column} of row {rowid} got bytes {raw.hex()}"
        elif mutation == "json-specials":
            table = rng.choice([t for t in REQUIRED[kind] if t in tables])
            column = rng.choice([c for c in ("metadata", "parent_ids", "tags") if c in columns_of(connection, table)])
            rowid = random_rowid(connection, rng, table)
            value = json_specials(rng)
            if column == "parent_ids":
                value = "[NaN, Infinity, 1e999, 123456789012345678901234567890]"
            connection.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE rowid = ?', (value, rowid))
            described = f"{table}.{column} of row {rowid} holds non-finite and huge numbers"
        elif mutation == "json-deep":
            depth = request.get("depth", 1000)
            rowid = random_rowid(connection, rng)
            connection.execute("UPDATE artifacts SET metadata = ? WHERE rowid = ?", (json_deep(rng, depth), rowid))
            described = f"artifacts.metadata of row {rowid} nested {depth} deep"
        elif mutation == "big-row":
            megabytes = request.get("megabytes", 200)
            rowid = random_rowid(connection, rng)
            filler = "x" * (megabytes * 1024 * 1024)
            value = '{"properties": {"num_samples": 1, "notes": "%s"}, "step": "train"}' % filler
            connection.execute("UPDATE artifacts SET metadata = ? WHERE rowid = ?", (value, rowid))
            del filler, value
            described = f"artifacts.metadata of row {rowid} is {megabytes} MB"
        else:
            raise ValueError(f"unknown mutation {mutation}")
        connection.execute("COMMIT")
    except sqlite3.Error:
        connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()
    return {"described": described}


def main():
    handlers = {"pages": pages, "read": read, "mutate": mutate}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = handlers[request["op"]](request)
        except Exception as error:  # Reported to the fuzzer, which counts the case as not prepared.
            reply = {"failed": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
