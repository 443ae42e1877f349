-- Custom models (presets over a base model) and the request log of every relayed completion.

CREATE TABLE models (
    id            VARCHAR(255) PRIMARY KEY,
    user_id       VARCHAR(36)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    base_model_id VARCHAR(255),
    name          VARCHAR(255) NOT NULL,
    params        TEXT         NOT NULL,
    meta          TEXT         NOT NULL,
    is_active     BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);

CREATE TABLE request_log (
    id                VARCHAR(36)  PRIMARY KEY,
    user_id           VARCHAR(36)  REFERENCES users (id) ON DELETE CASCADE,
    model             VARCHAR(255) NOT NULL,
    selected_model_id VARCHAR(255),
    connection        VARCHAR(64),
    path              VARCHAR(255) NOT NULL,
    stream            BOOLEAN      NOT NULL,
    request_body      TEXT         NOT NULL,
    response_body     TEXT,
    status            INTEGER      NOT NULL,
    error             TEXT,
    latency_ms        BIGINT       NOT NULL,
    ttft_ms           BIGINT,
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    total_tokens      INTEGER,
    properties        TEXT         NOT NULL,
    helicone_user_id  VARCHAR(255),
    created_at        BIGINT       NOT NULL,
    created_at_ms     BIGINT       NOT NULL
);
CREATE INDEX request_log_created ON request_log (created_at_ms, id);
CREATE INDEX request_log_user ON request_log (user_id, created_at_ms);
CREATE INDEX request_log_model ON request_log (model, created_at_ms);

-- Helicone-Property-* values, one row per key, so filters and sorts on properties use an index.
CREATE TABLE request_properties (
    request_id VARCHAR(36)  NOT NULL REFERENCES request_log (id) ON DELETE CASCADE,
    prop_key   VARCHAR(255) NOT NULL,
    value      TEXT         NOT NULL,
    PRIMARY KEY (request_id, prop_key)
);
CREATE INDEX request_properties_key ON request_properties (prop_key, value);

-- Helicone scores: the last value written for a key wins (the previous ones stay in feedback history).
CREATE TABLE request_scores (
    request_id VARCHAR(36)  NOT NULL REFERENCES request_log (id) ON DELETE CASCADE,
    score_key  VARCHAR(255) NOT NULL,
    value      DOUBLE PRECISION NOT NULL,
    value_type VARCHAR(16)  NOT NULL,
    updated_at BIGINT       NOT NULL,
    PRIMARY KEY (request_id, score_key)
);

-- Feedback given through the Helicone and Cohere dialects points at the logged request it rates.
ALTER TABLE feedback ADD COLUMN request_id VARCHAR(36);
CREATE INDEX feedback_request ON feedback (request_id, user_id);
