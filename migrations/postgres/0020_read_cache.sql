-- The read cache (app::cache); see migrations/sqlite/0020_read_cache.sql. One statement-level
-- trigger per table: a bulk write bumps the version once, and only one row is ever locked, so
-- two writers cannot deadlock on it.
CREATE TABLE cache_versions (
    name TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO cache_versions (name, version) VALUES ('reference', 1);
CREATE FUNCTION sabak_bump_read_cache() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_versions SET version = version + 1 WHERE name = 'reference';
    RETURN NULL;
END
$$;
CREATE TRIGGER cache_schools AFTER INSERT OR UPDATE OR DELETE ON schools
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
CREATE TRIGGER cache_users AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
CREATE TRIGGER cache_role_grants AFTER INSERT OR UPDATE OR DELETE ON role_grants
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
CREATE TRIGGER cache_classes AFTER INSERT OR UPDATE OR DELETE ON classes
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
CREATE TRIGGER cache_enrolments AFTER INSERT OR UPDATE OR DELETE ON enrolments
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
CREATE TRIGGER cache_parent_links AFTER INSERT OR UPDATE OR DELETE ON parent_links
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
CREATE TRIGGER cache_subjects AFTER INSERT OR UPDATE OR DELETE ON subjects
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
CREATE TRIGGER cache_school_calendar AFTER INSERT OR UPDATE OR DELETE ON school_calendar
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
CREATE TRIGGER cache_academic_terms AFTER INSERT OR UPDATE OR DELETE ON academic_terms
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
CREATE TRIGGER cache_bell_periods AFTER INSERT OR UPDATE OR DELETE ON bell_periods
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
CREATE TRIGGER cache_lessons AFTER INSERT OR UPDATE OR DELETE ON lessons
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_read_cache();
