-- The twelve metadata tables of a FlowyML 2.x store, as SQLAlchemy's
-- PostgreSQL dialect emits them from the Table objects in
-- flowyml/storage/sql.py when `db_url` points at PostgreSQL.
--
-- Written by hand for these tests, from the SQLite DDL that the same
-- Table objects produce (`.schema` of a FlowyML 1.7.2 / 2.1 metadata.db),
-- translated with the rules SQLAlchemy's PostgreSQL compiler applies:
--   * String without a length        -> VARCHAR
--   * Float                          -> FLOAT
--   * Text                           -> TEXT
--   * Integer primary key, autoincrement -> SERIAL NOT NULL
--   * server_default=func.current_timestamp() -> DEFAULT CURRENT_TIMESTAMP
--     (the SQLite dialect wraps it in parentheses, PostgreSQL does not)
-- Foreign keys are enforced by PostgreSQL, unlike SQLite with FlowyML's
-- connections, so rows must be inserted parents first.
-- NOTE: no PostgreSQL store written by FlowyML itself was available to
-- compare against; the rules above are SQLAlchemy 2.x's documented type
-- rendering, not a dump of a real database.

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
