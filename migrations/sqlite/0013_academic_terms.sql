-- The school year's terms: four quarters for school classes, two semesters (autumn, spring) for
-- university groups. Lessons run only inside a term of their class's kind; the days between are
-- holidays. A kind with no rows is taught every week from the first day of the year.
CREATE TABLE academic_terms (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL CHECK (kind IN ('quarter', 'semester')),
    number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 4),
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    CHECK (starts <= ends),
    UNIQUE (school_id, kind, number)
);
