//! Ranking benchmark (run by `make bench`): 3 nominations × 1,000 entries × 5 experts ×
//! 9 criteria, ranked the way the results page does it. Prints one JSON line with the median
//! and the worst of 31 runs in milliseconds (target: 10 ms).

use app::contest::rules::{rank, EntryScores, Evaluation};
use std::time::Instant;

const NOMINATIONS: i64 = 3;
const ENTRIES: i64 = 1_000;
const EXPERTS: i64 = 5;
const CRITERIA: usize = 9;
const RUNS: usize = 31;

fn main() {
    // A fixed pseudo-random sheet: the same work on every run and every machine.
    let mut seed = 0x5eed_u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) % 6) as u8
    };
    let entries: Vec<EntryScores> = (0..NOMINATIONS * ENTRIES)
        .map(|i| EntryScores {
            entry: i,
            nomination: i % NOMINATIONS,
            criteria: CRITERIA,
            evaluations: (0..EXPERTS)
                .map(|expert| Evaluation {
                    expert,
                    scores: (0..CRITERIA).map(|_| next()).collect(),
                })
                .collect(),
        })
        .collect();
    let mut times = Vec::with_capacity(RUNS);
    let mut ranked = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let standings = rank(&entries, 3, 10);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        ranked = standings.iter().filter(|s| s.place.is_some()).count();
    }
    assert_eq!(
        ranked as i64,
        NOMINATIONS * ENTRIES,
        "every entry is complete"
    );
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{{\"ranking_ms\": {:.3}, \"ranking_max_ms\": {:.3}, \"ranking_entries\": {}}}",
        times[RUNS / 2],
        times[RUNS - 1],
        NOMINATIONS * ENTRIES
    );
}
