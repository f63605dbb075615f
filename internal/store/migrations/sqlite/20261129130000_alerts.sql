-- Alerts: what the monitoring rules found, awaiting triage. The city and
-- county are copied from the enterprise so that scope is one indexed column.
CREATE TABLE alerts (
	id            INTEGER PRIMARY KEY,
	enterprise_id BIGINT NOT NULL REFERENCES enterprises (id),
	city_code     TEXT NOT NULL,
	county_code   TEXT NOT NULL,
	rule          TEXT NOT NULL,
	subject       TEXT NOT NULL,
	from_day      TEXT NOT NULL,
	to_day        TEXT NOT NULL,
	severity      TEXT NOT NULL,
	message       TEXT NOT NULL,
	evidence      TEXT NOT NULL,
	status        TEXT NOT NULL,
	verdict       TEXT NOT NULL,
	reason        TEXT NOT NULL,
	escalated_to  TEXT NOT NULL,
	created_at    TIMESTAMP NOT NULL,
	updated_at    TIMESTAMP NOT NULL
);
CREATE INDEX alerts_enterprise ON alerts (enterprise_id, rule, subject, from_day);
CREATE INDEX alerts_city ON alerts (city_code, county_code, status);
