-- Names in Kyrgyz alphabet order (Ө after О, Ү after У), which no database collation gives:
-- the key is written with the name (accounts::rules::sort_key); rows from before are filled at
-- start-up by Db::migrate.
ALTER TABLE users ADD COLUMN sort_key TEXT NOT NULL DEFAULT '';
CREATE INDEX users_sort_key ON users (sort_key, id);
