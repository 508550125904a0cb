//! The contest regulation as plain functions, no I/O: the phases of an edition and what each
//! allows, the assignment of experts to entries, and the ranking of scored entries.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Every criterion is scored with a whole number from 0 to this.
pub const SCORE_MAX: u8 = 5;
/// The regulation: every entry is judged by at least 3 experts; the setting cannot go lower.
pub const MIN_EXPERTS_PER_ENTRY: u32 = 3;

/// Where an edition stands on a given day. The order is the regulation's; the dates are the
/// edition's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Phase {
    /// Before applications open.
    Upcoming,
    /// Applications are accepted and may be edited.
    Applications,
    /// Applications closed; the council is being appointed and entries assigned.
    Appointing,
    /// Experts score their entries.
    Judging,
    /// Judging closed, results frozen but not yet public.
    Deliberation,
    /// Winners announced: results are public.
    Announced,
}

/// An edition's dates, each a day count since 1970-01-01 (Bishkek calendar days). Ranges are
/// inclusive: applications close at the end of `apply_closes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub apply_opens: i64,
    pub apply_closes: i64,
    pub experts_by: i64,
    pub judging_opens: i64,
    pub judging_closes: i64,
    pub announce_on: i64,
    pub awards_from: i64,
    pub awards_until: i64,
}

/// The first pair of dates that is out of the regulation's order (its position in `dates()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfOrder(pub usize);

impl Schedule {
    pub fn dates(&self) -> [i64; 8] {
        [
            self.apply_opens,
            self.apply_closes,
            self.experts_by,
            self.judging_opens,
            self.judging_closes,
            self.announce_on,
            self.awards_from,
            self.awards_until,
        ]
    }

    /// Applications open ≤ close < experts appointed ≤ judging opens ≤ judging closes <
    /// announcement ≤ awards from ≤ awards until.
    pub fn check(&self) -> Result<(), OutOfOrder> {
        let d = self.dates();
        // Index i: the rule between d[i] and d[i + 1]; true means "strictly after".
        const STRICT: [bool; 7] = [false, true, false, false, true, false, false];
        for (i, strict) in STRICT.iter().enumerate() {
            let ok = if *strict {
                d[i] < d[i + 1]
            } else {
                d[i] <= d[i + 1]
            };
            if !ok {
                return Err(OutOfOrder(i + 1));
            }
        }
        Ok(())
    }

    pub fn phase(&self, today: i64) -> Phase {
        if today < self.apply_opens {
            Phase::Upcoming
        } else if today <= self.apply_closes {
            Phase::Applications
        } else if today < self.judging_opens {
            Phase::Appointing
        } else if today <= self.judging_closes {
            Phase::Judging
        } else if today < self.announce_on {
            Phase::Deliberation
        } else {
            Phase::Announced
        }
    }

    /// The days (first, last) an action is allowed, for the refusal message.
    pub fn window(&self, action: Action) -> (i64, i64) {
        match action {
            Action::Apply => (self.apply_opens, self.apply_closes),
            Action::Assign => (self.apply_closes + 1, self.judging_closes),
            Action::Score => (self.judging_opens, self.judging_closes),
            Action::SeeResults => (self.announce_on, i64::MAX),
        }
    }

    /// The days (first, last) a phase lasts, as the home card and the timeline print them: the
    /// phases tile the calendar from the applications on, and `Upcoming` shows the window it
    /// waits for.
    pub fn window_of(&self, phase: Phase) -> (i64, i64) {
        match phase {
            Phase::Upcoming | Phase::Applications => (self.apply_opens, self.apply_closes),
            Phase::Appointing => (self.apply_closes + 1, self.judging_opens - 1),
            Phase::Judging => (self.judging_opens, self.judging_closes),
            Phase::Deliberation => (self.judging_closes + 1, self.announce_on - 1),
            Phase::Announced => (self.announce_on, self.awards_until),
        }
    }

