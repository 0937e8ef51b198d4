//! Percentiles and the JSON (or pretty text) loadgen prints.

use serde_json::json;

pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v
}

pub fn lat_json(ms: &[f64]) -> serde_json::Value {
    let s = sorted(ms.to_vec());
    json!({
        "n": s.len(),
        "p50": percentile(&s, 50.0),
        "p90": percentile(&s, 90.0),
        "p99": percentile(&s, 99.0),
        "min": s.first().copied().unwrap_or(f64::NAN),
        "max": s.last().copied().unwrap_or(f64::NAN),
    })
}

pub fn emit(json_out: bool, v: &serde_json::Value) {
    if json_out {
        println!("{v}");
    } else {
        println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_nearest_rank() {
        let s = sorted((1..=101).rev().map(f64::from).collect());
        assert_eq!(percentile(&s, 50.0), 51.0);
        assert_eq!(percentile(&s, 90.0), 91.0);
        assert_eq!(percentile(&s, 0.0), 1.0);
        assert_eq!(percentile(&s, 100.0), 101.0);
        assert!(percentile(&[], 50.0).is_nan());
        let j = lat_json(&[3.0, 1.0, 2.0]);
        assert_eq!(j["n"], 3);
        assert_eq!(j["p50"], 2.0);
        assert_eq!(j["min"], 1.0);
        assert_eq!(j["max"], 3.0);
    }
}
