//! Progress of a copy, on stderr, drawn from the copy engine's [`Observer`] events: an indicatif bar per blob on a terminal, plain lines otherwise
//! (one per blob and manifest, plus a periodic line for long transfers), nothing with `--quiet`.
//!
//! The lines follow docker's wording (`Layer already exists`, `Mounted from team/app`,
//! `Pushed`), so logs read the way users know. Data never goes here: it goes to stdout.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::client::uploads::Progress;
use crate::oci::{Descriptor, Digest};
use crate::transfer::endpoint::BlobOutcome;
use crate::transfer::observer::{BlobObserver, Observer};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Bars,
    Plain,
    Quiet,
}

/// How often a plain line reports a blob still moving.
const PLAIN_INTERVAL: Duration = Duration::from_secs(5);

/// Reports the progress of one copy.
pub struct Reporter {
    mode: Mode,
    multi: MultiProgress,
    /// The word for a moved blob: `Pushed`, `Pulled`, `Copied`.
    verb: &'static str,
}

impl Reporter {
    pub fn new(mode: Mode, verb: &'static str) -> Reporter {
        let multi = MultiProgress::with_draw_target(match mode {
            Mode::Bars => ProgressDrawTarget::stderr(),
            _ => ProgressDrawTarget::hidden(),
        });
        Reporter { mode, multi, verb }
    }
}

impl Observer for Reporter {
    /// A line of status (`Using default tag: latest`).
    fn line(&self, text: &str) {
        match self.mode {
            Mode::Quiet => {}
            Mode::Bars => {
                let _ = self.multi.println(text);
            }
            Mode::Plain => eprintln!("{text}"),
        }
    }

    /// A manifest was stored (plain lines only; bars show blobs).
    fn manifest(&self, digest: &Digest) {
        if self.mode == Mode::Plain {
            eprintln!("manifest {digest}: {}", self.verb);
        }
    }

    /// Start reporting one blob.
    fn blob(&self, descriptor: &Descriptor) -> Box<dyn BlobObserver + '_> {
        let id = short(descriptor);
        let bar = (self.mode == Mode::Bars).then(|| {
            let bar = self.multi.add(ProgressBar::new(descriptor.size));
            bar.set_style(
                ProgressStyle::with_template(
                    "{prefix}: {msg:12} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar.set_prefix(id.clone());
            bar.set_message("Waiting");
            bar
        });
        Box::new(BlobReport {
            id,
            size: descriptor.size,
            mode: self.mode,
            verb: self.verb,
            bar,
            moved: Arc::new(AtomicU64::new(0)),
            last_line: Arc::new(Mutex::new(Instant::now())),
        })
    }
}

/// Progress of one blob.
pub struct BlobReport {
    id: String,
    size: u64,
    mode: Mode,
    verb: &'static str,
    bar: Option<ProgressBar>,
    moved: Arc<AtomicU64>,
    last_line: Arc<Mutex<Instant>>,
}

impl BlobObserver for BlobReport {
    /// The callback that hears about bytes as they move.
    fn counter(&self) -> Progress {
        let bar = self.bar.clone();
        let moved = self.moved.clone();
        let last_line = self.last_line.clone();
        let plain = self.mode == Mode::Plain;
        let id = self.id.clone();
        let size = self.size;
        if let Some(bar) = &bar {
            bar.set_message("Copying");
        }
        Arc::new(move |n| {
            let total = moved.fetch_add(n, Ordering::Relaxed) + n;
            if let Some(bar) = &bar {
                bar.set_position(total);
            } else if plain
                && let Ok(mut last) = last_line.lock()
                && last.elapsed() >= PLAIN_INTERVAL
            {
                *last = Instant::now();
                eprintln!("{id}: {} / {}", human(total), human(size));
            }
        })
    }

    /// The blob is done; say how.
    fn finish(&self, outcome: &BlobOutcome) {
        let text = match outcome {
            BlobOutcome::Exists => "Layer already exists".to_string(),
            BlobOutcome::Mounted(from) => format!("Mounted from {from}"),
            BlobOutcome::Moved => self.verb.to_string(),
        };
        match (&self.bar, self.mode) {
            (Some(bar), _) => {
                bar.set_position(self.size);
                bar.finish_with_message(text);
            }
            (None, Mode::Plain) => eprintln!("{}: {text}", self.id),
            _ => {}
        }
    }

    /// The blob failed; remove its bar.
    fn abandon(&self) {
        if let Some(bar) = &self.bar {
            bar.abandon_with_message("Failed");
        }
    }
}

/// The first 12 hex digits of a digest, as docker shows layers.
fn short(descriptor: &Descriptor) -> String {
    descriptor.digest.hex().chars().take(12).collect()
}

/// A byte count for people: `12.3 MB`.
pub fn human(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
