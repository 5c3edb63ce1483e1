-- The twelve metadata tables of a FlowyML 2.x store, as SQLAlchemy's
-- PostgreSQL dialect emits them from the Table objects in
-- flowyml/storage/sql.py when `db_url` points at PostgreSQL.
--
-- Written by hand for these tests, from the SQLite DDL that the same
-- Table objects produce (`.schema` of a FlowyML 1.7.2 / 2.1 metadata.db),
-- translated with the rules SQLAlchemy's PostgreSQL compiler applies:
--   * String without a length        -> VARCHAR (no length limit)
--   * Float without a precision      -> FLOAT, which PostgreSQL stores as
--                                       double precision (FLOAT(53))
--   * Text                           -> TEXT
--   * Integer                        -> INTEGER
--   * Integer primary key, autoincrement -> SERIAL NOT NULL
--   * server_default=func.current_timestamp() -> DEFAULT CURRENT_TIMESTAMP
--     (the SQLite dialect wraps it in parentheses, PostgreSQL does not)
--   * primary_key=True -> NOT NULL + PRIMARY KEY; ForeignKey -> FOREIGN KEY
-- Foreign keys are enforced by PostgreSQL, unlike SQLite with FlowyML's
-- connections, so rows must be inserted parents first.
--
-- Checked on 2026-12-05 against FlowyML's own SQLAlchemy models:
--   repository UnicoLab/FlowyML, file flowyml/storage/sql.py, at commits
--   0062a4b6b52cce43fba1aa3503f226a795ae311f and
--   b100fe1d627e148965064092f0bcd95c6d987549 (the two versions the code
--   index returned; their Table(...) definitions are identical).
--   Every column, type, nullability, primary key, foreign key and default of
--   runs, artifacts, metrics, model_metrics, parameters, experiments,
--   experiment_runs, traces and pipeline_definitions matches this file; no
--   column has index=True or unique=True, so there are no other indexes.
--   Nothing needed fixing.
--   projects, model_versions and pipeline_templates are not defined at those
--   commits, and no version of sql.py that defines them could be found. They
--   are checked only against the SQLite DDL that SQLAlchemy wrote for them
--   into a FlowyML 2.1 metadata.db (sqlite_master of
--   samples/workspace/.flowyml/metadata.db).
--   test/unit/sources/postgres-ddl.test.ts runs this file on a real
--   PostgreSQL server and compares what the server reports with the models.
-- NOTE: no PostgreSQL store written by FlowyML itself was available, and
-- SQLAlchemy could not be installed (no PyPI here), so the type rules above
-- come from SQLAlchemy's documented behaviour and issue tracker, not from
-- running its compiler.

CREATE TABLE runs (
	run_id VARCHAR NOT NULL,
	pipeline_name VARCHAR,
	status VARCHAR,
	start_time VARCHAR,
	end_time VARCHAR,
	duration FLOAT,
	metadata TEXT,
	project VARCHAR,
	created_at VARCHAR DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (run_id)
);

CREATE TABLE model_metrics (
	id SERIAL NOT NULL,
	project VARCHAR,
	model_name VARCHAR,
	run_id VARCHAR,
	metric_name VARCHAR,
	metric_value FLOAT,
	environment VARCHAR,
	tags TEXT,
	created_at VARCHAR DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (id)
);

CREATE TABLE experiments (
	experiment_id VARCHAR NOT NULL,
	name VARCHAR,
	description TEXT,
	tags TEXT,
	project VARCHAR,
	created_at VARCHAR DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (experiment_id)
);

CREATE TABLE traces (
	event_id VARCHAR NOT NULL,
	trace_id VARCHAR,
	parent_id VARCHAR,
	event_type VARCHAR,
	name VARCHAR,
	inputs TEXT,
	outputs TEXT,
	start_time FLOAT,
	end_time FLOAT,
	duration FLOAT,
	status VARCHAR,
	error TEXT,
	metadata TEXT,
	prompt_tokens INTEGER,
	completion_tokens INTEGER,
	total_tokens INTEGER,
	cost FLOAT,
	model VARCHAR,
	project VARCHAR,
	created_at VARCHAR DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (event_id)
);

CREATE TABLE pipeline_definitions (
	pipeline_name VARCHAR NOT NULL,
	definition TEXT NOT NULL,
	created_at VARCHAR NOT NULL,
	updated_at VARCHAR NOT NULL,
	PRIMARY KEY (pipeline_name)
);

CREATE TABLE artifacts (
	artifact_id VARCHAR NOT NULL,
	name VARCHAR,
	type VARCHAR,
	run_id VARCHAR,
	path VARCHAR,
	metadata TEXT,
	project VARCHAR,
	created_at VARCHAR DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (artifact_id),
	FOREIGN KEY(run_id) REFERENCES runs (run_id)
);

CREATE TABLE metrics (
	id SERIAL NOT NULL,
	run_id VARCHAR,
	name VARCHAR,
	value FLOAT,
	step INTEGER,
	timestamp VARCHAR DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (id),
	FOREIGN KEY(run_id) REFERENCES runs (run_id)
);

CREATE TABLE parameters (
	id SERIAL NOT NULL,
	run_id VARCHAR,
	name VARCHAR,
	value TEXT,
	PRIMARY KEY (id),
	FOREIGN KEY(run_id) REFERENCES runs (run_id)
);

CREATE TABLE experiment_runs (
	experiment_id VARCHAR NOT NULL,
	run_id VARCHAR NOT NULL,
	metrics TEXT,
	parameters TEXT,
	timestamp VARCHAR DEFAULT CURRENT_TIMESTAMP,
	PRIMARY KEY (experiment_id, run_id),
	FOREIGN KEY(experiment_id) REFERENCES experiments (experiment_id),
	FOREIGN KEY(run_id) REFERENCES runs (run_id)
);

CREATE TABLE projects (
	name VARCHAR NOT NULL,
	description TEXT,
	tags TEXT,
	created_at VARCHAR DEFAULT CURRENT_TIMESTAMP,
	updated_at VARCHAR,
	PRIMARY KEY (name)
);

CREATE TABLE model_versions (
	id SERIAL NOT NULL,
	name VARCHAR NOT NULL,
	version VARCHAR NOT NULL,
	stage VARCHAR NOT NULL,
	framework VARCHAR NOT NULL,
	model_path VARCHAR NOT NULL,
	metrics TEXT,
	tags TEXT,
	schema TEXT,
	description TEXT,
	author VARCHAR,
	parent_version VARCHAR,
	created_at VARCHAR DEFAULT CURRENT_TIMESTAMP,
	updated_at VARCHAR,
	PRIMARY KEY (id)
);

CREATE TABLE pipeline_templates (
	template_id VARCHAR NOT NULL,
	name VARCHAR NOT NULL,
	description TEXT,
	definition TEXT NOT NULL,
	tags TEXT,
	author VARCHAR,
	category VARCHAR,
	is_public INTEGER,
	created_at VARCHAR DEFAULT CURRENT_TIMESTAMP,
	updated_at VARCHAR,
	PRIMARY KEY (template_id)
);
