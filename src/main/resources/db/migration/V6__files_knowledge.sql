-- Uploaded files (the bytes live in the file storage, the extracted text here) and knowledge collections.

CREATE TABLE files (
    id           VARCHAR(36)  PRIMARY KEY,
    user_id      VARCHAR(36)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    filename     VARCHAR(255) NOT NULL,
    storage_key  VARCHAR(512) NOT NULL,
    content_type VARCHAR(255) NOT NULL,
    size         BIGINT       NOT NULL,
    hash         VARCHAR(64)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    error        TEXT,
    content      TEXT,
    meta         TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    updated_at   BIGINT       NOT NULL
);
CREATE INDEX files_user ON files (user_id, created_at);
CREATE INDEX files_status ON files (status);

CREATE TABLE knowledge (
    id          VARCHAR(36)  PRIMARY KEY,
    user_id     VARCHAR(36)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        VARCHAR(255) NOT NULL,
    description TEXT         NOT NULL,
    meta        TEXT         NOT NULL,
    created_at  BIGINT       NOT NULL,
    updated_at  BIGINT       NOT NULL
);
CREATE INDEX knowledge_user ON knowledge (user_id, updated_at);

CREATE TABLE knowledge_files (
    knowledge_id VARCHAR(36) NOT NULL REFERENCES knowledge (id) ON DELETE CASCADE,
    file_id      VARCHAR(36) NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    created_at   BIGINT      NOT NULL,
    PRIMARY KEY (knowledge_id, file_id)
);
CREATE INDEX knowledge_files_file ON knowledge_files (file_id);
