//! Subtitle timestamps (`01:02:03.456`, `02:03.456`, `01:02:03,456`) read and written.

/// Reads `[H…:]MM:SS(.|,)fff` into seconds. Hours are optional (WebVTT allows it); the
/// fraction may use either separator and 1–3 digits because real SRT writers vary.
/// Returns `None` for anything else, so the caller can name the line.
pub(crate) fn parse_timestamp(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.split(':').collect();
    let (hours, minutes, seconds_and_fraction) = match parts.as_slice() {
        [hours, minutes, rest] => (parse_digits(hours, 1, 9)?, *minutes, *rest),
        [minutes, rest] => (0, *minutes, *rest),
        _ => return None,
    };
    let minutes = parse_digits(minutes, 2, 2)?;
    let (seconds, fraction) = seconds_and_fraction.split_once(['.', ','])?;
    let seconds = parse_digits(seconds, 2, 2)?;
    let fraction_millis = match fraction.len() {
        1 => parse_digits(fraction, 1, 1)? * 100,
        2 => parse_digits(fraction, 2, 2)? * 10,
        3 => parse_digits(fraction, 3, 3)?,
        _ => return None,
    };
    if minutes > 59 || seconds > 59 {
        return None;
    }
    let total_millis = ((hours * 60 + minutes) * 60 + seconds) * 1000 + fraction_millis;
    Some(millis_to_seconds(total_millis))
}

fn parse_digits(text: &str, min_len: usize, max_len: usize) -> Option<u64> {
    let length_fits = (min_len..=max_len).contains(&text.len());
    if !length_fits || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Whole milliseconds to seconds; going through integers keeps `1.15` exactly `1.15`.
pub(crate) fn millis_to_seconds(millis: u64) -> f64 {
    millis as f64 / 1000.0
}

/// Seconds rounded to whole milliseconds (negative and non-finite values become 0).
pub(crate) fn seconds_to_millis(seconds: f64) -> u64 {
    if seconds.is_finite() && seconds > 0.0 {
        (seconds * 1000.0).round() as u64
    } else {
        0
    }
}

/// `HH:MM:SS` + separator + `mmm`, hours always written (WebVTT uses `.`, SRT `,`).
pub(crate) fn format_timestamp(seconds: f64, separator: char) -> String {
    let millis = seconds_to_millis(seconds);
    let (hours, minutes, whole_seconds) = split_clock(millis / 1000);
    format!("{hours:02}:{minutes:02}:{whole_seconds:02}{separator}{:03}", millis % 1000)
}

/// `HH:MM:SS`, for the plain-text writer where milliseconds are noise.
pub(crate) fn format_clock(seconds: f64) -> String {
    let (hours, minutes, whole_seconds) = split_clock(seconds_to_millis(seconds) / 1000);
    format!("{hours:02}:{minutes:02}:{whole_seconds:02}")
}

fn split_clock(total_seconds: u64) -> (u64, u64, u64) {
    (total_seconds / 3600, total_seconds / 60 % 60, total_seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Option<f64>) {
        assert_eq!(parse_timestamp(input), expected, "input {input:?}");
    }

    #[test]
    fn reads_the_shapes_subtitle_writers_use() {
        check("00:00:01.000", Some(1.0));
        check("01:02:03.456", Some(3723.456));
        check("00:10.380", Some(10.38));
        check("00:00:10,380", Some(10.38));
        check("100:00:00.000", Some(360_000.0));
        check("00:00:01.5", Some(1.5));
        check("00:00:01.05", Some(1.05));
    }

    #[test]
    fn rejects_anything_else() {
        check("00:01:xx.000", None);
        check("00:60:00.000", None);
        check("00:00:60.000", None);
        check("0:0:1.000", None);
        check("00:00:01", None);
        check("00:00:01.0000", None);
        check("", None);
        check("1.5", None);
        check("-0:00:01.000", None);
    }

    #[test]
    fn writes_hours_minutes_seconds_and_millis() {
        assert_eq!(format_timestamp(3723.456, '.'), "01:02:03.456");
        assert_eq!(format_timestamp(10.38, ','), "00:00:10,380");
        assert_eq!(format_timestamp(-1.0, '.'), "00:00:00.000");
        assert_eq!(format_clock(62.9), "00:01:02");
    }
}
