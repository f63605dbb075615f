-- The semi-annual comprehensive inspection campaign (mechanism 1): the
-- campaign and its frozen target list, the five joint groups' members, the
-- draws of the city-to-group assignment, the visit tasks and their teams, the
-- on-site inspections with their figures, photos and amendments, the
-- findings with their dispositions, each city's curbing work, the group
-- reports and the joint report with its countersigns.
-- A large plant may be given a wider check-in radius than the profile's.
ALTER TABLE enterprises ADD COLUMN checkin_radius_m DOUBLE PRECISION;

CREATE TABLE campaigns (
	id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code              TEXT NOT NULL,
	name              TEXT NOT NULL,
	state             TEXT NOT NULL,
	starts_on         TEXT NOT NULL,
	ends_on           TEXT NOT NULL,
	staffing_deadline TEXT NOT NULL,
	report_due        TEXT NOT NULL,
	created_at        TIMESTAMPTZ NOT NULL,
	updated_at        TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX campaigns_code ON campaigns (code);

-- The target list, frozen when the campaign leaves the draft: the
-- enterprise's region and industry as they were then.
CREATE TABLE campaign_targets (
	campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	city_code     TEXT NOT NULL,
	county_code   TEXT NOT NULL,
	industry_code TEXT NOT NULL,
	PRIMARY KEY (campaign_id, enterprise_id)
);
CREATE INDEX campaign_targets_city ON campaign_targets (campaign_id, city_code, county_code);

CREATE TABLE campaign_members (
	campaign_id     BIGINT NOT NULL REFERENCES campaigns (id),
	person_id       BIGINT NOT NULL REFERENCES people (id),
	department_code TEXT NOT NULL REFERENCES departments (code),
	role            TEXT NOT NULL,
	PRIMARY KEY (campaign_id, person_id)
);
CREATE INDEX campaign_members_group ON campaign_members (campaign_id, department_code);

-- Draws: the commitment is published first (seed sealed, inputs frozen);
-- the draw reveals the seed and stores the assignment. A redraw supersedes
-- the previous one with a reason; nothing is deleted.
CREATE TABLE campaign_draws (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	campaign_id   BIGINT NOT NULL REFERENCES campaigns (id),
	inputs        TEXT NOT NULL,
	commitment    TEXT NOT NULL,
	sealed_seed   TEXT NOT NULL,
	seed          TEXT NOT NULL,
	assignment    TEXT NOT NULL,
	plan_notes    TEXT NOT NULL,
	reason        TEXT NOT NULL,
	committed_by  BIGINT NOT NULL,
	committed_at  TIMESTAMPTZ NOT NULL,
	drawn_at      TIMESTAMPTZ,
	superseded_at TIMESTAMPTZ
);
CREATE INDEX campaign_draws_campaign ON campaign_draws (campaign_id, id);

CREATE TABLE inspection_tasks (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	campaign_id     BIGINT NOT NULL REFERENCES campaigns (id),
	draw_id         BIGINT NOT NULL REFERENCES campaign_draws (id),
	enterprise_id   BIGINT NOT NULL REFERENCES enterprises (id),
	department_code TEXT NOT NULL,
	city_code       TEXT NOT NULL,
	county_code     TEXT NOT NULL,
	day             TEXT NOT NULL,
	state           TEXT NOT NULL,
	updated_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX inspection_tasks_enterprise ON inspection_tasks (campaign_id, draw_id, enterprise_id);
CREATE INDEX inspection_tasks_group ON inspection_tasks (campaign_id, department_code, day);
CREATE INDEX inspection_tasks_city ON inspection_tasks (campaign_id, city_code, county_code);

CREATE TABLE task_members (
	task_id   BIGINT NOT NULL REFERENCES inspection_tasks (id),
	person_id BIGINT NOT NULL REFERENCES people (id),
	PRIMARY KEY (task_id, person_id)
);
CREATE INDEX task_members_person ON task_members (person_id);

CREATE TABLE inspections (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	task_id         BIGINT NOT NULL REFERENCES inspection_tasks (id),
	checked_in_at   TIMESTAMPTZ NOT NULL,
	checked_in_by   BIGINT NOT NULL,
	lat             DOUBLE PRECISION NOT NULL,
	lon             DOUBLE PRECISION NOT NULL,
	distance_m      DOUBLE PRECISION NOT NULL,
	outside_reason  TEXT NOT NULL,
	flagged         BOOLEAN NOT NULL,
	registration_id TEXT NOT NULL,
	certificates    TEXT NOT NULL,
	body            TEXT NOT NULL,
	items           TEXT NOT NULL,
	figures         TEXT NOT NULL,
	submitted_at    TIMESTAMPTZ,
	submitted_by    TEXT NOT NULL,
	signature       TEXT NOT NULL
);
CREATE UNIQUE INDEX inspections_task ON inspections (task_id);

CREATE TABLE inspection_photos (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	inspection_id BIGINT NOT NULL REFERENCES inspections (id),
	name          TEXT NOT NULL,
	content_type  TEXT NOT NULL,
	size          BIGINT NOT NULL,
	sha256        TEXT NOT NULL,
	data          BYTEA NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX inspection_photos_inspection ON inspection_photos (inspection_id);

CREATE TABLE inspection_amendments (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	inspection_id BIGINT NOT NULL REFERENCES inspections (id),
	reason        TEXT NOT NULL,
	change        TEXT NOT NULL,
	created_by    TEXT NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX inspection_amendments_inspection ON inspection_amendments (inspection_id);

-- The problem list: findings of any source, scoped by the enterprise's region.
CREATE TABLE findings (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	source        TEXT NOT NULL,
	source_id     BIGINT NOT NULL,
	campaign_id   BIGINT,
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	city_code     TEXT NOT NULL,
	county_code   TEXT NOT NULL,
	category      TEXT NOT NULL,
	description   TEXT NOT NULL,
	evidence      TEXT NOT NULL,
	severity      TEXT NOT NULL,
	created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX findings_source ON findings (source, source_id);
CREATE INDEX findings_city ON findings (city_code, county_code);
CREATE INDEX findings_campaign ON findings (campaign_id);

CREATE TABLE dispositions (
	id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	finding_id  BIGINT NOT NULL REFERENCES findings (id),
	kind        TEXT NOT NULL,
	owner       TEXT NOT NULL,
	deadline    TEXT NOT NULL,
	decision    TEXT NOT NULL,
	quota       TEXT NOT NULL,
	amount      DOUBLE PRECISION NOT NULL,
	description TEXT NOT NULL,
	evidence    TEXT NOT NULL,
	verified_at TIMESTAMPTZ,
	created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX dispositions_finding ON dispositions (finding_id);

-- Each city's own work on curbing two-high projects (R1.5), per campaign.
CREATE TABLE campaign_city_work (
	campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
	city_code   TEXT NOT NULL,
	summary     TEXT NOT NULL,
	recorded_by TEXT NOT NULL,
	recorded_at TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (campaign_id, city_code)
);

CREATE TABLE group_reports (
	id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	campaign_id     BIGINT NOT NULL REFERENCES campaigns (id),
	department_code TEXT NOT NULL,
	state           TEXT NOT NULL,
	sections        TEXT NOT NULL,
	reason          TEXT NOT NULL,
	version         BIGINT NOT NULL,
	submitted_at    TIMESTAMPTZ,
	updated_at      TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX group_reports_group ON group_reports (campaign_id, department_code);

CREATE TABLE joint_reports (
	campaign_id  BIGINT NOT NULL PRIMARY KEY REFERENCES campaigns (id),
	body         TEXT NOT NULL,
	request      TEXT NOT NULL,
	frozen_at    TIMESTAMPTZ NOT NULL,
	submitted_at TIMESTAMPTZ
);

CREATE TABLE countersigns (
	campaign_id     BIGINT NOT NULL REFERENCES campaigns (id),
	department_code TEXT NOT NULL,
	user_id         BIGINT NOT NULL,
	signer          TEXT NOT NULL,
	signature       TEXT NOT NULL,
	signed_at       TIMESTAMPTZ NOT NULL,
	PRIMARY KEY (campaign_id, department_code)
);
