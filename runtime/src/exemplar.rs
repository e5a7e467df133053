//! Exemplars: the trace that a recorded call belongs to, kept next to the
//! bucket or counter it landed in, so that a dashboard can link a slow
//! bucket to one of its requests.
//!
//! A call records an exemplar only while a [`TraceContext`] is current on
//! its thread; calls without one pay a thread-local read. Each cell of a
//! call site has one slot, which holds the latest exemplar: a seqlock of
//! atomics, so neither recording nor a scrape ever waits on the other.

use std::sync::atomic::{fence, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::cell::stripe_len;
use crate::decl::{CallSite, ExemplarSlot};
use crate::trace::TraceContext;

/// One exemplar as a scrape reads it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Exemplar {
    pub(crate) trace: TraceContext,
    /// The observed value: seconds for a histogram, 1 for a counter.
    pub(crate) value: f64,
    /// When it was recorded, in milliseconds since the Unix epoch.
    pub(crate) timestamp_ms: u64,
}

impl Exemplar {
    /// `trace_id="..",span_id=".."`: 67 characters, well within
    /// OpenMetrics' 128 for an exemplar's labels.
    pub(crate) fn write_labels(&self, out: &mut String) {
        out.push_str("trace_id=\"");
        push_hex(out, &self.trace.trace_id());
        out.push_str("\",span_id=\"");
        push_hex(out, &self.trace.span_id());
        out.push('"');
    }
}

impl Exemplar {
    /// The trace and span ids, in lowercase hex.
    pub(crate) fn ids(&self) -> (String, String) {
        let (mut trace, mut span) = (String::new(), String::new());
        push_hex(&mut trace, &self.trace.trace_id());
        push_hex(&mut span, &self.trace.span_id());
        (trace, span)
    }
}

fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
}

/// The slot of one cell: a seqlock, so that neither recording nor a scrape
/// ever waits on the other.
impl ExemplarSlot {
    /// Stores `exemplar`, unless another thread is storing one into this
    /// slot right now: then theirs is as recent, and nobody waits.
    pub(crate) fn store(&self, exemplar: &Exemplar) {
        let sequence = self.sequence.load(Ordering::Relaxed);
        if sequence & 1 == 1
            || self
                .sequence
                .compare_exchange(sequence, sequence + 1, Ordering::Acquire, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        fence(Ordering::Release);
        let [trace_high, trace_low] = split(exemplar.trace.trace_id());
        let words = [
            trace_high,
            trace_low,
            u64::from_be_bytes(exemplar.trace.span_id()),
            exemplar.value.to_bits(),
            exemplar.timestamp_ms,
        ];
        for (slot, word) in self.words.iter().zip(words) {
            slot.store(word, Ordering::Relaxed);
        }
        self.sequence.store(sequence + 2, Ordering::Release);
    }

    /// The exemplar stored last, if any. A read that overlaps a write is
    /// retried a few times, then given up for this scrape.
    pub(crate) fn load(&self) -> Option<Exemplar> {
        for _ in 0..4 {
            let before = self.sequence.load(Ordering::Acquire);
            if before == 0 {
                return None;
            }
            let words = self
                .words
                .each_ref()
                .map(|word| word.load(Ordering::Relaxed));
            fence(Ordering::Acquire);
            if before & 1 == 0 && self.sequence.load(Ordering::Relaxed) == before {
                let mut trace_id = [0; 16];
                trace_id[..8].copy_from_slice(&words[0].to_be_bytes());
                trace_id[8..].copy_from_slice(&words[1].to_be_bytes());
                // Only valid contexts are stored, so this is never `None`.
                return TraceContext::new(trace_id, words[2].to_be_bytes()).map(|trace| Exemplar {
                    trace,
                    value: f64::from_bits(words[3]),
                    timestamp_ms: words[4],
                });
            }
            std::hint::spin_loop();
        }
        None
    }
}

fn split(id: [u8; 16]) -> [u64; 2] {
    let (high, low) = id.split_at(8);
    [high, low].map(|half| u64::from_be_bytes(half.try_into().expect("8 bytes")))
}

/// Milliseconds since the Unix epoch, for an exemplar's timestamp.
pub(crate) fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
        })
}

/// Keeps `value`, observed with `trace` current, as the exemplar of
/// `site`'s cell `cell` (an offset within a stripe).
#[cold]
pub(crate) fn record(site: &'static CallSite, cell: usize, value: f64, trace: TraceContext) {
    let slots = site.exemplars.0.get_or_init(|| {
        (0..stripe_len(site.cells))
            .map(|_| ExemplarSlot::default())
            .collect()
    });
    let exemplar = Exemplar {
        trace,
        value,
        timestamp_ms: now_ms(),
    };
    slots[cell].store(&exemplar);
}

/// The latest exemplar of `site`'s cell `cell`, if one was recorded.
pub(crate) fn latest(site: &'static CallSite, cell: usize) -> Option<Exemplar> {
    site.exemplars.0.get()?.get(cell)?.load()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRACE: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn a_slot_keeps_the_latest_exemplar_whole() {
        let slot = ExemplarSlot::default();
        assert_eq!(slot.load(), None);
        let exemplar = |n: u8| Exemplar {
            trace: TraceContext::new([n; 16], [n; 8]).unwrap(),
            value: f64::from(n),
            timestamp_ms: u64::from(n) * 1000,
        };
        slot.store(&exemplar(1));
        slot.store(&exemplar(2));
        assert_eq!(slot.load(), Some(exemplar(2)));

        // Under concurrent writers, every read is one writer's exemplar,
        // never a mix of two.
        std::thread::scope(|scope| {
            for n in 1..=4 {
                let slot = &slot;
                scope.spawn(move || {
                    for _ in 0..20_000 {
                        slot.store(&exemplar(n));
                    }
                });
            }
            for _ in 0..20_000 {
                if let Some(read) = slot.load() {
                    let n = read.trace.trace_id()[0];
                    assert_eq!(read, exemplar(n));
                }
            }
        });
    }

    #[test]
    fn exemplar_labels_fit_openmetrics_limit() {
        let mut labels = String::new();
        Exemplar {
            trace: TraceContext::from_traceparent(TRACE).unwrap(),
            value: 0.5,
            timestamp_ms: 0,
        }
        .write_labels(&mut labels);
        assert_eq!(
            labels,
            r#"trace_id="4bf92f3577b34da6a3ce929d0e0e4736",span_id="00f067aa0ba902b7""#
        );
        // The limit counts label names and values, not the syntax.
        assert!("trace_id4bf92f3577b34da6a3ce929d0e0e4736span_id00f067aa0ba902b7".len() <= 128);
    }
}
