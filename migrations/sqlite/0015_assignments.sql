-- Self-study tasks (the School No. 94 regulation, 4.2-4.7): a teacher gives a task to a class
-- they teach, students hand it in (every version kept), the teacher reviews each hand-in and
-- either accepts it (with a positive grade, which is the journal) or returns it for rework.

CREATE TABLE assignments (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    class_id INTEGER NOT NULL REFERENCES classes(id),
    subject_id INTEGER NOT NULL REFERENCES subjects(id),
    teacher_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    instructions TEXT NOT NULL DEFAULT '',
    link TEXT,
    form TEXT NOT NULL CHECK (form IN ('self_study', 'test', 'practical', 'lab', 'essay', 'project')),
    due_at INTEGER NOT NULL,
    graded INTEGER NOT NULL DEFAULT 1,
    withdrawn_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX assignments_class ON assignments(class_id, due_at);
CREATE INDEX assignments_teacher ON assignments(teacher_id, due_at);

CREATE TABLE hand_ins (
    id INTEGER PRIMARY KEY,
    assignment_id INTEGER NOT NULL REFERENCES assignments(id),
    student_id INTEGER NOT NULL REFERENCES users(id),
    version INTEGER NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    handed_in_at INTEGER NOT NULL,
    late INTEGER NOT NULL,
    verdict TEXT CHECK (verdict IN ('accepted', 'returned')),
    review TEXT,
    -- Only an accepted work carries a grade, and only a positive one (the rules check it first).
    grade INTEGER CHECK (grade BETWEEN 3 AND 5),
    reviewed_by INTEGER REFERENCES users(id),
    reviewed_at INTEGER,
    UNIQUE (assignment_id, student_id, version),
    CHECK (grade IS NULL OR verdict = 'accepted')
);
CREATE INDEX hand_ins_student ON hand_ins(student_id, assignment_id);
