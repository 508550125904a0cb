//! Pure account rules: input checks, class names, join codes, throttling. No I/O here.

use crate::error::{Field, Reason, RowError};

pub const LOGIN_MIN: usize = 3;
pub const LOGIN_MAX: usize = 32;
pub const NAME_MAX: usize = 100;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
/// Failed logins allowed per account / per address inside the window.
pub const ACCOUNT_FAILURES_ALLOWED: i64 = 5;
pub const IP_FAILURES_ALLOWED: i64 = 30;
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;
pub const JOIN_CODE_LEN: usize = 8;
pub const JOIN_CODE_DAYS: i64 = 14;
pub const IMPORT_MAX_ROWS: usize = 5_000;
/// Letters and digits that cannot be mistaken for each other when read aloud or typed on a phone.
pub const JOIN_CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Logins are lower-case latin letters, digits, dot, dash and underscore, 3-32 long.
pub fn normalize_login(raw: &str) -> Result<String, Reason> {
    let login = raw.trim().to_lowercase();
    if login.is_empty() {
        return Err(Reason::Empty);
    }
    if login.chars().count() < LOGIN_MIN {
        return Err(Reason::TooShort);
    }
    if login.chars().count() > LOGIN_MAX {
        return Err(Reason::TooLong);
    }
    let ok_char =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_');
    let starts_well = login
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    if !starts_well || !login.chars().all(ok_char) {
        return Err(Reason::BadFormat);
    }
    Ok(login)
}

/// A person's name: trimmed, inner spaces folded, 2-100 characters, no control characters.
pub fn normalize_full_name(raw: &str) -> Result<String, Reason> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(Reason::Empty);
    }
    if name.chars().any(char::is_control) {
        return Err(Reason::BadFormat);
    }
    match name.chars().count() {
        n if n < 2 => Err(Reason::TooShort),
        n if n > NAME_MAX => Err(Reason::TooLong),
        _ => Ok(name),
    }
}

pub fn check_password(raw: &str) -> Result<(), Reason> {
    match raw.chars().count() {
        0 => Err(Reason::Empty),
        n if n < PASSWORD_MIN => Err(Reason::TooShort),
        n if n > PASSWORD_MAX => Err(Reason::TooLong),
        _ => Ok(()),
    }
}

/// Optional e-mail: empty means none; otherwise one `@` with a dotted domain.
pub fn normalize_email(raw: &str) -> Result<Option<String>, Reason> {
    let email = raw.trim();
    if email.is_empty() {
        return Ok(None);
    }
    if email.len() > 254 {
        return Err(Reason::TooLong);
    }
    let mut parts = email.split('@');
    let (local, domain) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let valid = parts.next().is_none()
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control());
    if valid {
        Ok(Some(email.to_string()))
    } else {
        Err(Reason::BadFormat)
    }
}

/// Optional phone: empty means none; otherwise `+`, digits, spaces, dashes, brackets; 7-15 digits.
pub fn normalize_phone(raw: &str) -> Result<Option<String>, Reason> {
    let phone = raw.trim();
    if phone.is_empty() {
        return Ok(None);
    }
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if allowed && (7..=15).contains(&digits) {
        Ok(Some(phone.to_string()))
    } else {
        Err(Reason::BadFormat)
    }
}

/// A school class is a grade (1-11) and one letter: "5А", "5 а", "11-Б" all mean the same class.
pub fn parse_class_name(raw: &str) -> Result<(i64, String), (Field, Reason)> {
    let text: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if text.is_empty() {
        return Err((Field::Class, Reason::Empty));
    }
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let rest: String = text.chars().skip(digits.chars().count()).collect();
    let grade: i64 = digits
        .parse()
        .map_err(|_| (Field::Grade, Reason::BadFormat))?;
    let letter = normalize_class_letter(&rest)?;
    check_grade(grade)?;
    Ok((grade, letter))
}

pub fn check_grade(grade: i64) -> Result<(), (Field, Reason)> {
    if (1..=11).contains(&grade) {
        Ok(())
    } else {
        Err((Field::Grade, Reason::OutOfRange))
    }
}

