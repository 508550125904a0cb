-- A week's records and tasks join the read cache, each group with a version of its own; see
-- migrations/sqlite/0022_read_cache_weeks_and_tasks.sql.
ALTER TABLE cache_versions ADD COLUMN week_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE cache_versions ADD COLUMN tasks_version BIGINT NOT NULL DEFAULT 1;
CREATE FUNCTION sabak_bump_week_cache() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_versions SET week_version = week_version + 1 WHERE name = 'reference';
    RETURN NULL;
END
$$;
CREATE FUNCTION sabak_bump_tasks_cache() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cache_versions SET tasks_version = tasks_version + 1 WHERE name = 'reference';
    RETURN NULL;
END
$$;
CREATE TRIGGER cache_lesson_occurrences AFTER INSERT OR UPDATE OR DELETE ON lesson_occurrences
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_week_cache();
CREATE TRIGGER cache_lesson_changes AFTER INSERT OR UPDATE OR DELETE ON lesson_changes
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_week_cache();
CREATE TRIGGER cache_lesson_materials AFTER INSERT OR UPDATE OR DELETE ON lesson_materials
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_week_cache();
CREATE TRIGGER cache_assignments AFTER INSERT OR UPDATE OR DELETE ON assignments
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_tasks_cache();
CREATE TRIGGER cache_hand_ins AFTER INSERT OR UPDATE OR DELETE ON hand_ins
    FOR EACH STATEMENT EXECUTE FUNCTION sabak_bump_tasks_cache();
