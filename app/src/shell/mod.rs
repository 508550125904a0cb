//! The top of the app: document shell, router, header with role navigation, language switch,
//! 404. It imports the features' pages; the features import only the shared pieces in `ui`.

#[cfg(feature = "ssr")]
pub mod assets;
pub mod places;

use crate::accounts::api::get_me;
use crate::accounts::ui::{
    AdminClassesPage, AdminImportPage, AdminUserPage, AdminUsersPage, ClassPage, HomePage,
    LoginPage, RegisterPage,
};
use crate::accounts::Me;
use crate::contest::ui::{ApplyPage, ContestPage, EntryPage, ManageContestPage, ResultsPageView};
use crate::error::AppError;
use crate::feedback::rounds::ui::RoundsPageView;
use crate::feedback::ui::FeedbackPageView;
use crate::i18n::*;
use crate::notices::ui::NoticesPageView;
use crate::timer::ui::{TimerPageView, TimerReportPage};
use crate::timetable::editor::ui::TimetableEditorPage;
use crate::timetable::ui::TimetablePage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    hooks::use_location,
    path, SsrMode,
};
use places::{Place, PlaceLink};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0f5f8c" />
                // The brand's letter on its colour, inline: no extra request, no 404 for /favicon.ico.
                <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%230f5f8c'/%3E%3Ctext x='16' y='23' font-size='20' font-family='sans-serif' font-weight='700' text-anchor='middle' fill='%23fff'%3E%D0%A1%3C/text%3E%3C/svg%3E" />
                <AutoReload options />
                <PageScripts />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// One small script for every page (cached for a year): it loads the WASM only where the page
/// has an island, navigates without full reloads, and registers the offline service worker.
/// Leptos' `<HydrationScripts>` would preload the WASM on every page.
#[component]
fn PageScripts() -> impl IntoView {
    // What `<HydrationScripts islands=true>` does first: the page outside islands is never
    // hydrated, so no resource is written into it for the browser. Without this every page
    // carried its whole data again as escaped JSON (10 KB of a 31 KB timetable), rendered at
    // a cost. This component runs before `<App/>`, so before any resource exists.
    #[cfg(feature = "ssr")]
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    #[cfg(feature = "ssr")]
    let files = assets::assets();
    #[cfg(feature = "ssr")]
    let (loader, js, wasm) = (files.loader.clone(), files.js.clone(), files.wasm.clone());
    #[cfg(not(feature = "ssr"))]
    let (loader, js, wasm) = (String::new(), String::new(), String::new());
    let nonce = leptos::nonce::use_nonce();
    view! { <script src=loader data-js=js data-wasm=wasm defer nonce=nonce></script> }
}

fn stylesheet_href() -> String {
    #[cfg(feature = "ssr")]
    return assets::assets().css.clone();
    #[cfg(not(feature = "ssr"))]
    String::new()
}

/// The person behind this page, fetched once per page load and shared by every component.
pub type MeResource = Resource<Result<Option<Me>, AppError>>;

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <I18nContextProvider>
            <Stylesheet id="leptos" href=stylesheet_href() />
            <AppTitle />
            <Router>
                <Frame>
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=HomePage ssr=SsrMode::Async />
                        <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                        <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async />
                        <Route path=path!("/class") view=ClassPage ssr=SsrMode::Async />
                        <Route path=path!("/timetable") view=TimetablePage ssr=SsrMode::Async />
                        <Route path=path!("/timer") view=TimerPageView ssr=SsrMode::Async />
                        <Route path=path!("/timer/report") view=TimerReportPage ssr=SsrMode::Async />
                        <Route path=path!("/feedback") view=FeedbackPageView ssr=SsrMode::Async />
                        <Route path=path!("/feedback/rounds") view=RoundsPageView ssr=SsrMode::Async />
                        <Route path=path!("/timetable/print") view=crate::timetable::print::PrintPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/reports") view=crate::timetable::print::ReportsPage ssr=SsrMode::Async />
                        <Route path=path!("/schedules") view=crate::schedules::ui::SchedulesPageView ssr=SsrMode::Async />
                        <Route path=path!("/notices") view=NoticesPageView ssr=SsrMode::Async />
                        <Route path=path!("/tasks") view=crate::assignments::ui::TasksPageView ssr=SsrMode::Async />
                        <Route path=path!("/tasks/:id") view=crate::assignments::ui::TaskQueuePage ssr=SsrMode::Async />
                        <Route path=path!("/journal") view=crate::assignments::ui::JournalPageView ssr=SsrMode::Async />
                        <Route path=path!("/admin/tasks") view=crate::assignments::completion::CompletionPageView ssr=SsrMode::Async />
                        <Route path=path!("/contest") view=ContestPage ssr=SsrMode::Async />
                        <Route path=path!("/contest/apply") view=ApplyPage ssr=SsrMode::Async />
                        <Route path=path!("/contest/manage") view=ManageContestPage ssr=SsrMode::Async />
                        <Route path=path!("/contest/entry/:id") view=EntryPage ssr=SsrMode::Async />
                        <Route path=path!("/contest/results") view=ResultsPageView ssr=SsrMode::Async />
                        <Route path=path!("/admin/users") view=AdminUsersPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/users/:id") view=AdminUserPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/classes") view=AdminClassesPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/import") view=AdminImportPage ssr=SsrMode::Async />
                        <Route path=path!("/admin/timetable") view=TimetableEditorPage ssr=SsrMode::Async />
                    </Routes>
                </Frame>
            </Router>
        </I18nContextProvider>
    }
}

