-- A teacher's audio answer to one lesson feedback (the regulation's "text or audio review"),
-- stored in the database so every replica serves it; the type is the one the content shows.
-- One per feedback: recording again replaces it.

CREATE TABLE feedback_answer_audio (
    feedback_id BIGINT NOT NULL PRIMARY KEY REFERENCES lesson_feedback(id) ON DELETE CASCADE,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
