-- Usernames are public (owner lists, user search, the web app), e-mail addresses are not.
-- Local accounts used to take their e-mail as username: each one gets a username made
-- from the local part of the e-mail (the rule of packages/core/src/users/make-username.ts),
-- with -<user id> appended when another user holds it. Data only, no schema change.
WITH c AS (
  SELECT id,
    left(coalesce(nullif(btrim(regexp_replace(lower(split_part(username, '@', 1)), '[^a-z0-9._-]+', '-', 'g'), '-.'), ''), 'user'), 30) AS base
  FROM users
  WHERE position('@' IN username) > 0
), r AS (
  SELECT id, base, row_number() OVER (PARTITION BY base ORDER BY id) AS n FROM c
)
UPDATE users u
SET username = CASE
  WHEN r.n = 1 AND NOT EXISTS (
    SELECT 1 FROM users o WHERE lower(o.username) = r.base AND position('@' IN o.username) = 0
  ) THEN r.base
  ELSE r.base || '-' || u.id
END
FROM r
WHERE u.id = r.id;
