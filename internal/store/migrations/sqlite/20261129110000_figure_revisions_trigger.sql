-- A figure that changes keeps its earlier value: the database moves it to
-- figure_revisions on every update, so one upsert statement can load a
-- whole chunk of a batch and no revision can be lost by a caller.
CREATE TRIGGER figures_keep_revision BEFORE UPDATE ON figures
BEGIN
	INSERT INTO figure_revisions (enterprise_id, indicator, source, day, revision, value, batch_id, recorded_at)
	VALUES (OLD.enterprise_id, OLD.indicator, OLD.source, OLD.day, OLD.revision, OLD.value, OLD.batch_id, OLD.recorded_at);
END;
