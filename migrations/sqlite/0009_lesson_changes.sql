-- A change to one lesson on one date: cancelled, taught by a substitute, or moved to another
-- period of that day. Students and parents see it highlighted on that date; a change made after
-- 18:00 for the next day also reaches the class's parents as a notice.

CREATE TABLE lesson_changes (
    lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('cancelled', 'substitute', 'moved')),
    substitute_id INTEGER REFERENCES users(id),
    moved_to INTEGER CHECK (moved_to BETWEEN 1 AND 12),
    note TEXT NOT NULL DEFAULT '',
    set_by INTEGER NOT NULL REFERENCES users(id),
    set_at INTEGER NOT NULL,
    PRIMARY KEY (lesson_id, date)
);
CREATE INDEX lesson_changes_date ON lesson_changes(date);
CREATE INDEX lesson_changes_substitute ON lesson_changes(substitute_id, date);
