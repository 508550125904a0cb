-- The grades a school counts as a positive result of independent work: only those are given
-- when work is accepted, and only those reach the journal (the regulation, 4.2, 4.3, 4.5).
-- Kept as the lowest of them (up to 5); a school without a row counts 3, 4 and 5.
CREATE TABLE grading_settings (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    lowest_positive INTEGER NOT NULL DEFAULT 3 CHECK (lowest_positive BETWEEN 3 AND 5)
);
