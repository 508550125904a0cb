//! The browser entry: the islands, and nothing else. Pages are server components; the loader in
//! `app/src/shell/islands.js` fetches this module only on a page that has an island.

// Links the app crate so that its `#[island]` exports reach this module.
extern crate app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
