-- Hand-written. dandisets.star_count is moved by the rows a statement really
-- inserted or deleted, instead of being recounted. A recount ran in a snapshot
-- taken before it waited for the dandiset row, so a star and an unstar of the
-- same dandiset committing together could leave a count that no longer matched
-- dandiset_stars, while an increment is re-applied to the latest row after the wait.
-- (Stars are now inserted with ON CONFLICT DO NOTHING, so new_rows and old_rows
-- hold only real changes.) Semicolons in function bodies are E-string octal
-- escapes (the migration runner splits at semicolons).
CREATE OR REPLACE FUNCTION dandi_stars_inserted() RETURNS trigger
  LANGUAGE plpgsql AS E'BEGIN UPDATE dandisets d SET star_count = d.star_count + c.n FROM (SELECT dandiset_id, count(*)::integer AS n FROM new_rows GROUP BY dandiset_id) AS c WHERE d.id = c.dandiset_id\073 RETURN NULL\073 END';
CREATE OR REPLACE FUNCTION dandi_stars_deleted() RETURNS trigger
  LANGUAGE plpgsql AS E'BEGIN UPDATE dandisets d SET star_count = d.star_count - c.n FROM (SELECT dandiset_id, count(*)::integer AS n FROM old_rows GROUP BY dandiset_id) AS c WHERE d.id = c.dandiset_id\073 RETURN NULL\073 END';

-- Counts a past race left wrong are recounted once.
SELECT dandi_refresh_star_counts(ARRAY(
  SELECT d.id FROM dandisets d
  WHERE d.star_count <> (SELECT count(*) FROM dandiset_stars s WHERE s.dandiset_id = d.id)));
