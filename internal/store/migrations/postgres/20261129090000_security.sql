-- Security: forced password change, two-factor authentication, machine
-- tokens, signed checkpoints and sealed segments of the audit trail.

ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;
-- The TOTP secret is sealed with the crypto suite; NULL until enrolled.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
-- The last time step accepted, so that a code is used once.
ALTER TABLE users ADD COLUMN totp_step BIGINT NOT NULL DEFAULT 0;
-- Demo accounts only: two-factor is not demanded even of administrators.
ALTER TABLE users ADD COLUMN mfa_exempt BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMPTZ;

-- A session is not signed in fully until its second factor is checked.
ALTER TABLE sessions ADD COLUMN mfa_done BOOLEAN NOT NULL DEFAULT TRUE;

CREATE TABLE api_tokens (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id       BIGINT NOT NULL REFERENCES users (id),
	name          TEXT NOT NULL,
	token_hash    TEXT NOT NULL,
	permissions   TEXT NOT NULL,
	region_code   TEXT NOT NULL,
	enterprise_id BIGINT REFERENCES enterprises (id),
	created_at    TIMESTAMPTZ NOT NULL,
	expires_at    TIMESTAMPTZ NOT NULL,
	revoked_at    TIMESTAMPTZ,
	last_used_at  TIMESTAMPTZ
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Signed checkpoints of the chain's head: truncation after one is detected.
CREATE TABLE audit_checkpoints (
	seq       BIGINT PRIMARY KEY,
	hash      TEXT NOT NULL,
	at        TIMESTAMPTZ NOT NULL,
	signature TEXT NOT NULL
);

-- Segments sealed into signed archive files before leaving the database.
CREATE TABLE audit_seals (
	last_seq   BIGINT PRIMARY KEY,
	first_seq  BIGINT NOT NULL,
	last_hash  TEXT NOT NULL,
	archive    TEXT NOT NULL,
	sha256     TEXT NOT NULL,
	signature  TEXT NOT NULL,
	sealed_at  TIMESTAMPTZ NOT NULL
);
