-- Feedback lists at scale: every list order gets an index ending in id (the last tie-break), so a page's ids
-- come from the index alone and deep OFFSETs skip index entries rather than rows.
-- ${nullsFirst} is " NULLS FIRST" on PostgreSQL (whose B-trees put NULLs last, while lists sort missing values
-- lowest) and empty on SQLite, where NULLs sort first anyway and CREATE INDEX does not accept the clause.

-- The author's name, copied here so order_by=username has an index (UserStore.update keeps it in step).
ALTER TABLE feedback ADD COLUMN user_name VARCHAR(255);
UPDATE feedback SET user_name = (SELECT u.name FROM users u WHERE u.id = feedback.user_id);

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
