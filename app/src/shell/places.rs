//! Where a person may go: the menu lists every place their roles open, the tab bar (a phone's
//! bottom bar, a desktop's header row) the few they use every day. Pure, so the choice is tested
//! without a page.

use crate::accounts::{Me, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Home,
    Timetable,
    Timer,
    Tasks,
    Journal,
    Feedback,
    Schedules,
    Surveys,
    Notices,
    Contest,
    MyClass,
    Users,
    Classes,
    Import,
    Editor,
    Reports,
}

/// The most a tab bar holds: five 72 px tabs fill a 360 px phone.
pub const MAX_TABS: usize = 5;

/// A place with its address for this person (a parent's timetable is their first child's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceLink {
    pub place: Place,
    pub href: String,
}

impl Place {
    /// The icon's id in the sprite (`scripts/icons.py`).
    pub fn icon(self) -> &'static str {
        match self {
            Place::Home => "home",
            Place::Timetable => "timetable",
            Place::Timer => "timer",
            Place::Tasks => "tasks",
            Place::Journal => "journal",
            Place::Feedback => "feedback",
            Place::Schedules => "schedules",
            Place::Surveys => "surveys",
            Place::Notices => "notices",
            Place::Contest => "contest",
            Place::MyClass => "class",
            Place::Users => "users",
            Place::Classes => "classes",
            Place::Import => "import",
            Place::Editor => "editor",
            Place::Reports => "reports",
        }
    }
}

/// Every place this person's roles open, in the menu's order.
pub fn places_of(me: &Me) -> Vec<PlaceLink> {
    let student = me.class.is_some();
    let teacher = me.has(Role::Teacher);
    let parent = !me.children.is_empty();
    let admin = me.has(Role::Admin);
    let leads = me.leads.is_some();
    let gives_feedback = student || teacher;
    let timetable = if student || teacher {
        Some("/timetable".to_string())
    } else {
        me.children
            .first()
            .map(|c| format!("/timetable?whose=child:{}", c.id))
    };
    let mut all = vec![(Place::Home, Some("/".to_string()))];
    all.push((Place::Timetable, timetable));
    let mut add = |place: Place, href: &str, open: bool| {
        all.push((place, open.then(|| href.to_string())));
    };
    add(Place::Timer, "/timer", student || teacher || parent);
    add(Place::Tasks, "/tasks", student || teacher || parent);
    add(
        Place::Journal,
        "/journal",
        student || teacher || parent || admin,
    );
    add(Place::Feedback, "/feedback", gives_feedback);
    add(Place::Notices, "/notices", leads || parent);
    add(Place::MyClass, "/class", leads);
    add(
        Place::Contest,
        "/contest",
        teacher || me.has(Role::Expert) || me.has(Role::Organiser),
    );
    add(Place::Schedules, "/schedules", true);
    add(Place::Surveys, "/feedback/rounds", admin && !gives_feedback);
    add(Place::Users, "/admin/users", admin);
    add(Place::Classes, "/admin/classes", admin);
    add(Place::Import, "/admin/import", admin);
    add(Place::Editor, "/admin/timetable", admin);
    add(Place::Reports, "/admin/reports", admin);
    all.into_iter()
        .filter_map(|(place, href)| href.map(|href| PlaceLink { place, href }))
        .collect()
}

/// The tab bar: the daily places first, by what the person's main role does every day.
pub fn tabs_of(me: &Me, places: &[PlaceLink]) -> Vec<PlaceLink> {
    let teacher = me.has(Role::Teacher);
    let student = me.class.is_some();
    let parent = !me.children.is_empty();
    // A teacher starts timers daily and keeps the journal from a task's page; a student and a
    // parent read the journal; a parent (who is not also a student) reads notices.
    let mut order = vec![Place::Home, Place::Timetable];
    if teacher {
        order.extend([Place::Timer, Place::Tasks, Place::Feedback, Place::Notices]);
    } else if student {
        order.extend([Place::Tasks, Place::Journal, Place::Feedback, Place::Timer]);
    } else if parent {
        order.extend([Place::Tasks, Place::Journal, Place::Notices]);
    }
    order.extend([
        Place::Contest,
        Place::Users,
        Place::Classes,
        Place::Editor,
        Place::Reports,
        Place::Schedules,
    ]);
    let mut tabs: Vec<PlaceLink> = Vec::new();
    for place in order {
        if tabs.len() == MAX_TABS {
            break;
        }
        if let Some(link) = places.iter().find(|l| l.place == place) {
            if !tabs.iter().any(|t| t.place == place) {
                tabs.push(link.clone());
            }
        }
    }
    tabs
}