    pub fn allows(&self, action: Action, today: i64) -> bool {
        let (first, last) = self.window(action);
        (first..=last).contains(&today)
    }
}

/// What the phase gates. Appointing experts is open at any time before judging closes, so it is
/// not listed; the organiser's results view is not gated either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    Apply,
    Assign,
    Score,
    SeeResults,
}

/// A scored entry as assignment sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRef {
    pub id: i64,
    pub nomination: i64,
    pub applicant: i64,
    pub department: String,
}

/// An appointed expert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertRef {
    pub id: i64,
    pub nominations: BTreeSet<i64>,
    pub department: String,
    /// Barred from the whole contest by the organiser.
    pub barred: bool,
}

/// Conflicts declared by experts or set by the organiser: (expert, entry).
pub type Conflicts = BTreeSet<(i64, i64)>;

fn same_department(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

/// Why an expert may not score an entry; `None` when they may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ineligible {
    OtherNomination,
    Barred,
    Declared,
    SameDepartment,
    OwnEntry,
}

pub fn ineligible(
    entry: &EntryRef,
    expert: &ExpertRef,
    conflicts: &Conflicts,
) -> Option<Ineligible> {
    if !expert.nominations.contains(&entry.nomination) {
        Some(Ineligible::OtherNomination)
    } else if expert.barred {
        Some(Ineligible::Barred)
    } else if expert.id == entry.applicant {
        Some(Ineligible::OwnEntry)
    } else if conflicts.contains(&(expert.id, entry.id)) {
        Some(Ineligible::Declared)
    } else if same_department(&entry.department, &expert.department) {
        Some(Ineligible::SameDepartment)
    } else {
        None
    }
}

/// An entry that cannot get its minimum of experts, and how many it could have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    pub entry: i64,
    pub eligible: usize,
    pub needed: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assignment {
    /// Entry → its experts, ascending ids.
    pub experts_of: BTreeMap<i64, Vec<i64>>,
    /// Entries that cannot have `needed` experts; they get every eligible expert there is.
    pub short: Vec<Shortfall>,
}

impl Assignment {
    /// Entries per expert (every appointed expert, zero included).
    pub fn loads(&self, experts: &[ExpertRef]) -> BTreeMap<i64, usize> {
        let mut loads: BTreeMap<i64, usize> = experts.iter().map(|e| (e.id, 0)).collect();
        for ids in self.experts_of.values() {
            for id in ids {
                *loads.entry(*id).or_default() += 1;
            }
        }
        loads
    }
}

