//! In the browser only: what the islands share.

use std::cell::RefCell;
use std::rc::Rc;

/// Asks the navigation script for the server's fresh copy of this page, patched in place (what
/// someone is typing stays); without it, reloads.
pub fn refresh_page() {
    let window = leptos::prelude::window();
    let refresh = js_sys::Reflect::get(&window, &"sabakRefresh".into()).ok();
    match refresh.and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        Some(refresh) => {
            let _ = refresh.call0(&window);
        }
        None => {
            let _ = window.location().reload();
        }
    }
}

/// Runs `gone` once the element has left the page. Islands are never unmounted by Leptos (the
/// router patches the document), so an island with a stream closes it itself.
pub fn when_removed(
    element: impl Fn() -> Option<web_sys::Element> + 'static,
    gone: impl FnOnce() + 'static,
) {
    let slot: Rc<RefCell<Option<gloo_timers::callback::Interval>>> = Rc::default();
    let mut gone = Some(gone);
    let held = slot.clone();
    let check = gloo_timers::callback::Interval::new(500, move || {
        if element().is_some_and(|el| !el.is_connected()) {
            if let Some(gone) = gone.take() {
                gone();
            }
            held.borrow_mut().take();
        }
    });
    *slot.borrow_mut() = Some(check);
}

use wasm_bindgen::JsCast;
