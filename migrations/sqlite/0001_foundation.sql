-- Foundation: schools, people, roles, classes and groups, sessions, join codes, audit.
-- Ids are 64-bit integers, flags 0/1 integers, instants unix seconds: the same in PostgreSQL.

CREATE TABLE schools (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'school' CHECK (kind IN ('school', 'university', 'both')),
    created_at INTEGER NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    login TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    -- full name and login lower-cased by the application (SQLite's LOWER() is ASCII-only)
    search_text TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'ky' CHECK (language IN ('ky', 'ru', 'en')),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    email TEXT,
    phone TEXT,
    created_at INTEGER NOT NULL
);

-- scope_kind/scope_id narrow a grant (e.g. an expert of one nomination); 'school'/0 = everywhere.
CREATE TABLE role_grants (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'organiser', 'teacher', 'student', 'parent', 'expert')),
    scope_kind TEXT NOT NULL DEFAULT 'school',
    scope_id INTEGER NOT NULL DEFAULT 0,
    UNIQUE (user_id, role, scope_kind, scope_id)
);
CREATE INDEX role_grants_role ON role_grants(role, user_id);

-- A school class (grade + letter) or a university academic group (faculty, course, name).
CREATE TABLE classes (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL CHECK (kind IN ('class', 'group')),
    name TEXT NOT NULL,
    grade INTEGER CHECK (grade BETWEEN 1 AND 11),
    letter TEXT,
    faculty TEXT,
    course INTEGER CHECK (course BETWEEN 1 AND 6),
    class_teacher_id INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    UNIQUE (school_id, name)
);
-- A teacher leads at most one class.
CREATE UNIQUE INDEX classes_one_per_teacher ON classes(class_teacher_id);

CREATE TABLE enrolments (
    student_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    class_id INTEGER NOT NULL REFERENCES classes(id),
    since INTEGER NOT NULL
);
CREATE INDEX enrolments_class ON enrolments(class_id);

CREATE TABLE parent_links (
    parent_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (parent_id, student_id)
);
CREATE INDEX parent_links_student ON parent_links(student_id);

CREATE TABLE subjects (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    name_ky TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    UNIQUE (school_id, name_ky)
);

CREATE TABLE teacher_subjects (
    teacher_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    subject_id INTEGER NOT NULL REFERENCES subjects(id) ON DELETE CASCADE,
    PRIMARY KEY (teacher_id, subject_id)
);

-- Server-side sessions (tower-sessions records as JSON), shared by every replica.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed logins per key ('login:<name>' or 'ip:<addr>') for throttling across replicas.
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);

-- One-time codes with which a parent registers and is linked to a child. Only a hash is kept.
CREATE TABLE join_codes (
    id INTEGER PRIMARY KEY,
    code_hash TEXT NOT NULL UNIQUE,
    student_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_by INTEGER REFERENCES users(id),
    used_at INTEGER
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