/// The place the page at `path` belongs to: the longest address that is the path or one of its
/// parents (`/tasks/12` is under Tasks; `/feedback/rounds` is Surveys, not Feedback).
pub fn current_of(places: &[PlaceLink], path: &str) -> Option<Place> {
    let path = path.trim_end_matches('/');
    places
        .iter()
        .filter_map(|link| {
            let base = link.href.split('?').next().unwrap_or_default();
            let base = base.trim_end_matches('/');
            let under = if base.is_empty() {
                path.is_empty()
            } else {
                path == base || path.strip_prefix(base).is_some_and(|r| r.starts_with('/'))
            };
            under.then_some((base.len(), link.place))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, place)| place)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{ChildRef, ClassRef};

    fn person(roles: &[Role]) -> Me {
        Me {
            id: 1,
            login: "x".into(),
            full_name: "X".into(),
            roles: roles.to_vec(),
            class: None,
            leads: None,
            children: vec![],
        }
    }

    fn class() -> ClassRef {
        ClassRef {
            id: 7,
            name: "5А".into(),
        }
    }

    fn names(links: &[PlaceLink]) -> Vec<Place> {
        links.iter().map(|l| l.place).collect()
    }

    #[test]
    fn each_role_gets_its_daily_tabs() {
        let mut student = person(&[Role::Student]);
        student.class = Some(class());
        let tabs = tabs_of(&student, &places_of(&student));
        use Place::*;
        assert_eq!(names(&tabs), [Home, Timetable, Tasks, Journal, Feedback]);

        let mut teacher = person(&[Role::Teacher]);
        teacher.leads = Some(class());
        let tabs = tabs_of(&teacher, &places_of(&teacher));
        assert_eq!(names(&tabs), [Home, Timetable, Timer, Tasks, Feedback]);

        let mut parent = person(&[Role::Parent]);
        parent.children = vec![ChildRef {
            id: 42,
            full_name: "Child".into(),
            class: Some(class()),
        }];
        let all = places_of(&parent);
        let tabs = tabs_of(&parent, &all);
        assert_eq!(names(&tabs), [Home, Timetable, Tasks, Journal, Notices]);
        assert_eq!(tabs[1].href, "/timetable?whose=child:42");

        let admin = person(&[Role::Admin]);
        let tabs = tabs_of(&admin, &places_of(&admin));
        assert_eq!(names(&tabs), [Home, Users, Classes, Editor, Reports]);

        let expert = person(&[Role::Expert]);
        let tabs = tabs_of(&expert, &places_of(&expert));
        assert_eq!(names(&tabs), [Home, Contest, Schedules]);
    }

    #[test]
    fn the_menu_holds_every_tab_and_more_and_nothing_twice() {
        let mut everyone = person(&[Role::Teacher, Role::Admin, Role::Expert]);
        everyone.leads = Some(class());
        let all = places_of(&everyone);
        let tabs = tabs_of(&everyone, &all);
        assert_eq!(tabs.len(), MAX_TABS);
        assert!(tabs.iter().all(|t| all.contains(t)));
        let mut seen = names(&all);
        seen.dedup();
        assert_eq!(seen.len(), all.len());
        assert!(all.len() > MAX_TABS);
        // A role without a place never sees it: no admin pages for a plain teacher.
        let teacher = person(&[Role::Teacher]);
        assert!(!names(&places_of(&teacher)).contains(&Place::Users));
        assert!(!names(&places_of(&teacher)).contains(&Place::Notices));
    }

    #[test]
    fn the_current_place_is_the_longest_address_the_path_is_under() {
        let admin = person(&[Role::Admin]);
        let all = places_of(&admin);
        assert_eq!(current_of(&all, "/"), Some(Place::Home));
        assert_eq!(current_of(&all, "/admin/users/12"), Some(Place::Users));
        assert_eq!(current_of(&all, "/feedback/rounds"), Some(Place::Surveys));
        assert_eq!(current_of(&all, "/admin/usersx"), None);
        assert_eq!(current_of(&all, "/login"), None);
        let mut parent = person(&[Role::Parent]);
        parent.children = vec![ChildRef {
            id: 3,
            full_name: "C".into(),
            class: None,
        }];
        let all = places_of(&parent);
        assert_eq!(current_of(&all, "/timetable"), Some(Place::Timetable));
        assert_eq!(current_of(&all, "/tasks/5"), Some(Place::Tasks));
    }
}
