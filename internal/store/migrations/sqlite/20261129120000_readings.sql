-- Meter readings at 15-minute resolution, one per meter and instant (UTC).
-- Readings are instrument data: a re-sent reading with another value
-- replaces the old one, with no revision history, unlike figures.
CREATE TABLE meter_readings (
	meter_id    BIGINT NOT NULL REFERENCES meters (id),
	at          TIMESTAMP NOT NULL,
	value       DOUBLE PRECISION NOT NULL,
	batch_id    BIGINT REFERENCES batches (id),
	recorded_at TIMESTAMP NOT NULL,
	PRIMARY KEY (meter_id, at)
);
