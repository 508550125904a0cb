-- Files a teacher gives for one lesson on one date (a PDF or an image), as the ministry's
-- instruction asks beside the link. Stored in the database so every replica serves them; the
-- type is the one the content shows (checked on upload), never the file name's.

CREATE TABLE lesson_materials (
    id INTEGER PRIMARY KEY,
    lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    file_name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    uploaded_by INTEGER NOT NULL REFERENCES users(id),
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX lesson_materials_occurrence ON lesson_materials(lesson_id, date);
