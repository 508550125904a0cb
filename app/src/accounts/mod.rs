//! People, roles, classes and groups, sessions, CSV import and parents' join codes.

pub mod api;
#[cfg(feature = "ssr")]
pub mod auth;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

use serde::{Deserialize, Serialize};

/// What a person may do. One person can hold several. `ClassTeacher` is not granted directly:
/// it follows from leading a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Organiser,
    Teacher,
    ClassTeacher,
    Student,
    Parent,
    Expert,
}

impl Role {
    /// The roles an admin grants by hand.
    pub const GRANTABLE: [Role; 6] = [
        Role::Admin,
        Role::Organiser,
        Role::Teacher,
        Role::Student,
        Role::Parent,
        Role::Expert,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Organiser => "organiser",
            Role::Teacher => "teacher",
            Role::ClassTeacher => "class_teacher",
            Role::Student => "student",
            Role::Parent => "parent",
            Role::Expert => "expert",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        Role::GRANTABLE
            .into_iter()
            .chain([Role::ClassTeacher])
            .find(|r| r.as_str() == raw)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: i64,
    pub full_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildRef {
    pub id: i64,
    pub full_name: String,
    pub class: Option<ClassRef>,
}

/// The logged-in person as every page sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    /// A student's class or group.
    pub class: Option<ClassRef>,
    /// The class this person leads as class teacher.
    pub leads: Option<ClassRef>,
    pub children: Vec<ChildRef>,
}

impl Me {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub roles: Vec<Role>,
    pub class_name: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPage {
    pub rows: Vec<UserRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDetail {
    pub id: i64,
    pub login: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub roles: Vec<Role>,
    pub class: Option<ClassRef>,
    pub children: Vec<ChildRef>,
    pub parents: Vec<PersonRef>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClassKind {
    /// A school class: grade 1-11 and a letter.
    School,
    /// A university academic group: faculty, course, name.
    Group,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassRow {
    pub id: i64,
    pub kind: ClassKind,
    pub name: String,
    pub grade: Option<i64>,
    pub faculty: Option<String>,
    pub course: Option<i64>,
    pub class_teacher: Option<PersonRef>,
    pub students: i64,
}

/// A join code, shown once to the class teacher who made it; only its hash is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedCode {
    pub code: String,
    pub student_id: i64,
    pub student_name: String,
    /// `YYYY-MM-DD` in Asia/Bishkek.
    pub valid_until: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    pub id: i64,
    pub full_name: String,
    pub login: String,
    pub parents: Vec<String>,
    /// What the student has overdue or due today (the class teacher follows it up).
    pub tasks: crate::assignments::TaskDigest,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub class: ClassRef,
    pub students: Vec<RosterRow>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub created: usize,
}

/// A calendar day in Asia/Bishkek, for pages to print in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    pub year: i64,
    pub month: u8,
    pub day: u8,
    /// 0 = Monday ... 6 = Sunday.
    pub weekday: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminStats {
    pub students: i64,
    pub teachers: i64,
    pub parents: i64,
    pub classes: i64,
    pub groups: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassSummary {
    pub class: ClassRef,
    pub class_teacher: Option<PersonRef>,
    pub students: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Home {
    pub today: Day,
    pub school_name: String,
    /// Who is looking: the page greets them and shows their roles' cards. (Carried here rather
    /// than read from the header's `me` resource: one resource read under two `<Suspense>`s
    /// now and then left a server-rendered page unanswered, leptos-rs/leptos#4851.)
    pub full_name: String,
    pub roles: Vec<Role>,
    pub admin: Option<AdminStats>,
    /// Students: their own class.
    pub own_class: Option<ClassSummary>,
    /// Class teachers: the class they lead.
    pub led_class: Option<ClassSummary>,
    /// Students: what is overdue or due today.
    pub tasks: Option<crate::assignments::TaskDigest>,
    /// Teachers: how many hand-ins wait for their review.
    pub to_review: Option<i64>,
    /// Parents: each child's class and tasks.
    pub children: Vec<ChildHome>,
    /// Students and teachers: today's lessons with now and next.
    pub lessons_today: Option<crate::timetable::TodayPlan>,
    /// Teachers: lesson feedback not answered yet.
    pub unanswered: Option<i64>,
    /// Parents: notices not read yet.
    pub unread_notices: Option<usize>,
    pub contest: Option<crate::contest::ContestGlance>,
}

/// One child on a parent's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildHome {
    pub child: ChildRef,
    pub class: Option<ClassSummary>,
    pub tasks: crate::assignments::TaskDigest,
    pub lessons_today: Option<crate::timetable::TodayPlan>,
}
