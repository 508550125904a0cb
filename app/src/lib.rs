//! Sabak: a distance-learning hub for schools and universities in Kyrgyzstan.
//! Everything the product does lives here, one folder per feature; `server` only wires it.
#![recursion_limit = "512"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod accounts;
pub mod assignments;
pub mod contest;
pub mod error;
pub mod feedback;
pub mod notices;
pub mod schedules;
pub mod shell;
pub mod timer;
pub mod timetable;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod cache;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod demo;
#[cfg(feature = "ssr")]
pub mod live;
#[cfg(feature = "ssr")]
pub mod state;

pub use shell::{shell, App};
