-- Accounts, API keys, revoked tokens and persisted settings.
-- Portable SQL for SQLite and PostgreSQL: ids are uuid4 text, timestamps are epoch seconds (BIGINT),
-- JSON values are stored as TEXT.

CREATE TABLE users (
    id                VARCHAR(36)  PRIMARY KEY,
    email             VARCHAR(320) NOT NULL UNIQUE,
    name              VARCHAR(255) NOT NULL,
    role              VARCHAR(16)  NOT NULL,
    profile_image_url TEXT         NOT NULL,
    password_hash     VARCHAR(100) NOT NULL,
    is_primary        BOOLEAN      NOT NULL DEFAULT FALSE,
    settings          TEXT,
    info              TEXT,
    last_active_at    BIGINT       NOT NULL,
    created_at        BIGINT       NOT NULL,
    updated_at        BIGINT       NOT NULL
);
-- At most one primary admin, even when two first sign-ups race.
CREATE UNIQUE INDEX users_one_primary ON users (is_primary) WHERE is_primary;
CREATE INDEX users_created_at ON users (created_at);

CREATE TABLE api_keys (
    id           VARCHAR(36)  PRIMARY KEY,
    user_id      VARCHAR(36)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         VARCHAR(255) NOT NULL,
    key_hash     VARCHAR(64)  NOT NULL UNIQUE,
    prefix       VARCHAR(16)  NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE revoked_tokens (
    jti        VARCHAR(64) PRIMARY KEY,
    expires_at BIGINT
);

CREATE TABLE app_config (
    config_key VARCHAR(255) PRIMARY KEY,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL
);