/// A strict policy per page: scripts only from this site or with this response's nonce (the
/// hydration script), WASM allowed to compile, nothing framed, no plugins.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
fn AppTitle() -> impl IntoView {
    let i18n = use_i18n();
    // Read now, not when the head is written: by then (streaming, under load) the page's
    // reactive owner may be gone, and reading the language there panicked.
    let name = t_string!(i18n, app_name).to_string();
    view! { <Title formatter=move |page: String| if page.is_empty() { name.clone() } else { format!("{page} · {name}") } /> }
}

/// The top bar (with the tab bar and the menu for a signed-in person) and the page below it.
#[component]
fn Frame(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    // Read under this one `<Suspense>` only: pages load what they need themselves.
    let me: MeResource = Resource::new(|| (), |_| get_me());
    view! {
        <a class="skip" href="#main">{t_string!(i18n, nav.skip)}</a>
        <Suspense fallback=|| view! { <header class="top"><Brand /></header> }>
            {Suspend::new(async move {
                match me.await {
                    Ok(Some(me)) => view! { <SignedInBar me /> }.into_any(),
                    _ => view! { <header class="top"><Brand /><LanguageSwitch /></header> }.into_any(),
                }
            })}
        </Suspense>
        <main id="main">
            // Shown by the navigation script when a post is answered with something that is not
            // a page (an overloaded server, say); hidden again by the next page.
            <p id="nav-error" class="error" role="alert" hidden>{t_string!(i18n, common.try_again)}</p>
            {children()}
        </main>
    }
}

#[component]
fn Brand() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="brand" href="/">
            <span class="logo" aria-hidden="true">"С"</span>
            <span class="brand-name">{t_string!(i18n, app_name)}</span>
        </a>
    }
}

/// An icon from the sprite; decorative, so the text beside it carries the meaning.
#[component]
pub fn Icon(name: &'static str) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let href = format!("{}#{name}", assets::assets().icons);
    #[cfg(not(feature = "ssr"))]
    let href = format!("/pkg/icons.svg#{name}");
    view! {
        <svg class="icon" aria-hidden="true" focusable="false" width="24" height="24">
            <use_ href=href></use_>
        </svg>
    }
}

fn place_text(place: Place) -> String {
    let i18n = use_i18n();
    match place {
        Place::Home => t_string!(i18n, nav.home),
        Place::Timetable => t_string!(i18n, nav.timetable),
        Place::Timer => t_string!(i18n, nav.timer),
        Place::Tasks => t_string!(i18n, nav.tasks),
        Place::Journal => t_string!(i18n, nav.journal),
        Place::Feedback => t_string!(i18n, nav.feedback),
        Place::Schedules => t_string!(i18n, nav.schedules),
        Place::Surveys => t_string!(i18n, nav.surveys),
        Place::Notices => t_string!(i18n, nav.notices),
        Place::Contest => t_string!(i18n, nav.contest),
        Place::MyClass => t_string!(i18n, nav.my_class),
        Place::Users => t_string!(i18n, nav.users),
        Place::Classes => t_string!(i18n, nav.classes),
        Place::Import => t_string!(i18n, nav.import),
        Place::Editor => t_string!(i18n, nav.timetable_editor),
        Place::Reports => t_string!(i18n, nav.reports),
    }
    .to_string()
}

