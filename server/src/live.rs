//! Server-sent events: `/live/timer?class=ID` streams a class's timer to the pages following it.
//! The first event is the timer as it is now (also after every reconnect), then one event per
//! change. Only people who may follow the class get the stream (the same rule as the page).
//! `/live/contest` tells the organiser's scoreboard that a score was submitted.

use app::accounts::auth::SESSION_USER;
use app::error::AppError;
use app::state::AppState;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::stream::{self, StreamExt};
use serde::Deserialize;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct TimerQuery {
    class: Option<i64>,
}

pub(crate) fn refused(err: AppError) -> Response {
    let status = StatusCode::from_u16(err.status_code()).unwrap_or(StatusCode::FORBIDDEN);
    (status, axum::Json(err)).into_response()
}

/// The signed-in person, as an extractor: a handler that takes `Caller(me)` is answered 401
/// (as the app's typed error) before it runs when nobody is signed in.
pub struct Caller(pub app::accounts::Me);

impl FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        caller(state, &session).await.map(Caller)
    }
}

pub(crate) async fn caller(
    state: &AppState,
    session: &Session,
) -> Result<app::accounts::Me, Response> {
    let uid: Option<i64> = session.get(SESSION_USER).await.ok().flatten();
    let Some(uid) = uid else {
        return Err(refused(AppError::NotLoggedIn));
    };
    match app::accounts::store::load_me(&state.db, uid).await {
        Ok(Some(me)) => Ok(me),
        Ok(None) => Err(refused(AppError::NotLoggedIn)),
        Err(err) => Err(refused(err)),
    }
}

pub async fn timer_events(
    State(state): State<AppState>,
    Caller(me): Caller,
    // Kept to check, while the stream lasts, that the sign-in still holds.
    session: Session,
    Query(query): Query<TimerQuery>,
) -> Response {
    let class_id = match app::timer::api::watchable_class(&state.db, &me, query.class).await {
        Ok(id) => id,
        Err(err) => return refused(err),
    };
    // Subscribe first, then read: a change between the two arrives as an event, never is lost.
    let receiver = state.live.subscribe(class_id);
    let access = state.live.subscribe_access();
    let first = match app::timer::api::class_timer(&state.db, class_id).await {
        Ok(timer) => serde_json::to_string(&timer).unwrap_or_default(),
        Err(err) => return refused(err),
    };
    let db = state.db.clone();
    let still = Recheck::of(&state, &session, me.id);
    let allowed = move || {
        let (db, still) = (db.clone(), still.clone());
        Box::pin(async move {
            match still.person().await {
                Some(me) => app::timer::api::watchable_class(&db, &me, Some(class_id))
                    .await
                    .is_ok_and(|id| id == class_id),
                None => false,
            }
        }) as AccessCheck
    };
    event_stream(
        first,
        receiver,
        (access, me.id, allowed),
        state.live.closed(),
    )
}

/// The organiser's scoreboard: an event each time an evaluation is submitted or reopened.
pub async fn contest_events(
    State(state): State<AppState>,
    Caller(me): Caller,
    session: Session,
) -> Response {
    if !me.has(app::accounts::Role::Organiser) {
        return refused(AppError::Forbidden);
    }
    let edition = match app::contest::store::current_edition(&state.db).await {
        Ok(Some(edition)) => edition.id,
        Ok(None) => return refused(AppError::NotFound),
        Err(err) => return refused(err),
    };
    let receiver = state
        .live
        .subscribe(app::contest::api::scoreboard_topic(edition));
    let access = state.live.subscribe_access();
    let still = Recheck::of(&state, &session, me.id);
    let allowed = move || {
        let still = still.clone();
        Box::pin(async move {
            still
                .person()
                .await
                .is_some_and(|me| me.has(app::accounts::Role::Organiser))
        }) as AccessCheck
    };
    event_stream(
        "{}".to_string(),
        receiver,
        (access, me.id, allowed),
        state.live.closed(),
    )
}

type AccessCheck = std::pin::Pin<Box<dyn std::future::Future<Output = bool> + Send>>;

/// What a stream checks again when its person's access may have changed.
#[derive(Clone)]
struct Recheck {
    db: app::db::Db,
    session_id: Option<String>,
    user_id: i64,
}

impl Recheck {
    fn of(state: &AppState, session: &Session, user_id: i64) -> Recheck {
        Recheck {
            db: state.db.clone(),
            session_id: session.id().map(|id| id.to_string()),
            user_id,
        }
    }

    /// The person, if the session the stream was opened with still exists and is still theirs
    /// (logout deletes it) and they are still active.
    async fn person(&self) -> Option<app::accounts::Me> {
        let session_id = self.session_id.as_ref()?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let owner: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT user_id FROM sessions WHERE id = $1 AND expires_at > $2")
                .bind(session_id)
                .bind(now)
                .fetch_optional(&self.db.pool)
                .await
                .ok()?;
        if owner != Some((Some(self.user_id),)) {
            return None;
        }
        app::accounts::store::load_me(&self.db, self.user_id)
            .await
            .ok()
            .flatten()
    }
}

/// The events of one stream: the first, then every change, until the server shuts down or the
/// person's access ends. Access is checked again whenever an "access changed" notice names
/// this person (or notices were missed), never per event: 10,000 followers of one class must
/// not cost 10,000 queries per pause.
fn event_stream<F>(
    first: String,
    receiver: tokio::sync::broadcast::Receiver<std::sync::Arc<str>>,
    (access, user_id, allowed): (
        tokio::sync::broadcast::Receiver<std::sync::Arc<str>>,
        i64,
        F,
    ),
    closed: impl std::future::Future<Output = ()> + Send + 'static,
) -> Response
where
    F: Fn() -> AccessCheck + Send + 'static,
{
    let first = Event::default().retry(Duration::from_secs(2)).data(first);
    let me = user_id.to_string();
    let changes = stream::unfold(
        (receiver, access, allowed, me),
        |(mut receiver, mut access, allowed, me)| async move {
            loop {
                tokio::select! {
                    event = receiver.recv() => match event {
                        Ok(json) => {
                            return Some((Event::default().data(&*json), (receiver, access, allowed, me)))
                        }
                        // Every event holds the whole state: a page that fell behind takes the next one.
                        Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    },
                    notice = access.recv() => match notice {
                        Ok(who) if *who == *me => {
                            if !allowed().await {
                                return None;
                            }
                        }
                        Ok(_) => continue,
                        Err(RecvError::Lagged(_)) => {
                            if !allowed().await {
                                return None;
                            }
                        }
                        Err(RecvError::Closed) => return None,
                    },
                }
            }
        },
    );
    let events = stream::once(async move { first })
        .chain(changes)
        .take_until(closed)
        .map(Ok::<_, Infallible>);
    let mut response = Sse::new(events)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    // Reverse proxies (nginx) must pass events on at once, not buffer them.
    response
        .headers_mut()
        .insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}
