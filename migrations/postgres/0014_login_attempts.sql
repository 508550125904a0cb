-- Login and join-code attempts per key ('login:<name>' or 'ip:<addr>') in a fixed window. One row
-- a key, counted with a single upsert, so that the count and the check are one atomic step on
-- both engines (the old table counted failures after the fact: 40 parallel guesses got 32 tries).
CREATE TABLE login_attempts (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    attempts BIGINT NOT NULL
);
DROP TABLE login_failures;
