-- A teacher's audio answer to one lesson feedback (the regulation's "text or audio review"),
-- stored in the database so every replica serves it; the type is the one the content shows.
-- One per feedback: recording again replaces it.

CREATE TABLE feedback_answer_audio (
    feedback_id INTEGER NOT NULL PRIMARY KEY REFERENCES lesson_feedback(id) ON DELETE CASCADE,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
