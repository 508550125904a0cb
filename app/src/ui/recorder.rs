//! The audio recorder of every form that takes a recording (a hand-in's answer, a review, an
//! answer to lesson feedback): a plain file field does the work without JavaScript.

use crate::assignments::rules::AUDIO_MAX_SECONDS;
use crate::i18n::*;
use leptos::prelude::*;

/// The audio recorder beside the audio file field `input_id`: hidden until the page script's
/// recorder (`shell/recorder.js`) sets it up; the words travel as data attributes (`{n}` is the
/// seconds).
pub fn recorder(input_id: String) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    let script = crate::shell::assets::assets().recorder.clone();
    #[cfg(not(feature = "ssr"))]
    let script = String::new();
    view! {
        <div class="recorder" hidden data-recorder=input_id data-script=script data-max=AUDIO_MAX_SECONDS.to_string()
            data-stop=t_string!(i18n, tasks.rec_stop).to_string()
            data-again=t_string!(i18n, tasks.rec_again).to_string()
            data-recording=t_string!(i18n, tasks.rec_recording, n = "{n}").to_string()
            data-recorded=t_string!(i18n, tasks.rec_recorded, n = "{n}").to_string()
            data-failed=t_string!(i18n, tasks.rec_failed).to_string()>
            <button type="button" class="secondary">{t_string!(i18n, tasks.rec_record)}</button>
            // Announced politely; not a `status` role, which the page keeps for a form's outcome.
            <span aria-live="polite"></span>
        </div>
    }
}
