//! Server-rendered SVG charts: no script, a few hundred bytes, sharp on any screen. A chart is
//! a picture of numbers that a table beside it also gives, so it is hidden from screen readers.

use leptos::prelude::*;

/// Width of the drawing in its own units (it scales to the card).
const WIDTH: i64 = 600;
const LABEL: i64 = 110;
const ROW: i64 = 30;
const BAR: i64 = 16;

/// The x of a share (0-100 %) on the bar area.
fn x_of(percent: i64) -> i64 {
    LABEL + (WIDTH - LABEL - 40) * percent.clamp(0, 100) / 100
}

/// One bar per row: its share, against a target line when there is one (a bar under the target
/// is marked); without a target the bars are a distribution.
#[component]
pub fn PercentBars(
    /// What the bars show, printed above them.
    title: String,
    rows: Vec<(String, Option<i64>)>,
    #[prop(optional)] target: Option<i64>,
) -> impl IntoView {
    let height = ROW * rows.len() as i64 + if target.is_some() { 24 } else { 0 };
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {height}") aria-hidden="true" focusable="false" preserveAspectRatio="xMinYMin meet">
                {rows.into_iter().enumerate().map(|(i, (label, share))| {
                    let y = i as i64 * ROW;
                    let below = share.zip(target).is_some_and(|(p, t)| p < t);
                    view! {
                        <g>
                            <text x="0" y=y + BAR - 2 class="chart-label">{label}</text>
                            <rect x=LABEL y=y width=WIDTH - LABEL - 40 height=BAR rx="3" class="chart-track"></rect>
                            {share.map(|p| view! {
                                <rect x=LABEL y=y width=(x_of(p) - LABEL).max(1) height=BAR rx="3" class=if below { "chart-bar below" } else { "chart-bar" }></rect>
                                <text x=x_of(p) + 4 y=y + BAR - 3 class="chart-value">{format!("{p}\u{a0}%")}</text>
                            })}
                        </g>
                    }
                }).collect_view()}
                {target.map(|target| {
                    let target_x = x_of(target);
                    view! {
                        <line x1=target_x x2=target_x y1="0" y2=height - 20 class="chart-target"></line>
                        <text x=target_x y=height - 6 text-anchor="middle" class="chart-value">{format!("{target}\u{a0}%")}</text>
                    }
                })}
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shares_map_onto_the_bar_area_and_stay_inside_it() {
        assert_eq!(super::x_of(0), super::LABEL);
        assert_eq!(super::x_of(100), super::WIDTH - 40);
        assert!(super::x_of(50) > super::x_of(49));
        assert_eq!(super::x_of(150), super::x_of(100));
        assert_eq!(super::x_of(-5), super::x_of(0));
    }
}
