-- Leaderboards replay an in-memory log of feedback (loaded with one full scan of feedback, feedback_siblings and
-- feedback_tags), so the indexes V3 and V5 added for leaderboard queries over sibling and tag rows are no longer
-- read; each one cost every feedback create and edit an index insertion per sibling or tag.
DROP INDEX feedback_siblings_votes;
DROP INDEX feedback_tags_model;
DROP INDEX feedback_tags_tag;