pub fn normalize_class_letter(raw: &str) -> Result<String, (Field, Reason)> {
    let mut chars = raw.trim().chars();
    match (chars.next(), chars.next()) {
        (None, _) => Err((Field::Letter, Reason::Empty)),
        (Some(c), None) if c.is_alphabetic() => Ok(c.to_uppercase().collect()),
        _ => Err((Field::Letter, Reason::BadFormat)),
    }
}

pub fn class_display_name(grade: i64, letter: &str) -> String {
    format!("{grade}{letter}")
}

/// University academic groups: a faculty, a course (year 1-6) and a short group name.
pub fn normalize_group(
    faculty: &str,
    course: i64,
    name: &str,
) -> Result<(String, i64, String), (Field, Reason)> {
    let faculty = normalize_full_name(faculty).map_err(|r| (Field::Faculty, r))?;
    if !(1..=6).contains(&course) {
        return Err((Field::Course, Reason::OutOfRange));
    }
    let name = name.trim().to_string();
    match name.chars().count() {
        0 => Err((Field::GroupName, Reason::Empty)),
        n if n > 40 => Err((Field::GroupName, Reason::TooLong)),
        _ if name.chars().any(char::is_control) => Err((Field::GroupName, Reason::BadFormat)),
        _ => Ok((faculty, course, name)),
    }
}

/// What people search by: name and login, lower-cased for every alphabet (Ң, Ө, Ү included).
pub fn search_text(full_name: &str, login: &str) -> String {
    format!("{} {}", full_name.to_lowercase(), login.to_lowercase())
}

/// [`name_key`] as text that sorts the same byte by byte (six hex digits a letter), so that the
/// database can order and page people by it in any collation.
pub fn sort_key(full_name: &str) -> String {
    name_key(full_name)
        .iter()
        .map(|k| format!("{k:06x}"))
        .collect()
}

pub fn is_throttled(recent_failures: i64, allowed: i64) -> bool {
    recent_failures >= allowed
}

/// Where to go after logging in (or after switching the language): only a path on this site,
/// never another host. Browsers read a `Location` after the WHATWG URL rules, which drop tabs and
/// line breaks and read a backslash as a slash: `/<TAB>/evil.example` and `/\evil.example` both
/// lead to `//evil.example`. So any control character, whitespace or backslash sends the visitor
/// home, and so does a second slash at the start.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path
                    .chars()
                    .any(|c| c == '\\' || c.is_control() || c.is_whitespace()) =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Turns random bytes into a join code, shown to people as `ABCD-EFGH`.
pub fn join_code_from_bytes(bytes: &[u8; JOIN_CODE_LEN]) -> String {
    let chars: String = bytes
        .iter()
        .map(|b| JOIN_CODE_ALPHABET[*b as usize % JOIN_CODE_ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// Accepts what a parent types: any case, with or without the dash or spaces.
pub fn normalize_join_code(raw: &str) -> Result<String, Reason> {
    let code: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if code.is_empty() {
        return Err(Reason::Empty);
    }
    if code.len() != JOIN_CODE_LEN || !code.bytes().all(|b| JOIN_CODE_ALPHABET.contains(&b)) {
        return Err(Reason::CodeUnknown);
    }
    Ok(code)
}

/// What kind of people a CSV import creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ImportKind {
    Students,
    Teachers,
}

impl ImportKind {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "students" => Some(ImportKind::Students),
            "teachers" => Some(ImportKind::Teachers),
            _ => None,
        }
    }
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            ImportKind::Students => &["login", "full_name", "class", "password"],
            ImportKind::Teachers => &["login", "full_name", "password"],
        }
    }
}

/// One checked row of an import, ready for the database checks (login free, class exists).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub login: String,
    pub full_name: String,
    pub password: String,
    /// Students only: the class name as "5А", or a university group's exact name.
    pub class: Option<String>,
}

