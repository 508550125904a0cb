-- The regulation's other schedules, shown like the timetable: TV lessons that state channels
-- broadcast (channel, date, time, grades, subject, topic), the administration's duty rota
-- (weekday, person, hours) and the days each methodical association works in the building.

CREATE TABLE tv_lessons (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    channel TEXT NOT NULL,
    date TEXT NOT NULL,
    starts_min INTEGER NOT NULL,
    ends_min INTEGER NOT NULL,
    grade_from INTEGER NOT NULL CHECK (grade_from BETWEEN 1 AND 11),
    grade_to INTEGER NOT NULL CHECK (grade_to BETWEEN 1 AND 11),
    subject TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX tv_lessons_date ON tv_lessons(date);

CREATE TABLE duty_rota (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 5),
    person_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    starts_min INTEGER NOT NULL,
    ends_min INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE methodical_days (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    association TEXT NOT NULL,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 5),
    starts_min INTEGER NOT NULL,
    ends_min INTEGER NOT NULL,
    room TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
