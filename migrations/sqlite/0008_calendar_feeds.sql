-- Secret calendar (iCal) addresses: a person subscribes their phone's calendar to their class's
-- or their own lessons. The token is the whole secret of the address; a new one replaces
-- (revokes) the old, and it can be turned off.

CREATE TABLE calendar_feeds (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('class', 'teacher')),
    target_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX calendar_feeds_owner ON calendar_feeds(user_id, kind, target_id);