/// Checks the shape of every row of an already-split CSV (header first). Returns every problem,
/// not just the first, so the admin fixes the file in one go.
pub fn check_import_rows(
    kind: ImportKind,
    records: &[Vec<String>],
) -> Result<Vec<ImportRow>, Vec<RowError>> {
    let Some((header, rows)) = records.split_first() else {
        return Err(vec![RowError {
            line: 1,
            field: Field::Csv,
            reason: Reason::NoRows,
        }]);
    };
    let header: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut index = std::collections::HashMap::new();
    for column in kind.columns() {
        match header.iter().position(|h| h == column) {
            Some(i) => {
                index.insert(*column, i);
            }
            None => {
                return Err(vec![RowError {
                    line: 1,
                    field: Field::Csv,
                    reason: Reason::MissingColumn,
                }])
            }
        }
    }
    if rows.is_empty() {
        return Err(vec![RowError {
            line: 2,
            field: Field::Csv,
            reason: Reason::NoRows,
        }]);
    }
    if rows.len() > IMPORT_MAX_ROWS {
        return Err(vec![RowError {
            line: IMPORT_MAX_ROWS + 2,
            field: Field::Csv,
            reason: Reason::TooManyRows,
        }]);
    }
    let cell = |row: &Vec<String>, col: &str| row.get(index[col]).cloned().unwrap_or_default();
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for (i, row) in rows.iter().enumerate() {
        let line = i + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue; // spreadsheets leave blank lines at the end
        }
        let mut fail = |field, reason| {
            errors.push(RowError {
                line,
                field,
                reason,
            })
        };
        let login = normalize_login(&cell(row, "login"))
            .map_err(|r| fail(Field::Login, r))
            .ok();
        let full_name = normalize_full_name(&cell(row, "full_name"))
            .map_err(|r| fail(Field::FullName, r))
            .ok();
        let password = cell(row, "password");
        let password_ok = check_password(&password)
            .map_err(|r| fail(Field::Password, r))
            .is_ok();
        let class = if kind == ImportKind::Students {
            let raw = cell(row, "class").trim().to_string();
            if raw.is_empty() {
                fail(Field::Class, Reason::Empty);
                None
            } else {
                Some(raw)
            }
        } else {
            None
        };
        if let Some(login) = &login {
            if seen.insert(login.clone(), line).is_some() {
                fail(Field::Login, Reason::DuplicateInFile);
            }
        }
        if let (Some(login), Some(full_name), true) = (login, full_name, password_ok) {
            if kind == ImportKind::Teachers || class.is_some() {
                checked.push(ImportRow {
                    line,
                    login,
                    full_name,
                    password,
                    class,
                });
            }
        }
    }
    if checked.is_empty() && errors.is_empty() {
        errors.push(RowError {
            line: 2,
            field: Field::Csv,
            reason: Reason::NoRows,
        });
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

/// The Kyrgyz alphabet's order, for names: Ң after Н, Ө after О, Ү after У (Unicode puts the
/// three after Я, and SQL's ORDER BY sorts by code point).
const KYRGYZ_ORDER: &str = "АБВГДЕЁЖЗИЙКЛМНҢОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ";

/// A key that sorts names as a Kyrgyz reader expects: by the alphabet above, letters before
/// their case, anything else (Latin, digits) by code point before Cyrillic.
pub fn name_key(name: &str) -> Vec<u32> {
    name.chars()
        .map(|c| {
            let upper = c.to_uppercase().next().unwrap_or(c);
            match KYRGYZ_ORDER.chars().position(|k| k == upper) {
                Some(i) => 0x10_0000 + i as u32 * 2 + u32::from(upper != c),
                None => upper as u32,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_stored_sort_key_orders_as_the_name_key() {
        let names = [
            "Өмүрова",
            "Орозов",
            "Эсенова",
            "Ov",
            "Оро",
            "Үсөнов",
            "Уметов",
            "10А",
        ];
        for a in names {
            for b in names {
                assert_eq!(
                    super::sort_key(a).cmp(&super::sort_key(b)),
                    super::name_key(a).cmp(&super::name_key(b)),
                    "{a} / {b}"
                );
            }
        }
        assert!(super::sort_key("Орозов") < super::sort_key("Өмүрова"));
    }

    #[test]
    fn names_sort_in_kyrgyz_alphabet_order() {
        let mut names = vec![
            "Эсенова",
            "Өмүрова",
            "Орозов",
            "Үсөнов",
            "Уметов",
            "Яковлев",
            "абдыкадыров",
        ];
        names.sort_by_key(|n| super::name_key(n));
        assert_eq!(
            names,
            [
                "абдыкадыров",
                "Орозов",
                "Өмүрова",
                "Уметов",
                "Үсөнов",
                "Эсенова",
                "Яковлев"
            ]
        );
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn logins_are_normalized_and_checked() {
        assert_eq!(normalize_login("  Aibek.T "), Ok("aibek.t".into()));
        assert_eq!(normalize_login(""), Err(Reason::Empty));
        assert_eq!(normalize_login("ab"), Err(Reason::TooShort));
        assert_eq!(normalize_login(&"a".repeat(33)), Err(Reason::TooLong));
        assert_eq!(normalize_login("айбек"), Err(Reason::BadFormat));
        assert_eq!(normalize_login(".abc"), Err(Reason::BadFormat));
        assert_eq!(normalize_login("a b c"), Err(Reason::BadFormat));
    }

    #[test]
    fn names_fold_spaces_and_refuse_control_characters() {
        assert_eq!(
            normalize_full_name("  Асанов   Айбек "),
            Ok("Асанов Айбек".into())
        );
        assert_eq!(normalize_full_name("   "), Err(Reason::Empty));
        assert_eq!(normalize_full_name("А"), Err(Reason::TooShort));
        assert_eq!(normalize_full_name("Ай\u{7}бек"), Err(Reason::BadFormat));
        assert_eq!(normalize_full_name(&"ө".repeat(101)), Err(Reason::TooLong));
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert_eq!(check_password("өөөөөөө"), Err(Reason::TooShort)); // 7 chars, 14 bytes
        assert_eq!(check_password("өөөөөөөө"), Ok(()));
        assert_eq!(check_password(""), Err(Reason::Empty));
        assert_eq!(check_password(&"x".repeat(129)), Err(Reason::TooLong));
    }

    #[test]
    fn class_names_accept_common_spellings() {
        assert_eq!(parse_class_name("5А"), Ok((5, "А".into())));
        assert_eq!(parse_class_name("11 - б"), Ok((11, "Б".into())));
        assert_eq!(parse_class_name("7ө"), Ok((7, "Ө".into())));
        assert_eq!(
            parse_class_name("12А"),
            Err((Field::Grade, Reason::OutOfRange))
        );
        assert_eq!(
            parse_class_name("0А"),
            Err((Field::Grade, Reason::OutOfRange))
        );
        assert_eq!(
            parse_class_name("А"),
            Err((Field::Grade, Reason::BadFormat))
        );
        assert_eq!(
            parse_class_name("5АБ"),
            Err((Field::Letter, Reason::BadFormat))
        );
        assert_eq!(parse_class_name("5"), Err((Field::Letter, Reason::Empty)));
        assert_eq!(parse_class_name(""), Err((Field::Class, Reason::Empty)));
    }

    #[test]
    fn groups_need_faculty_course_and_name() {
        assert!(normalize_group("Физика", 2, "ФИ-21").is_ok());
        assert_eq!(
            normalize_group("Физика", 7, "ФИ-21"),
            Err((Field::Course, Reason::OutOfRange))
        );
        assert_eq!(
            normalize_group("", 1, "ФИ-21"),
            Err((Field::Faculty, Reason::Empty))
        );
        assert_eq!(
            normalize_group("Физика", 1, " "),
            Err((Field::GroupName, Reason::Empty))
        );
    }

    #[test]
    fn next_only_goes_to_local_paths() {
        assert_eq!(safe_next(Some("/admin/users")), "/admin/users");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(None), "/");
        // The reported payload (`back=/%09/evil.example`, decoded) and its relatives.
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\n/evil.example")), "/");
        assert_eq!(safe_next(Some("/\r\n/evil.example")), "/");
        assert_eq!(safe_next(Some("\\/evil.example")), "/");
        assert_eq!(safe_next(Some(" //evil.example")), "/");
        assert_eq!(
            safe_next(Some("/timetable?week=2026-11-23")),
            "/timetable?week=2026-11-23"
        );
    }

    #[test]
    fn email_and_phone_are_optional_but_checked() {
        assert_eq!(normalize_email(""), Ok(None));
        assert_eq!(normalize_email("a@b.kg"), Ok(Some("a@b.kg".into())));
        assert_eq!(normalize_email("a@b"), Err(Reason::BadFormat));
        assert_eq!(normalize_email("a@@b.kg"), Err(Reason::BadFormat));
        assert_eq!(
            normalize_phone("+996 555 12-34-56"),
            Ok(Some("+996 555 12-34-56".into()))
        );
        assert_eq!(normalize_phone("12"), Err(Reason::BadFormat));
        assert_eq!(normalize_phone("call me"), Err(Reason::BadFormat));
    }

    #[test]
    fn search_text_lowercases_kyrgyz_letters() {
        assert_eq!(search_text("ҮМӨТ Ңайзабек", "Umut"), "үмөт ңайзабек umut");
    }

    #[test]
    fn throttling_starts_at_the_limit() {
        assert!(!is_throttled(
            ACCOUNT_FAILURES_ALLOWED - 1,
            ACCOUNT_FAILURES_ALLOWED
        ));
        assert!(is_throttled(
            ACCOUNT_FAILURES_ALLOWED,
            ACCOUNT_FAILURES_ALLOWED
        ));
    }

    fn rows(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|l| l.split(',').map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn import_reports_every_bad_row_with_its_line() {
        let csv = rows("login,full_name,class,password\nokuuchu1,Асанов Айбек,5А,secret123\nX,Ы,,short\nokuuchu1,Бакыт Исаков,5А,secret123");
        let errors = check_import_rows(ImportKind::Students, &csv).unwrap_err();
        let at = |line| {
            errors
                .iter()
                .filter(|e| e.line == line)
                .map(|e| (e.field, e.reason))
                .collect::<Vec<_>>()
        };
        assert_eq!(at(2), vec![]);
        assert_eq!(
            at(3),
            vec![
                (Field::Login, Reason::TooShort),
                (Field::FullName, Reason::TooShort),
                (Field::Password, Reason::TooShort),
                (Field::Class, Reason::Empty)
            ]
        );
        assert_eq!(at(4), vec![(Field::Login, Reason::DuplicateInFile)]);
    }

    #[test]
    fn import_needs_its_columns_and_rows() {
        let missing = check_import_rows(
            ImportKind::Students,
            &rows("login,full_name,password\na,b,c"),
        );
        assert_eq!(missing.unwrap_err()[0].reason, Reason::MissingColumn);
        let empty = check_import_rows(ImportKind::Teachers, &rows("login,full_name,password"));
        assert_eq!(empty.unwrap_err()[0].reason, Reason::NoRows);
        let good = check_import_rows(
            ImportKind::Teachers,
            &rows("Password,Login,Full_Name\nsecret123,mugalim1,Осмонов Талант\n,,"),
        );
        assert_eq!(good.unwrap().len(), 1);
    }

    proptest! {
        #[test]
        fn join_codes_survive_what_people_type(bytes in proptest::array::uniform8(any::<u8>())) {
            let shown = join_code_from_bytes(&bytes);
            prop_assert_eq!(shown.len(), JOIN_CODE_LEN + 1);
            let typed = shown.to_lowercase().replace('-', " ");
            prop_assert_eq!(normalize_join_code(&typed).unwrap(), shown.replace('-', ""));
        }

        #[test]
        fn normalized_logins_are_fixed_points(raw in "\\PC{0,40}") {
            if let Ok(login) = normalize_login(&raw) {
                prop_assert_eq!(normalize_login(&login), Ok(login.clone()));
                prop_assert!(login.len() >= LOGIN_MIN && login.len() <= LOGIN_MAX);
            }
        }

        #[test]
        fn class_names_round_trip(grade in 1i64..=11, letter in "[АБВГДЕӨҮҢ]") {
            let name = class_display_name(grade, &letter);
            prop_assert_eq!(parse_class_name(&name), Ok((grade, letter)));
        }

        /// Judged by a real WHATWG URL parser, as a browser reads a `Location`: whatever comes
        /// in, the place it leads to is on this site. The generator favours what tricks parsers:
        /// slashes, backslashes, tabs, line breaks, other control characters, colons, dots.
        #[test]
        fn safe_next_never_leaves_the_site(
            raw in "[/\\\\\t\r\n\u{0}\u{1f}\u{7f}\u{85} :.@%a-z0-9]{0,12}|\\PC{0,30}"
        ) {
            let next = safe_next(Some(&raw));
            let base = url::Url::parse("https://sabak.example/login").unwrap();
            let target = base.join(&next).expect("a path always joins");
            prop_assert_eq!(target.host_str(), Some("sabak.example"), "{:?} -> {:?}", raw, next);
            prop_assert_eq!(target.scheme(), "https");
            prop_assert!(next.starts_with('/') && !next.starts_with("//"));
        }
    }
}
