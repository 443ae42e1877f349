-- Feedback lists at scale: every list order gets an index ending in id (the last tie-break), so a page's ids
-- come from the index alone and deep OFFSETs skip index entries rather than rows.
-- ${nullsFirst} is " NULLS FIRST" on PostgreSQL (whose B-trees put NULLs last, while lists sort missing values
-- lowest) and empty on SQLite, where NULLs sort first anyway and CREATE INDEX does not accept the clause.

-- The author's name, copied here so order_by=username has an index (UserStore.update keeps it in step).
ALTER TABLE feedback ADD COLUMN user_name VARCHAR(255);
UPDATE feedback SET user_name = u.name FROM users u WHERE u.id = feedback.user_id;

DROP INDEX feedback_model;
DROP INDEX feedback_rating;
DROP INDEX feedback_user;
DROP INDEX feedback_type;
CREATE INDEX feedback_model ON feedback (model_id${nullsFirst}, created_at, id);
CREATE INDEX feedback_rating ON feedback (rating_num${nullsFirst}, created_at, id);
CREATE INDEX feedback_model_rating ON feedback (model_id, rating_num${nullsFirst}, created_at, id);
CREATE INDEX feedback_user ON feedback (user_id, created_at, id);
CREATE INDEX feedback_type ON feedback (type, created_at, id);
CREATE INDEX feedback_user_name ON feedback (user_name, created_at, id);

-- Leaderboards read votes and tag counts without touching feedback rows: sibling and tag rows carry a copy of
-- their feedback's model_id, rating and created_at (written with them; an update rewrites them).
ALTER TABLE feedback_siblings ADD COLUMN feedback_model_id VARCHAR(255);
ALTER TABLE feedback_siblings ADD COLUMN feedback_rating VARCHAR(32);
ALTER TABLE feedback_siblings ADD COLUMN feedback_created_at BIGINT;
UPDATE feedback_siblings SET feedback_model_id = f.model_id, feedback_rating = f.rating, feedback_created_at = f.created_at
FROM feedback f WHERE f.id = feedback_siblings.feedback_id;
CREATE INDEX feedback_siblings_votes ON feedback_siblings (feedback_created_at, feedback_id, position, feedback_rating,
                                                           feedback_model_id, model_id);

ALTER TABLE feedback_tags ADD COLUMN feedback_model_id VARCHAR(255);
ALTER TABLE feedback_tags ADD COLUMN feedback_created_at BIGINT;
UPDATE feedback_tags SET feedback_model_id = f.model_id, feedback_created_at = f.created_at
FROM feedback f WHERE f.id = feedback_tags.feedback_id;
CREATE INDEX feedback_tags_model ON feedback_tags (feedback_model_id, tag, feedback_created_at);
