-- Students' feedback on lessons (one per student per lesson occurrence, optionally anonymous to
-- the teacher), the teacher's answer, and the teacher's attendance marks (a Join counts as
-- present until the teacher marks otherwise).

CREATE TABLE lesson_feedback (
    id INTEGER PRIMARY KEY,
    lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    class_id INTEGER NOT NULL REFERENCES classes(id),
    teacher_id INTEGER NOT NULL REFERENCES users(id),
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    clear_text TEXT NOT NULL DEFAULT '',
    unclear_text TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    answer TEXT,
    answered_at INTEGER,
    UNIQUE (lesson_id, date, student_id)
);
CREATE INDEX lesson_feedback_teacher ON lesson_feedback(teacher_id, date);
CREATE INDEX lesson_feedback_student ON lesson_feedback(student_id, date);

CREATE TABLE attendance_marks (
    lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('present', 'late', 'absent', 'excused')),
    set_by INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    PRIMARY KEY (lesson_id, date, student_id)
);
