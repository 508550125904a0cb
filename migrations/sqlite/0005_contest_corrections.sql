-- Corrections of frozen contest results (the organiser's, each with a reason and the
-- fingerprints before and after), and the applicant's consent to show their Sabak lessons
-- (timer compliance, attendance) to the experts as evidence.

CREATE TABLE contest_corrections (
    id INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES contest_editions(id) ON DELETE CASCADE,
    application_id INTEGER NOT NULL REFERENCES contest_applications(id) ON DELETE CASCADE,
    expert_id INTEGER NOT NULL REFERENCES users(id),
    criterion_id INTEGER NOT NULL REFERENCES contest_criteria(id),
    old_score INTEGER,
    new_score INTEGER NOT NULL CHECK (new_score BETWEEN 0 AND 5),
    reason TEXT NOT NULL,
    corrected_by INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    sha256_before TEXT NOT NULL,
    sha256_after TEXT NOT NULL
);
CREATE INDEX contest_corrections_edition ON contest_corrections(edition_id, at);

ALTER TABLE contest_applications ADD COLUMN share_evidence INTEGER NOT NULL DEFAULT 0 CHECK (share_evidence IN (0, 1));
