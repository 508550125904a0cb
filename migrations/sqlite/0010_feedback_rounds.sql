-- Feedback rounds: a short form (rating, choice and text questions) that an admin opens for the
-- whole school, or a teacher for a class, between two dates, optionally repeating every N days
-- (the ministry asks for feedback with all students every 2-3 weeks). Each repetition is a
-- cycle; a student answers once per cycle (editable while it is open). Answers carry the student
-- only to count who has not answered: results are shown without names.

CREATE TABLE feedback_rounds (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    -- NULL: every student of the school.
    class_id INTEGER REFERENCES classes(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    repeat_days INTEGER NOT NULL DEFAULT 0 CHECK (repeat_days >= 0),
    stopped INTEGER NOT NULL DEFAULT 0 CHECK (stopped IN (0, 1)),
    created_at INTEGER NOT NULL
);
CREATE INDEX feedback_rounds_class ON feedback_rounds(class_id);

CREATE TABLE round_questions (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES feedback_rounds(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rating', 'choice', 'text')),
    prompt TEXT NOT NULL,
    -- The options of a choice question, one per line.
    choices TEXT NOT NULL DEFAULT '',
    UNIQUE (round_id, position)
);

CREATE TABLE round_responses (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES feedback_rounds(id) ON DELETE CASCADE,
    cycle INTEGER NOT NULL,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    answered_at INTEGER NOT NULL,
    UNIQUE (round_id, cycle, student_id)
);

CREATE TABLE round_answers (
    response_id INTEGER NOT NULL REFERENCES round_responses(id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES round_questions(id) ON DELETE CASCADE,
    -- A rating 1-5, a choice's position (0-based), or the text.
    value TEXT NOT NULL,
    PRIMARY KEY (response_id, question_id)
);

-- Who was reminded in which cycle (students see the reminder on their feedback page).
CREATE TABLE round_reminders (
    round_id INTEGER NOT NULL REFERENCES feedback_rounds(id) ON DELETE CASCADE,
    cycle INTEGER NOT NULL,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    PRIMARY KEY (round_id, cycle, student_id)
);
