-- Conversations. The whole conversation JSON is one TEXT value, returned as stored (no re-serialisation).

CREATE TABLE chats (
    id         VARCHAR(36)  PRIMARY KEY,
    user_id    VARCHAR(36)  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title      TEXT         NOT NULL,
    chat       TEXT         NOT NULL,
    share_id   VARCHAR(36)  UNIQUE,
    archived   BOOLEAN      NOT NULL DEFAULT FALSE,
    pinned     BOOLEAN      NOT NULL DEFAULT FALSE,
    folder_id  VARCHAR(36),
    created_at BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL
);
CREATE INDEX chats_user_updated ON chats (user_id, archived, updated_at);
CREATE INDEX chats_user_pinned ON chats (user_id, pinned);

-- Tags per chat; the tag id is the name lower-cased with spaces as underscores (Open WebUI's rule).
CREATE TABLE chat_tags (
    chat_id    VARCHAR(36)  NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    tag_id     VARCHAR(255) NOT NULL,
    name       VARCHAR(255) NOT NULL,
    user_id    VARCHAR(36)  NOT NULL,
    created_at BIGINT       NOT NULL,
    PRIMARY KEY (chat_id, tag_id)
);
CREATE INDEX chat_tags_user_tag ON chat_tags (user_id, tag_id);

-- A shared chat is a snapshot taken at share time; sharing again refreshes it.
CREATE TABLE shared_chats (
    id         VARCHAR(36) PRIMARY KEY,
    chat_id    VARCHAR(36) NOT NULL UNIQUE REFERENCES chats (id) ON DELETE CASCADE,
    user_id    VARCHAR(36) NOT NULL,
    title      TEXT        NOT NULL,
    chat       TEXT        NOT NULL,
    created_at BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);
