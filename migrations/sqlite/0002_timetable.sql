-- Timetable: the school year, bell schedules, weekly lessons and each lesson's dated link/topic.

-- One row per school: the first day of the school year (teaching week 1 holds it) and which bell
-- schedule variant is in force ('distance' keeps lessons within the grade caps).
CREATE TABLE school_calendar (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    year_start TEXT NOT NULL,
    bell_variant TEXT NOT NULL DEFAULT 'distance' CHECK (bell_variant IN ('regular', 'distance')),
    saturday INTEGER NOT NULL DEFAULT 0 CHECK (saturday IN (0, 1))
);

-- Periods in minutes since midnight, Bishkek time.
CREATE TABLE bell_periods (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    variant TEXT NOT NULL CHECK (variant IN ('regular', 'distance')),
    number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 12),
    starts_min INTEGER NOT NULL CHECK (starts_min BETWEEN 0 AND 1439),
    ends_min INTEGER NOT NULL CHECK (ends_min BETWEEN 1 AND 1440),
    CHECK (starts_min < ends_min),
    UNIQUE (school_id, variant, number)
);

CREATE TABLE lessons (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    class_id INTEGER NOT NULL REFERENCES classes(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 5),
    period INTEGER NOT NULL CHECK (period BETWEEN 1 AND 12),
    subject_id INTEGER NOT NULL REFERENCES subjects(id),
    teacher_id INTEGER NOT NULL REFERENCES users(id),
    form TEXT NOT NULL DEFAULT 'lecture',
    mode TEXT NOT NULL DEFAULT 'online' CHECK (mode IN ('online', 'in_school', 'tv')),
    room TEXT,
    weeks TEXT NOT NULL DEFAULT 'all',
    created_at INTEGER NOT NULL
);
CREATE INDEX lessons_class_day ON lessons(class_id, weekday);
CREATE INDEX lessons_teacher_day ON lessons(teacher_id, weekday);

-- What the teacher gives for one lesson on one date: the link and/or the topic of that week.
CREATE TABLE lesson_occurrences (
    lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    link TEXT,
    topic TEXT,
    updated_by INTEGER REFERENCES users(id),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (lesson_id, date)
);

-- A student's tap on "Join" (turned into attendance by the feedback feature).
CREATE TABLE lesson_joins (
    lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    PRIMARY KEY (lesson_id, date, student_id)
);
