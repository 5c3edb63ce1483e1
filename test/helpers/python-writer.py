"""Writes test stores with Python's sqlite3, the engine FlowyML itself writes with.

Every committed state keeps an invariant that a torn state breaks. All rows
of `t` carry the same generation `gen`, and `val` is a function of the row
id and the generation. `meta` repeats the generation, and `meta.total`
equals the sum of `val`.

Commands (each prints one line per event, flushed, for the test to wait on):
  create DB            create the store at generation 0, then exit
  loop DB              after a "go" line on stdin, commit generation after
                       generation until stdin closes
  hold DB              checkpoint generation 0, then commit some generations in
                       WAL mode with automatic checkpoints off,
                       optionally spill an uncommitted transaction, then wait
                       until stdin closes
  crash DB             spill an uncommitted transaction, print "spilled" and
                       wait to be killed, which leaves a hot journal
  long-transaction DB  keep rewriting rows inside one open transaction until
                       stdin closes, so the journal keeps changing
"""

import argparse
import os
import random
import sqlite3
import sys
import threading
import time

JOURNAL_MAGIC = bytes([0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7])


def value_of(row_id, generation):
    return (row_id * 7919 + generation * 104729) % 1000003


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def connect(args):
    connection = sqlite3.connect(args.db, isolation_level=None, timeout=30)
    connection.execute(f"PRAGMA journal_mode={args.journal_mode}")
    # A tiny page cache makes SQLite spill changed pages into the file before
    # the commit: the case that tears a reader that checks only the header.
    connection.execute("PRAGMA cache_size=2")
    # Without fsync a transaction takes milliseconds, so a test covers hundreds of commits.
    connection.execute("PRAGMA synchronous=OFF")
    if args.journal_mode == "wal":
        connection.execute(f"PRAGMA wal_autocheckpoint={args.autocheckpoint}")
    return connection


def create(connection, args):
    connection.execute("BEGIN IMMEDIATE")
    connection.execute(
        "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, gen INTEGER NOT NULL,"
        " val INTEGER NOT NULL, payload BLOB)"
    )
    connection.execute(
        "CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 1), gen INTEGER, total INTEGER)"
    )
    connection.execute("DELETE FROM t")
    connection.execute("DELETE FROM meta")
    connection.executemany(
        "INSERT INTO t (id, gen, val, payload) VALUES (?, 0, ?, randomblob(?))",
        [(row_id, value_of(row_id, 0), args.payload) for row_id in range(1, args.rows + 1)],
    )
    connection.execute("INSERT INTO meta (id, gen, total) SELECT 1, 0, sum(val) FROM t")
    connection.execute("COMMIT")


def rewrite(connection, args, generation):
    connection.execute(
        "UPDATE t SET gen = ?, val = (id * 7919 + ? * 104729) % 1000003, payload = randomblob(?)",
        (generation, generation, args.payload),
    )
    connection.execute("UPDATE meta SET gen = ?, total = (SELECT sum(val) FROM t)", (generation,))


def commit_generation(connection, args, generation):
    connection.execute("BEGIN IMMEDIATE")
    rewrite(connection, args, generation)
    connection.execute("COMMIT")
    say(f"committed {generation}")


def journal_is_valid(path):
    try:
        with open(path + "-journal", "rb") as journal:
            return journal.read(8) == JOURNAL_MAGIC
    except FileNotFoundError:
        return False


def stop_on_stdin_close():
    stop = threading.Event()

    def watch():
        sys.stdin.read()
        stop.set()

    threading.Thread(target=watch, daemon=True).start()
    return stop


def loop(connection, args):
    # The test prints "go" once its readers are open, so that they open on a committed state.
    sys.stdin.readline()
    stop = stop_on_stdin_close()
    deadline = time.monotonic() + args.max_seconds
    generation = 0
    while not stop.is_set() and time.monotonic() < deadline:
        generation += 1
        commit_generation(connection, args, generation)
        if args.checkpoint_every and generation % args.checkpoint_every == 0:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        # An idle gap after each commit, as between a pipeline's steps. A
        # reader that checks the files needs such gaps to finish a read.
        time.sleep(random.uniform(0, args.max_gap_ms / 1000))
    say("stopped")


def hold(connection, args):
    # Generation 0 goes into the main file, so the later ones exist only in the WAL.
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for generation in range(1, args.generations + 1):
        commit_generation(connection, args, generation)
    if args.uncommitted:
        connection.execute("BEGIN IMMEDIATE")
        rewrite(connection, args, args.generations + 1)
        say(f"spilled wal-size={os.path.getsize(args.db + '-wal')}")
    stop = stop_on_stdin_close()
    stop.wait(args.max_seconds)
    if args.uncommitted:
        connection.execute("ROLLBACK")
    say("stopped")


def crash(connection, args):
    connection.execute("BEGIN IMMEDIATE")
    rewrite(connection, args, 1)
    if not journal_is_valid(args.db):
        say("error: the transaction did not spill into the database file")
        sys.exit(1)
    say("spilled")
    time.sleep(args.max_seconds)


def long_transaction(connection, args):
    stop = stop_on_stdin_close()
    deadline = time.monotonic() + args.max_seconds
    connection.execute("BEGIN IMMEDIATE")
    generation = 0
    while not stop.is_set() and time.monotonic() < deadline:
        generation += 1
        rewrite(connection, args, generation)
        if generation == 1:
            say("spilled")
    connection.execute("ROLLBACK")
    say("stopped")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["create", "loop", "hold", "crash", "long-transaction"])
    parser.add_argument("db")
    parser.add_argument("--rows", type=int, default=100)
    parser.add_argument("--payload", type=int, default=1500, help="bytes of random payload per row")
    parser.add_argument("--journal-mode", default="delete", choices=["delete", "wal"])
    parser.add_argument("--autocheckpoint", type=int, default=1000, help="WAL size in pages that triggers a checkpoint; 0 turns automatic checkpoints off")
    parser.add_argument("--checkpoint-every", type=int, default=0, help="generations between explicit checkpoints; 0 for none")
    parser.add_argument("--generations", type=int, default=3)
    parser.add_argument("--uncommitted", action="store_true")
    parser.add_argument("--max-gap-ms", type=float, default=8)
    parser.add_argument("--max-seconds", type=float, default=120, help="seconds after which the writer stops even if stdin stays open")
    args = parser.parse_args()

    connection = connect(args)
    create(connection, args)
    say("ready 0")

    if args.command == "loop":
        loop(connection, args)
    elif args.command == "hold":
        hold(connection, args)
    elif args.command == "crash":
        crash(connection, args)
    elif args.command == "long-transaction":
        long_transaction(connection, args)
    connection.close()


if __name__ == "__main__":
    main()