/// Gives every entry `needed` eligible experts of its nomination, spreading the work as evenly as
/// the conflicts allow. Deterministic: the same input gives the same assignment whatever the
/// order of the slices.
pub fn assign(
    entries: &[EntryRef],
    experts: &[ExpertRef],
    conflicts: &Conflicts,
    needed: usize,
) -> Assignment {
    let mut entries: Vec<&EntryRef> = entries.iter().collect();
    let mut experts: Vec<&ExpertRef> = experts.iter().collect();
    experts.sort_by_key(|e| e.id);
    let eligible_of: BTreeMap<i64, Vec<i64>> = entries
        .iter()
        .map(|entry| {
            let ids = experts
                .iter()
                .filter(|ex| ineligible(entry, ex, conflicts).is_none())
                .map(|ex| ex.id)
                .collect();
            (entry.id, ids)
        })
        .collect();
    // The most constrained entries choose first, so they are not left with nobody.
    entries.sort_by_key(|e| (eligible_of[&e.id].len(), e.id));
    let mut load: BTreeMap<i64, usize> = experts.iter().map(|e| (e.id, 0)).collect();
    let mut out = Assignment::default();
    for entry in &entries {
        let eligible = &eligible_of[&entry.id];
        let mut chosen: Vec<i64> = eligible.clone();
        chosen.sort_by_key(|id| (load[id], *id));
        chosen.truncate(needed);
        for id in &chosen {
            *load.get_mut(id).expect("expert known") += 1;
        }
        chosen.sort_unstable();
        if eligible.len() < needed {
            out.short.push(Shortfall {
                entry: entry.id,
                eligible: eligible.len(),
                needed,
            });
        }
        out.experts_of.insert(entry.id, chosen);
    }
    // Then even out: move an entry from a busiest expert to an eligible idle one while that
    // narrows the gap. Each move lowers the sum of squared loads, so this ends.
    loop {
        let mut moved = false;
        for entry in &entries {
            let eligible = &eligible_of[&entry.id];
            let current = out.experts_of.get_mut(&entry.id).expect("assigned");
            let busiest = current.iter().copied().max_by_key(|id| (load[id], *id));
            let idlest = eligible
                .iter()
                .copied()
                .filter(|id| !current.contains(id))
                .min_by_key(|id| (load[id], *id));
            if let (Some(from), Some(to)) = (busiest, idlest) {
                if load[&from] >= load[&to] + 2 {
                    current.retain(|id| *id != from);
                    current.push(to);
                    current.sort_unstable();
                    *load.get_mut(&from).expect("known") -= 1;
                    *load.get_mut(&to).expect("known") += 1;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    out.short.sort_by_key(|s| s.entry);
    out
}

/// One expert's submitted scores for an entry, one per criterion in the nomination's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub expert: i64,
    pub scores: Vec<u8>,
}

impl Evaluation {
    pub fn total(&self) -> u32 {
        self.scores.iter().map(|s| u32::from(*s)).sum()
    }
}

/// An entry with its submitted evaluations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryScores {
    pub entry: i64,
    pub nomination: i64,
    pub criteria: usize,
    pub evaluations: Vec<Evaluation>,
}

/// A mean kept exact (sum / count), so equal scores are equal however they were reached:
/// 48/2 equals 72/3 (comparison is by value, not by the pair).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Mean {
    pub sum: u64,
    pub count: u64,
}

impl Mean {
    /// Hundredths, rounded half up: what the pages print with two decimals.
    pub fn hundredths(&self) -> u64 {
        if self.count == 0 {
            return 0;
        }
        (self.sum * 200 + self.count) / (2 * self.count)
    }

    pub fn text(&self) -> String {
        let h = self.hundredths();
        format!("{}.{:02}", h / 100, h % 100)
    }
}

impl Ord for Mean {
    fn cmp(&self, other: &Self) -> Ordering {
        (u128::from(self.sum) * u128::from(other.count))
            .cmp(&(u128::from(other.sum) * u128::from(self.count)))
    }
}

impl PartialEq for Mean {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Mean {}

impl PartialOrd for Mean {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// An entry's result. `place` is `None` for an incomplete entry (too few evaluations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Standing {
    pub entry: i64,
    pub nomination: i64,
    pub place: Option<u32>,
    /// Another entry of the nomination has the same score (and so the same place).
    pub tied: bool,
    pub evaluations: u32,
    /// The mean of the experts' totals: the entry's score.
    pub score: Mean,
    /// The mean per criterion, in the nomination's order.
    pub criterion_means: Vec<Mean>,
    /// Highest total minus lowest total.
    pub spread: u32,
    /// The spread is above the edition's limit: the experts disagree strongly.
    pub disagreement: bool,
}

/// Ranks each nomination's entries by score, higher first. Equal scores share a place and the
/// next place skips (1, 2, 2, 4). Entries with fewer than `needed` evaluations are listed after
/// the ranked ones, unranked. The result does not depend on the order of the input.
pub fn rank(entries: &[EntryScores], needed: usize, spread_limit: u32) -> Vec<Standing> {
    let mut standings: Vec<Standing> = entries
        .iter()
        .map(|e| {
            let totals: Vec<u32> = e.evaluations.iter().map(Evaluation::total).collect();
            let count = totals.len() as u64;
            let spread = match (totals.iter().max(), totals.iter().min()) {
                (Some(max), Some(min)) => max - min,
                _ => 0,
            };
            let criterion_means = (0..e.criteria)
                .map(|c| Mean {
                    sum: e
                        .evaluations
                        .iter()
                        .map(|ev| u64::from(ev.scores.get(c).copied().unwrap_or(0)))
                        .sum(),
                    count,
                })
                .collect();
            Standing {
                entry: e.entry,
                nomination: e.nomination,
                place: None,
                tied: false,
                evaluations: count as u32,
                score: Mean {
                    sum: totals.iter().map(|t| u64::from(*t)).sum(),
                    count,
                },
                criterion_means,
                spread,
                disagreement: spread > spread_limit,
            }
        })
        .collect();
    let complete = |s: &Standing| s.evaluations as usize >= needed;
    standings.sort_by(|a, b| {
        a.nomination
            .cmp(&b.nomination)
            .then(complete(b).cmp(&complete(a)))
            .then(if complete(a) {
                b.score.cmp(&a.score)
            } else {
                Ordering::Equal
            })
            .then(a.entry.cmp(&b.entry))
    });
    // Places within each nomination's run of complete entries.
    let mut i = 0;
    while i < standings.len() {
        let nomination = standings[i].nomination;
        let mut place = 1u32;
        let mut j = i;
        while j < standings.len() && standings[j].nomination == nomination {
            if !complete(&standings[j]) {
                j += 1;
                continue;
            }
            // A run of equal scores shares the place of its first member.
            let mut k = j;
            while k < standings.len()
                && standings[k].nomination == nomination
                && complete(&standings[k])
                && standings[k].score == standings[j].score
            {
                k += 1;
            }
            let tied = k - j > 1;
            for s in &mut standings[j..k] {
                s.place = Some(place);
                s.tied = tied;
            }
            place += (k - j) as u32;
            j = k;
        }
        i = j;
    }
    standings
}

/// Each entry's mean total after normalising every expert (per nomination): an expert's totals
/// become z-scores against their own mean and spread, then are put back on the nomination's
/// overall mean and spread. A lenient and a severe expert then weigh the same. An expert with a
/// single entry, or the same total everywhere, is taken as is.
pub fn normalised(entries: &[EntryScores]) -> BTreeMap<i64, f64> {
    let mut out = BTreeMap::new();
    let nominations: BTreeSet<i64> = entries.iter().map(|e| e.nomination).collect();
    for nomination in nominations {
        let of_nomination: Vec<&EntryScores> = entries
            .iter()
            .filter(|e| e.nomination == nomination)
            .collect();
        let all: Vec<f64> = of_nomination
            .iter()
            .flat_map(|e| e.evaluations.iter().map(|v| f64::from(v.total())))
            .collect();
        let (mean, sd) = mean_sd(&all);
        let mut per_expert: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
        for e in &of_nomination {
            for v in &e.evaluations {
                per_expert
                    .entry(v.expert)
                    .or_default()
                    .push(f64::from(v.total()));
            }
        }
        let stats: BTreeMap<i64, (f64, f64)> = per_expert
            .iter()
            .map(|(expert, totals)| (*expert, mean_sd(totals)))
            .collect();
        for e in &of_nomination {
            if e.evaluations.is_empty() {
                continue;
            }
            let sum: f64 = e
                .evaluations
                .iter()
                .map(|v| {
                    let total = f64::from(v.total());
                    match stats.get(&v.expert) {
                        Some((m, s)) if *s > 0.0 && per_expert[&v.expert].len() > 1 => {
                            mean + (total - m) / s * sd
                        }
                        _ => total,
                    }
                })
                .sum();
            out.insert(e.entry, sum / e.evaluations.len() as f64);
        }
    }
    out
}

fn mean_sd(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (0.0, 0.0);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Place 1 wins; places 2 and 3 are prize places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Award {
    Winner,
    Prize,
}

pub fn award(place: Option<u32>) -> Option<Award> {
    match place {
        Some(1) => Some(Award::Winner),
        Some(2 | 3) => Some(Award::Prize),
        _ => None,
    }
}

/// Reads one criterion's score as typed in a form: a whole number 0-5.
pub fn parse_score(raw: &str) -> Option<u8> {
    raw.trim().parse::<u8>().ok().filter(|s| *s <= SCORE_MAX)
}

/// How many times each score 0-5 was given (index = score): the organiser sees at a glance
/// whether the experts use the whole scale or crowd at one end of it.
pub fn score_counts<'a>(scores: impl IntoIterator<Item = &'a u8>) -> [u32; SCORE_MAX as usize + 1] {
    let mut counts = [0; SCORE_MAX as usize + 1];
    for &score in scores {
        if let Some(count) = counts.get_mut(usize::from(score)) {
            *count += 1;
        }
    }
    counts
}

/// A count as a whole percentage of `total`, rounded half up; none of nothing.
pub fn percent_of(count: u32, total: u32) -> Option<i64> {
    (total > 0).then(|| (i64::from(count) * 200 + i64::from(total)) / (2 * i64::from(total)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn schedule() -> Schedule {
        // The 2021 edition: 15-30 March, experts 1 April, judging 2-30 April, 10 May, awards.
        Schedule {
            apply_opens: 100,
            apply_closes: 115,
            experts_by: 117,
            judging_opens: 118,
            judging_closes: 146,
            announce_on: 156,
            awards_from: 176,
            awards_until: 192,
        }
    }

    #[test]
    fn phases_follow_the_dates_with_inclusive_ends() {
        let s = schedule();
        assert_eq!(s.check(), Ok(()));
        assert_eq!(s.phase(99), Phase::Upcoming);
        assert_eq!(s.phase(100), Phase::Applications);
        assert_eq!(s.phase(115), Phase::Applications);
        assert_eq!(s.phase(116), Phase::Appointing);
        assert_eq!(s.phase(118), Phase::Judging);
        assert_eq!(s.phase(146), Phase::Judging);
        assert_eq!(s.phase(147), Phase::Deliberation);
        assert_eq!(s.phase(156), Phase::Announced);
        assert!(s.allows(Action::Apply, 115));
        assert!(!s.allows(Action::Apply, 116));
        assert!(!s.allows(Action::Score, 117));
        assert!(s.allows(Action::Assign, 116));
        assert!(!s.allows(Action::Assign, 115));
        assert!(s.allows(Action::SeeResults, 10_000));
    }

    #[test]
    fn dates_out_of_order_name_the_first_wrong_one() {
        let mut s = schedule();
        s.apply_closes = s.experts_by; // closing must come strictly before the appointment
        assert_eq!(s.check(), Err(OutOfOrder(2)));
        let mut s = schedule();
        s.awards_until = s.awards_from - 1;
        assert_eq!(s.check(), Err(OutOfOrder(7)));
    }

    fn expert(id: i64, nominations: &[i64], department: &str) -> ExpertRef {
        ExpertRef {
            id,
            nominations: nominations.iter().copied().collect(),
            department: department.into(),
            barred: false,
        }
    }

    fn entry(id: i64, nomination: i64, department: &str) -> EntryRef {
        EntryRef {
            id,
            nomination,
            applicant: 1000 + id,
            department: department.into(),
        }
    }

    #[test]
    fn conflicts_keep_an_expert_away() {
        let experts: Vec<_> = (1..=4).map(|i| expert(i, &[1], "")).collect();
        let mut experts = experts;
        experts[3].department = "Физика кафедрасы".into();
        let entries = vec![entry(10, 1, "  физика   КАФЕДРАСЫ ")];
        let conflicts = Conflicts::from([(1, 10)]);
        let a = assign(&entries, &experts, &conflicts, 3);
        // Expert 1 declared a conflict, expert 4 is of the same department: 2 and 3 remain.
        assert_eq!(a.experts_of[&10], vec![2, 3]);
        assert_eq!(
            a.short,
            vec![Shortfall {
                entry: 10,
                eligible: 2,
                needed: 3
            }]
        );
        assert_eq!(
            ineligible(&entries[0], &experts[3], &conflicts),
            Some(Ineligible::SameDepartment)
        );
    }

    #[test]
    fn an_applicant_never_scores_their_own_entry() {
        let mut e = entry(5, 1, "");
        e.applicant = 7;
        assert_eq!(
            ineligible(&e, &expert(7, &[1], ""), &Conflicts::new()),
            Some(Ineligible::OwnEntry)
        );
    }

    #[test]
    fn five_experts_share_ten_entries_evenly() {
        let experts: Vec<_> = (1..=5).map(|i| expert(i, &[1], "")).collect();
        let entries: Vec<_> = (1..=10).map(|i| entry(i, 1, "")).collect();
        let a = assign(&entries, &experts, &Conflicts::new(), 3);
        assert!(a.short.is_empty());
        let loads = a.loads(&experts);
        assert_eq!(loads.values().sum::<usize>(), 30);
        assert!(loads.values().all(|l| *l == 6), "{loads:?}");
    }

    fn ranked(entry: i64, totals: &[&[u8]]) -> EntryScores {
        EntryScores {
            entry,
            nomination: 1,
            criteria: totals.first().map_or(0, |t| t.len()),
            evaluations: totals
                .iter()
                .enumerate()
                .map(|(i, s)| Evaluation {
                    expert: i as i64 + 1,
                    scores: s.to_vec(),
                })
                .collect(),
        }
    }

    #[test]
    fn equal_scores_share_a_place_and_the_next_is_skipped() {
        let entries = vec![
            ranked(1, &[&[5, 5], &[4, 4], &[3, 3]]), // mean 8
            ranked(2, &[&[5, 4], &[4, 4], &[4, 3]]), // mean 8
            ranked(3, &[&[5, 5], &[5, 5], &[5, 5]]), // mean 10
            ranked(4, &[&[1, 1], &[1, 1], &[1, 2]]), // mean 2.33
            ranked(5, &[&[5, 5], &[5, 5]]),          // 2 evaluations: incomplete
        ];
        let s = rank(&entries, 3, 4);
        let places: Vec<_> = s.iter().map(|s| (s.entry, s.place, s.tied)).collect();
        assert_eq!(
            places,
            vec![
                (3, Some(1), false),
                (1, Some(2), true),
                (2, Some(2), true),
                (4, Some(4), false),
                (5, None, false),
            ]
        );
        assert_eq!(s[3].score.text(), "2.33");
        assert_eq!(s[1].criterion_means[0].text(), "4.00");
        assert_eq!(s[1].spread, 4);
        assert!(!s[1].disagreement);
        assert_eq!(award(s[0].place), Some(Award::Winner));
        assert_eq!(award(s[1].place), Some(Award::Prize));
        assert_eq!(award(s[3].place), None);
    }

    #[test]
    fn a_wide_spread_is_flagged() {
        let s = rank(&[ranked(1, &[&[5, 5], &[0, 0], &[3, 3]])], 3, 4);
        assert_eq!(s[0].spread, 10);
        assert!(s[0].disagreement);
    }

    #[test]
    fn two_decimals_round_half_up() {
        assert_eq!(Mean { sum: 1, count: 8 }.text(), "0.13"); // 0.125
        assert_eq!(Mean { sum: 2, count: 3 }.text(), "0.67");
        assert_eq!(Mean { sum: 0, count: 0 }.text(), "0.00");
        // Equal by value: two experts' 24 and three experts' 36 are the same mean.
        assert_eq!(Mean { sum: 48, count: 2 }, Mean { sum: 72, count: 3 });
        assert!(Mean { sum: 49, count: 2 } > Mean { sum: 72, count: 3 });
        assert_eq!(parse_score(" 5 "), Some(5));
        assert_eq!(parse_score("6"), None);
        assert_eq!(parse_score("-1"), None);
        assert_eq!(parse_score("4.5"), None);
    }

    #[test]
    fn normalising_evens_out_a_severe_expert() {
        // Expert 1 gives everyone 10 points less than expert 2 (8 criteria): after normalising,
        // the order by each expert is kept and the two experts count alike.
        let entry = |id: i64, a: u8, b: u8| EntryScores {
            entry: id,
            nomination: 1,
            criteria: 1,
            evaluations: vec![
                Evaluation {
                    expert: 1,
                    scores: vec![a],
                },
                Evaluation {
                    expert: 2,
                    scores: vec![b],
                },
            ],
        };
        let n = normalised(&[entry(1, 1, 5), entry(2, 0, 4), entry(3, 1, 5)]);
        assert!(n[&1] > n[&2]);
        assert!((n[&1] - n[&3]).abs() < 1e-9);
        // The nomination's mean is kept: (6 + 4 + 6) / 6 = 2.67 raw, and the same normalised.
        let mean = (n[&1] + n[&2] + n[&3]) / 3.0;
        assert!((mean - 16.0 / 6.0).abs() < 1e-9, "{mean}");
        // A single evaluation is taken as is.
        let one = normalised(&[EntryScores {
            entry: 9,
            nomination: 2,
            criteria: 1,
            evaluations: vec![Evaluation {
                expert: 7,
                scores: vec![3],
            }],
        }]);
        assert_eq!(one[&9], 3.0);
    }

    fn arb_case() -> impl Strategy<Value = (Vec<EntryRef>, Vec<ExpertRef>, Conflicts)> {
        (1usize..40, 3usize..12, 0usize..30, any::<u64>()).prop_map(
            |(n_entries, n_experts, n_conf, seed)| {
                let mut rng = seed;
                let mut next = move || {
                    rng = rng
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (rng >> 33) as usize
                };
                let departments = ["A", "B", "C", "D", "E"];
                let experts: Vec<_> = (0..n_experts)
                    .map(|i| {
                        expert(
                            i as i64 + 1,
                            &[1 + (next() % 2) as i64],
                            departments[next() % 5],
                        )
                    })
                    .collect();
                let entries: Vec<_> = (0..n_entries)
                    .map(|i| {
                        entry(
                            100 + i as i64,
                            1 + (next() % 2) as i64,
                            departments[next() % 5],
                        )
                    })
                    .collect();
                let conflicts = (0..n_conf)
                    .map(|_| {
                        (
                            1 + (next() % n_experts) as i64,
                            100 + (next() % n_entries) as i64,
                        )
                    })
                    .collect();
                (entries, experts, conflicts)
            },
        )
    }

    #[test]
    fn each_phase_window_holds_exactly_its_days() {
        let s = schedule();
        for day in s.apply_opens..=s.awards_until {
            let phase = s.phase(day);
            let (first, last) = s.window_of(phase);
            assert!(
                (first..=last).contains(&day),
                "{day} in {phase:?} {first}..={last}"
            );
            // The day before the window belongs to another phase (the windows tile).
            if first > s.apply_opens {
                assert_ne!(s.phase(first - 1), phase);
            }
        }
        assert_eq!(s.window_of(Phase::Upcoming), (100, 115));
        assert_eq!(s.window_of(Phase::Appointing), (116, 117));
    }

    #[test]
    fn score_counts_tally_each_score_and_ignore_out_of_scale_ones() {
        let counts = score_counts(&[5, 5, 4, 0, 3, 5, 9]);
        assert_eq!(counts, [1, 0, 0, 1, 1, 3]);
        assert_eq!(score_counts(&[]), [0; 6]);
    }

    #[test]
    fn percentages_round_half_up_and_nothing_has_no_share() {
        assert_eq!(percent_of(1, 3), Some(33));
        assert_eq!(percent_of(2, 3), Some(67));
        assert_eq!(percent_of(1, 8), Some(13));
        assert_eq!(percent_of(4, 4), Some(100));
        assert_eq!(percent_of(0, 0), None);
    }

    proptest! {
        #[test]
        fn score_counts_add_up_to_the_scores_on_the_scale(scores in prop::collection::vec(0u8..=7, 0..200)) {
            let counts = score_counts(&scores);
            let on_scale = scores.iter().filter(|s| **s <= SCORE_MAX).count();
            prop_assert_eq!(counts.iter().sum::<u32>() as usize, on_scale);
            let shares: i64 = counts.iter().filter_map(|c| percent_of(*c, on_scale as u32)).sum();
            // Rounded shares of a whole stay within one point per bar of 100 %.
            prop_assert!(on_scale == 0 || (shares - 100).abs() <= 6);
        }

        #[test]
        fn assignment_respects_conflicts_and_the_minimum(case in arb_case()) {
            let (entries, experts, conflicts) = case;
            let a = assign(&entries, &experts, &conflicts, 3);
            for e in &entries {
                let chosen = &a.experts_of[&e.id];
                let eligible = experts.iter().filter(|x| ineligible(e, x, &conflicts).is_none()).count();
                // Never a conflicted pair, never the same expert twice.
                for id in chosen {
                    let x = experts.iter().find(|x| x.id == *id).unwrap();
                    prop_assert_eq!(ineligible(e, x, &conflicts), None);
                }
                let unique: BTreeSet<_> = chosen.iter().collect();
                prop_assert_eq!(unique.len(), chosen.len());
                // At least 3 whenever 3 are eligible; otherwise every eligible one, and reported.
                prop_assert_eq!(chosen.len(), eligible.min(3));
                let reported = a.short.iter().any(|s| s.entry == e.id);
                prop_assert_eq!(reported, eligible < 3);
            }
        }

        #[test]
        fn without_conflicts_loads_differ_by_at_most_one(n_entries in 1usize..60, n_experts in 3usize..16) {
            let experts: Vec<_> = (1..=n_experts as i64).map(|i| expert(i, &[1], "")).collect();
            let entries: Vec<_> = (1..=n_entries as i64).map(|i| entry(i, 1, "")).collect();
            let a = assign(&entries, &experts, &Conflicts::new(), 3);
            let loads = a.loads(&experts);
            let max = loads.values().max().unwrap();
            let min = loads.values().min().unwrap();
            prop_assert!(max - min <= 1, "{:?}", loads);
        }

        #[test]
        fn assignment_ignores_input_order(case in arb_case(), rotate in 0usize..40) {
            let (mut entries, mut experts, conflicts) = case;
            let first = assign(&entries, &experts, &conflicts, 3);
            let r = rotate % entries.len();
            entries.rotate_left(r);
            experts.reverse();
            prop_assert_eq!(assign(&entries, &experts, &conflicts, 3), first);
        }

        #[test]
        fn ranking_ignores_order_and_ties_share_places(
            scores in prop::collection::vec(prop::collection::vec(prop::collection::vec(0u8..=5, 3), 1..5), 1..30),
            rotate in 0usize..30,
        ) {
            let entries: Vec<EntryScores> = scores.iter().enumerate().map(|(i, evs)| EntryScores {
                entry: i as i64 + 1,
                nomination: 1 + (i % 2) as i64,
                criteria: 3,
                evaluations: evs.iter().enumerate().map(|(k, s)| Evaluation { expert: k as i64, scores: s.clone() }).collect(),
            }).collect();
            let ranked = rank(&entries, 3, 5);
            let mut shuffled = entries.clone();
            shuffled.rotate_left(rotate % entries.len());
            prop_assert_eq!(rank(&shuffled, 3, 5), ranked.clone());
            for s in &ranked {
                prop_assert_eq!(s.place.is_some(), s.evaluations >= 3);
                if let Some(place) = s.place {
                    // Place = 1 + entries of the nomination with a strictly higher score.
                    let higher = ranked.iter().filter(|o| o.nomination == s.nomination && o.place.is_some() && o.score > s.score).count();
                    prop_assert_eq!(place as usize, higher + 1);
                }
            }
        }
    }
}
