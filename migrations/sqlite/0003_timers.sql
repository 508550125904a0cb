-- Lesson timers: the school's caps per grade, and every run a teacher starts.

-- Caps the school changed from the regulation's defaults (20/25/30 min); grade 0 stands for
-- university groups, which have no cap unless one is set here (cap_min NULL = no cap).
CREATE TABLE timer_caps (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    grade INTEGER NOT NULL CHECK (grade BETWEEN 0 AND 11),
    cap_min INTEGER CHECK (cap_min BETWEEN 1 AND 240),
    PRIMARY KEY (school_id, grade)
);

-- When students are warned before the end (minutes left).
CREATE TABLE timer_settings (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    warn_first_min INTEGER NOT NULL DEFAULT 5 CHECK (warn_first_min BETWEEN 0 AND 60),
    warn_last_min INTEGER NOT NULL DEFAULT 1 CHECK (warn_last_min BETWEEN 0 AND 60)
);

-- One run of a lesson timer. Instants in Unix milliseconds; "active" time excludes pauses.
CREATE TABLE timer_runs (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
    class_id INTEGER NOT NULL REFERENCES classes(id),
    teacher_id INTEGER NOT NULL REFERENCES users(id),
    date TEXT NOT NULL,
    cap_min INTEGER,
    planned_ms INTEGER NOT NULL CHECK (planned_ms > 0),
    started_ms INTEGER NOT NULL,
    paused_total_ms INTEGER NOT NULL DEFAULT 0,
    paused_at_ms INTEGER,
    pauses INTEGER NOT NULL DEFAULT 0,
    extensions INTEGER NOT NULL DEFAULT 0,
    ended_ms INTEGER,
    actual_ms INTEGER,
    over_cap_ms INTEGER,
    -- Bumped on every change, so a page can drop an event older than what it shows.
    version INTEGER NOT NULL DEFAULT 1
);
-- A class follows one timer at a time.
CREATE UNIQUE INDEX timer_runs_live_class ON timer_runs(class_id) WHERE ended_ms IS NULL;
CREATE INDEX timer_runs_teacher ON timer_runs(teacher_id, date);
CREATE INDEX timer_runs_class ON timer_runs(class_id, date);
