-- The registry, sign-in, figures and the audit trail. PostgreSQL flavour: ids are
-- identity columns, times TIMESTAMPTZ, dates YYYY-MM-DD text.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

CREATE TABLE regions (
	code        TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	level       TEXT NOT NULL,
	kind        TEXT NOT NULL,
	parent_code TEXT,
	lat         DOUBLE PRECISION NOT NULL,
	lon         DOUBLE PRECISION NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code);

CREATE TABLE departments (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL
);

CREATE TABLE industries (
	code         TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	key_industry BOOLEAN NOT NULL
);

CREATE TABLE products (
	code          TEXT PRIMARY KEY,
	industry_code TEXT NOT NULL REFERENCES industries (code),
	name          TEXT NOT NULL,
	unit          TEXT NOT NULL
);

CREATE TABLE enterprises (
	id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	credit_code       TEXT NOT NULL,
	name              TEXT NOT NULL,
	address           TEXT NOT NULL,
	county_code       TEXT NOT NULL REFERENCES regions (code),
	city_code         TEXT NOT NULL REFERENCES regions (code),
	industry_code     TEXT NOT NULL REFERENCES industries (code),
	lat               DOUBLE PRECISION NOT NULL,
	lon               DOUBLE PRECISION NOT NULL,
	datum             TEXT NOT NULL,
	key_enterprise    BOOLEAN NOT NULL,
	output_controlled BOOLEAN NOT NULL,
	status            TEXT NOT NULL,
	version           BIGINT NOT NULL,
	created_at        TIMESTAMPTZ NOT NULL,
	updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX enterprises_credit_code ON enterprises (credit_code);
CREATE INDEX enterprises_name ON enterprises (name);
CREATE INDEX enterprises_city ON enterprises (city_code, name);
CREATE INDEX enterprises_county ON enterprises (county_code, name);
CREATE INDEX enterprises_industry ON enterprises (industry_code, name);

CREATE TABLE enterprise_capacities (
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	product_code  TEXT NOT NULL REFERENCES products (code),
	amount        DOUBLE PRECISION NOT NULL,
	PRIMARY KEY (enterprise_id, product_code)
);

-- Earlier states of enterprises and projects: a change never overwrites silently.
CREATE TABLE revisions (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	object_type TEXT NOT NULL,
	object_id   BIGINT NOT NULL,
	version     BIGINT NOT NULL,
	data        TEXT NOT NULL,
	reason      TEXT NOT NULL,
	changed_by  TEXT NOT NULL,
	changed_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX revisions_object ON revisions (object_type, object_id, version);

CREATE TABLE projects (
	id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	enterprise_id       BIGINT NOT NULL REFERENCES enterprises (id),
	code                TEXT NOT NULL,
	name                TEXT NOT NULL,
	list_stage          TEXT NOT NULL,
	listed              BOOLEAN NOT NULL,
	status              TEXT NOT NULL,
	designed_energy_tce DOUBLE PRECISION NOT NULL,
	designed_coal_t     DOUBLE PRECISION NOT NULL,
	county_code         TEXT NOT NULL REFERENCES regions (code),
	city_code           TEXT NOT NULL REFERENCES regions (code),
	version             BIGINT NOT NULL,
	created_at          TIMESTAMPTZ NOT NULL,
	updated_at          TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX projects_code ON projects (code);
CREATE INDEX projects_enterprise ON projects (enterprise_id);
CREATE INDEX projects_city ON projects (city_code, county_code);

CREATE TABLE permits (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES projects (id),
	kind       TEXT NOT NULL,
	number     TEXT NOT NULL,
	authority  TEXT NOT NULL,
	issued_on  TEXT
);
CREATE INDEX permits_project ON permits (project_id);

CREATE TABLE meters (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	enterprise_id   BIGINT NOT NULL REFERENCES enterprises (id),
	kind            TEXT NOT NULL,
	serial          TEXT NOT NULL,
	calibration_due TEXT,
	accuracy_class  TEXT NOT NULL,
	online          BOOLEAN NOT NULL,
	created_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX meters_serial ON meters (enterprise_id, serial);

CREATE TABLE people (
	id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name             TEXT NOT NULL,
	department_code  TEXT REFERENCES departments (code),
	region_code      TEXT NOT NULL REFERENCES regions (code),
	home_region_code TEXT NOT NULL REFERENCES regions (code),
	phone            TEXT NOT NULL,
	cert_number      TEXT NOT NULL,
	cert_valid_until TEXT,
	kind             TEXT NOT NULL,
	created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_region ON people (region_code);
CREATE INDEX people_department ON people (department_code, region_code);

CREATE TABLE supervision_groups (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code        TEXT NOT NULL,
	name        TEXT NOT NULL,
	region_code TEXT NOT NULL REFERENCES regions (code)
);
CREATE UNIQUE INDEX supervision_groups_code ON supervision_groups (code);

CREATE TABLE supervision_group_members (
	group_id  BIGINT NOT NULL REFERENCES supervision_groups (id),
	person_id BIGINT NOT NULL REFERENCES people (id),
	role      TEXT NOT NULL,
	PRIMARY KEY (group_id, person_id)
);
CREATE INDEX supervision_group_members_person ON supervision_group_members (person_id);

CREATE TABLE users (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username      TEXT NOT NULL,
	name          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	roles         TEXT NOT NULL,
	region_code   TEXT NOT NULL,
	enterprise_id BIGINT REFERENCES enterprises (id),
	person_id     BIGINT REFERENCES people (id),
	disabled      BOOLEAN NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);

CREATE TABLE sessions (
	token_hash   TEXT PRIMARY KEY,
	user_id      BIGINT NOT NULL REFERENCES users (id),
	created_at   TIMESTAMPTZ NOT NULL,
	last_seen_at TIMESTAMPTZ NOT NULL,
	expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE batches (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind        TEXT NOT NULL,
	source      TEXT NOT NULL,
	user_id     BIGINT,
	lines       BIGINT NOT NULL,
	checksum    TEXT NOT NULL,
	received_at TIMESTAMPTZ NOT NULL
);

-- The current revision of each figure; earlier revisions move to figure_revisions.
CREATE TABLE figures (
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	indicator     TEXT NOT NULL,
	source        TEXT NOT NULL,
	day           TEXT NOT NULL,
	value         DOUBLE PRECISION NOT NULL,
	revision      BIGINT NOT NULL,
	batch_id      BIGINT REFERENCES batches (id),
	recorded_at   TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (enterprise_id, indicator, source, day)
);

CREATE TABLE figure_revisions (
	enterprise_id BIGINT NOT NULL,
	indicator     TEXT NOT NULL,
	source        TEXT NOT NULL,
	day           TEXT NOT NULL,
	revision      BIGINT NOT NULL,
	value         DOUBLE PRECISION NOT NULL,
	batch_id      BIGINT,
	recorded_at   TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (enterprise_id, indicator, source, day, revision)
);

-- The audit trail: append-only, each entry chained to the one before.
CREATE TABLE audit_entries (
	seq         BIGINT PRIMARY KEY,
	at          TIMESTAMPTZ NOT NULL,
	actor_id    BIGINT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL,
	object_id   TEXT NOT NULL,
	before_data TEXT,
	after_data  TEXT,
	request_id  TEXT NOT NULL,
	client      TEXT NOT NULL,
	alg         TEXT NOT NULL,
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
);
CREATE INDEX audit_entries_object ON audit_entries (object_type, object_id);

-- The head of the chain, one row, locked by every writer of an entry so that
-- several app instances keep one chain.
CREATE TABLE audit_head (
	id   BIGINT PRIMARY KEY,
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
