-- The contest "Best lesson in distance learning": editions with dated phases, nominations and
-- criteria, applications, the expert council, conflicts, assignments, evaluations, frozen results.
-- Dates are ISO 'YYYY-MM-DD' (Bishkek calendar days), instants unix seconds.

CREATE TABLE contest_editions (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    title TEXT NOT NULL,
    apply_opens TEXT NOT NULL,
    apply_closes TEXT NOT NULL,
    experts_by TEXT NOT NULL,
    judging_opens TEXT NOT NULL,
    judging_closes TEXT NOT NULL,
    announce_on TEXT NOT NULL,
    awards_from TEXT NOT NULL,
    awards_until TEXT NOT NULL,
    -- The regulation's numbers, each a setting of the edition.
    min_experts INTEGER NOT NULL DEFAULT 3 CHECK (min_experts BETWEEN 1 AND 20),
    experts_per_nomination INTEGER NOT NULL DEFAULT 5 CHECK (experts_per_nomination BETWEEN 1 AND 50),
    spread_limit INTEGER NOT NULL DEFAULT 10 CHECK (spread_limit >= 0),
    created_at INTEGER NOT NULL
);

CREATE TABLE contest_nominations (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES contest_editions(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title_ky TEXT NOT NULL,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    -- The video nomination asks for a video link.
    needs_video INTEGER NOT NULL DEFAULT 0 CHECK (needs_video IN (0, 1)),
    UNIQUE (edition_id, position)
);

CREATE TABLE contest_criteria (
    id INTEGER PRIMARY KEY,
    nomination_id INTEGER NOT NULL REFERENCES contest_nominations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title_ky TEXT NOT NULL,
    title_ru TEXT NOT NULL,
    title_en TEXT NOT NULL,
    UNIQUE (nomination_id, position)
);

-- Appendix 1 of the regulation: one application per person per nomination.
CREATE TABLE contest_applications (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES contest_editions(id) ON DELETE CASCADE,
    nomination_id INTEGER NOT NULL REFERENCES contest_nominations(id),
    applicant_id INTEGER NOT NULL REFERENCES users(id),
    faculty TEXT NOT NULL,
    department TEXT NOT NULL,
    position TEXT NOT NULL,
    full_name TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL,
    social_link TEXT,
    lesson_title TEXT NOT NULL,
    plan_link TEXT NOT NULL,
    video_link TEXT,
    signed_on TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (nomination_id, applicant_id)
);
CREATE INDEX contest_applications_edition ON contest_applications(edition_id, nomination_id);

-- The council: an expert of one nomination, with the department used for obvious conflicts.
CREATE TABLE contest_experts (
    edition_id INTEGER NOT NULL REFERENCES contest_editions(id) ON DELETE CASCADE,
    nomination_id INTEGER NOT NULL REFERENCES contest_nominations(id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES users(id),
    department TEXT NOT NULL DEFAULT '',
    appointed_at INTEGER NOT NULL,
    PRIMARY KEY (nomination_id, expert_id)
);
CREATE INDEX contest_experts_expert ON contest_experts(expert_id);

-- Conflicts of interest: declared by the expert or set by the organiser. application_id 0 bars
-- the expert from the whole contest.
CREATE TABLE contest_conflicts (
    edition_id INTEGER NOT NULL REFERENCES contest_editions(id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES users(id),
    application_id INTEGER NOT NULL,
    reason TEXT NOT NULL,
    set_by INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    PRIMARY KEY (edition_id, expert_id, application_id)
);

CREATE TABLE contest_assignments (
    application_id INTEGER NOT NULL REFERENCES contest_applications(id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES users(id),
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (application_id, expert_id)
);
CREATE INDEX contest_assignments_expert ON contest_assignments(expert_id);

-- One expert's evaluation of one entry: a draft until submitted, then locked.
CREATE TABLE contest_evaluations (
    id INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES contest_applications(id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES users(id),
    submitted_at INTEGER,
    updated_at INTEGER NOT NULL,
    UNIQUE (application_id, expert_id)
);

-- The protocol: one row per criterion of an evaluation (score NULL while a draft leaves it blank).
CREATE TABLE contest_scores (
    evaluation_id INTEGER NOT NULL REFERENCES contest_evaluations(id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES contest_criteria(id),
    score INTEGER CHECK (score BETWEEN 0 AND 5),
    comment TEXT NOT NULL DEFAULT '',
    at INTEGER NOT NULL,
    PRIMARY KEY (evaluation_id, criterion_id)
);

-- The results as frozen when judging closed, with the SHA-256 of the snapshot.
CREATE TABLE contest_results (
    edition_id INTEGER PRIMARY KEY REFERENCES contest_editions(id) ON DELETE CASCADE,
    snapshot TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    frozen_at INTEGER NOT NULL
);
