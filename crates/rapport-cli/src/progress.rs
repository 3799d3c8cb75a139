//! Progress bars for long commands: on standard error, and only when it is a terminal, so
//! scripts and `--json` output never see them.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// A bar of `length` steps drawn with `template` (indicatif's syntax), or `None` when standard
/// error is not a terminal.
pub fn terminal_bar(length: u64, template: &str) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(length);
    bar.set_style(ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    Some(bar)
}

/// Runs `work` with a counting bar drawn with `template` that follows its `progress(done,
/// total)` reports, and clears the bar when the work returns (either way).
pub fn counted<T>(template: &str, work: impl FnOnce(&mut dyn FnMut(u64, u64)) -> T) -> T {
    let bar = terminal_bar(0, template);
    let result = work(&mut |done, total| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    result
}
