//! Spending thresholds of vouchers (满减): `满150元及以上可使用50元面额券1张，…。消费满100元及以上可使用20元面额券1张，
//! 满50元及以上可使用10元面额券1张`, `满500减158元800份、满188减58元1000份、满88减38元2000份`, `（含“满100减50元券”30张、
//! “满500减250元券”20张、…）`. Two or more tiers close together in one line, with distinct thresholds each above its
//! voucher, are a table of threshold and voucher. Seen in three fixture documents (a restaurant voucher notice, a
//! league's second batch of vouchers, a district's house-purchase vouchers); a county's voucher notice and a city's
//! house-purchase plan write a single tier.
//!
//! The amounts of these tiers are often written without `元` (`满100减50元券`), so the finders that pair amounts
//! with conditions ([`super::find`]) see one number where there are two.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use tujie_model::{Cell, Table};

use super::{MAX_ROWS, cell};
use crate::normalize::Norm;

/// One tier: the threshold (`满150元及以上`) and the voucher's amount (`50元`).
static TIER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"满(\d+(?:\.\d+)?)元?(?:及以上|以上)?(?:可使用|可用|使用|立减|减)(\d+(?:\.\d+)?)元?")
        .expect("voucher tier regex")
});

/// Longest text between two tiers of one table, in characters (`1张，仅限在餐饮行业商户使用。消费`).
const MAX_GAP_CHARS: usize = 40;

/// Whether the text between two tiers is short and states no other amount (`1张，仅限在餐饮行业商户使用。消费`,
/// `活动期间共发放800份名额，…；`): the cells of a flattened table (`10005.838元消费券`) are no list of tiers.
fn plain_gap(gap: &str) -> bool {
    static AMOUNT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d[\d.]*万?元").expect("amount regex"));
    gap.chars().count() <= MAX_GAP_CHARS && !AMOUNT.is_match(gap)
}

/// Tables of voucher tiers in line `l`, with their ranges.
pub(super) fn find(norm: &Norm, l: Range<usize>) -> Vec<(Table, Range<usize>)> {
    let text = norm.get(l.clone());
    let mut out = Vec::new();
    let mut run: Vec<Tier> = Vec::new();
    for c in TIER.captures_iter(text) {
        let Some(tier) = Tier::read(&c, l.start) else { continue };
        let close = run.last().is_some_and(|p| plain_gap(norm.get(p.end..tier.threshold.start)));
        if !close {
            out.extend(table(norm, &std::mem::take(&mut run)));
        }
        run.push(tier);
    }
    out.extend(table(norm, &run));
    out
}

/// One tier's threshold and voucher, as source ranges, and where its match ends.
struct Tier {
    threshold: Range<usize>,
    voucher: Range<usize>,
    end: usize,
    /// The threshold's and the voucher's numbers, to check that the voucher is the smaller.
    numbers: (f64, f64),
}

impl Tier {
    /// The tier of a match at `offset`: the threshold runs from `满` to the verb, the voucher is the second number
    /// with its `元`.
    fn read(c: &regex::Captures<'_>, offset: usize) -> Option<Tier> {
        let (all, spend, value) = (c.get(0)?, c.get(1)?, c.get(2)?);
        let verb_at =
            all.as_str()[spend.end() - all.start()..].find(['可', '使', '立', '减']).map(|i| spend.end() + i)?;
        let voucher_end = if all.as_str().ends_with('元') { all.end() } else { value.end() };
        Some(Tier {
            threshold: offset + all.start()..offset + verb_at,
            voucher: offset + value.start()..offset + voucher_end,
            end: offset + all.end(),
            numbers: (spend.as_str().parse().ok()?, value.as_str().parse().ok()?),
        })
    }
}

/// The table of a run of tiers: at least two, with distinct thresholds, each above its voucher.
fn table(norm: &Norm, run: &[Tier]) -> Option<(Table, Range<usize>)> {
    if run.len() < 2 || run.len() > MAX_ROWS {
        return None;
    }
    let thresholds: Vec<f64> = run.iter().map(|t| t.numbers.0).collect();
    let distinct = thresholds.iter().enumerate().all(|(i, a)| thresholds[..i].iter().all(|b| b != a));
    if !distinct || run.iter().any(|t| t.numbers.1 >= t.numbers.0) {
        return None;
    }
    let rows = run.iter().map(|t| vec![cell(norm, t.threshold.clone()), cell(norm, t.voucher.clone())]).collect();
    let header = vec![Cell::new("使用门槛", Vec::new()), Cell::new("券面额", Vec::new())];
    Some((Table { caption: String::new(), header, rows }, run[0].threshold.start..run[run.len() - 1].end))
}
