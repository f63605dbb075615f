-- The chain's head follows every appended entry inside the database, so an
-- audited change costs one statement less and the head cannot lag behind.
CREATE TRIGGER audit_entries_head AFTER INSERT ON audit_entries
BEGIN
	UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
END;
