-- Feedback on model responses (Open WebUI's evaluations API), with the fields people filter and rank by
-- stored in columns so lists, filters and leaderboards never parse the JSON of every row.

CREATE TABLE feedback (
    id          VARCHAR(36) PRIMARY KEY,
    user_id     VARCHAR(36) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type        VARCHAR(64) NOT NULL,
    data        TEXT        NOT NULL,
    meta        TEXT,
    snapshot    TEXT,
    version     BIGINT      NOT NULL DEFAULT 0,
    model_id    VARCHAR(255),
    -- str(data.rating) as Open WebUI compares it ("1", "-1", "7"), and its numeric value for ordering.
    rating      VARCHAR(32),
    rating_num  DOUBLE PRECISION,
    created_at  BIGINT      NOT NULL,
    updated_at  BIGINT      NOT NULL
);
CREATE INDEX feedback_created ON feedback (created_at, id);
CREATE INDEX feedback_updated ON feedback (updated_at, id);
CREATE INDEX feedback_model ON feedback (model_id, created_at);
CREATE INDEX feedback_user ON feedback (user_id, created_at);
CREATE INDEX feedback_rating ON feedback (rating_num, created_at);
CREATE INDEX feedback_type ON feedback (type, created_at);

-- data.sibling_model_ids in order (the opponents of an Elo update).
CREATE TABLE feedback_siblings (
    feedback_id VARCHAR(36)  NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    position    INTEGER      NOT NULL,
    model_id    VARCHAR(255) NOT NULL,
    PRIMARY KEY (feedback_id, position)
);

-- data.tags, distinct per feedback.
CREATE TABLE feedback_tags (
    feedback_id VARCHAR(36)  NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    tag         VARCHAR(255) NOT NULL,
    position    INTEGER      NOT NULL,
    PRIMARY KEY (feedback_id, tag)
);
CREATE INDEX feedback_tags_tag ON feedback_tags (tag);

-- Every earlier version of a feedback: an update never loses what it replaced.
CREATE TABLE feedback_versions (
    feedback_id VARCHAR(36) NOT NULL REFERENCES feedback (id) ON DELETE CASCADE,
    version     BIGINT      NOT NULL,
    type        VARCHAR(64) NOT NULL,
    data        TEXT        NOT NULL,
    meta        TEXT,
    snapshot    TEXT,
    updated_at  BIGINT      NOT NULL,
    replaced_at BIGINT      NOT NULL,
    PRIMARY KEY (feedback_id, version)
);