/// A compact bar: the brand, the tab bar (a phone shows it fixed at the bottom) and a menu with
/// every place, the language and the account. The menu is a `<details>`: it opens without
/// JavaScript, and the current place is marked on the server.
#[component]
fn SignedInBar(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    // The same bar for the same person on the same page in the same language: its HTML is kept
    // (under the person, so that a school's bars do not replace each other's).
    let slot = format!("bar {}", me.id);
    let inputs = BarInputs {
        path: location.pathname.get_untracked(),
        search: location.search.get_untracked(),
        locale: i18n.get_locale_untracked(),
        me,
    };
    // `kept-bar`: the styles that make room for the phone's tab bar follow it.
    crate::ui::kept_in("kept kept-bar", slot, inputs, signed_in_bar)
}

/// All that the signed-in bar is made from.
#[derive(PartialEq)]
struct BarInputs {
    me: Me,
    path: String,
    search: String,
    locale: Locale,
}

fn signed_in_bar(inputs: &BarInputs) -> impl IntoView {
    let i18n = use_i18n();
    let me = &inputs.me;
    let all = places::places_of(me);
    let tabs = places::tabs_of(me, &all);
    let current = places::current_of(&all, &inputs.path);
    let roles = me
        .roles
        .iter()
        .map(|r| crate::ui::messages::role_text(*r))
        .collect::<Vec<_>>()
        .join(", ");
    let link = move |link: PlaceLink, class: &'static str| {
        let here = current == Some(link.place);
        view! {
            <li>
                <a href=link.href class=class aria-current=here.then_some("page")>
                    <Icon name=link.place.icon() />
                    <span>{place_text(link.place)}</span>
                </a>
            </li>
        }
    };
    view! {
        <header class="top signed-in">
            <Brand />
            <nav class="tabs" aria-label=t_string!(i18n, nav.menu_label).to_string()>
                <ul>{tabs.into_iter().map(|l| link(l, "tab")).collect_view()}</ul>
            </nav>
            <details class="more">
                <summary>
                    <Icon name="menu" />
                    <span>{t_string!(i18n, nav.more)}</span>
                </summary>
                <div class="sheet">
                    <p class="who">
                        <strong>{me.full_name.clone()}</strong>
                        <span class="roles">{roles}</span>
                    </p>
                    <nav aria-label=t_string!(i18n, nav.all_label).to_string()>
                        <ul class="places">{all.into_iter().map(|l| link(l, "place")).collect_view()}</ul>
                    </nav>
                    {language_links(&inputs.path, &inputs.search, inputs.locale)}
                    <form method="post" action="/api/logout">
                        <button type="submit" class="secondary logout">
                            <Icon name="logout" />
                            <span>{t_string!(i18n, nav.logout)}</span>
                        </button>
                    </form>
                </div>
            </details>
        </header>
    }
}

/// Plain links to a server route that sets the language cookie: works with JavaScript off,
/// and a full reload puts every string of the page in the new language at once.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let (path, search) = (
        location.pathname.get_untracked(),
        location.search.get_untracked(),
    );
    language_links(&path, &search, i18n.get_locale_untracked())
}

/// The language links back to `path?search`, the `current` language marked.
fn language_links(path: &str, search: &str, current: Locale) -> impl IntoView {
    let i18n = use_i18n();
    let full = if search.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{search}")
    };
    let back = crate::ui::format::url_encode(&full);
    let link = |locale: Locale, code: &'static str, label: &'static str| {
        view! {
            <a
                href=format!("/lang/{code}?back={back}")
                rel="external"
                hreflang=code
                lang=code
                aria-current=(current == locale).then_some("true")
            >
                {label}
            </a>
        }
    };
    view! {
        <nav class="langs" aria-label=t_string!(i18n, nav.lang_label).to_string()>
            {link(Locale::ky, "ky", "Кыргызча")}
            {link(Locale::ru, "ru", "Русский")}
            {link(Locale::en, "en", "English")}
        </nav>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t_string!(i18n, not_found.title).to_string() />
        <section class="card narrow">
            <h1>{t_string!(i18n, not_found.title)}</h1>
            <p>{t_string!(i18n, not_found.text)}</p>
            <p><a href="/">{t_string!(i18n, not_found.home_link)}</a></p>
        </section>
    }
}
