-- The rules read an enterprise's figures of a span of days: an index in
-- that order which also holds the value answers them without touching the
-- table (the primary key runs by indicator first, and on SQLite every row
-- found through it costs a second lookup).
CREATE INDEX figures_by_day ON figures (enterprise_id, day, indicator, source, value);
