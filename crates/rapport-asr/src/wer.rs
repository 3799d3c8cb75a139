//! Word error rate with a simplified form of Whisper's English text normaliser, shared by
//! the tests and the benchmark so both score transcripts the same way.

/// Lower case, no punctuation, hyphens as spaces, apostrophes dropped, numbers in words
/// (the LJSpeech references spell them out, Whisper writes digits), British spellings of a
/// few common words folded to American.
pub fn normalize(text: &str) -> Vec<String> {
    let lowered = text.to_lowercase().replace(['’', '‘'], "'");
    let mut words = Vec::new();
    for raw in lowered.split(|c: char| c.is_whitespace() || c == '-' || c == '—' || c == '–') {
        // "1,455" and "3.5" keep their digits together; other punctuation goes.
        let cleaned: String = raw.chars().filter(|c| c.is_alphanumeric() || matches!(c, ',' | '.')).collect();
        let cleaned = cleaned.trim_matches([',', '.']);
        // "1,200" is a quantity; "1200" may be a year and is read like one.
        let grouped = cleaned.contains(',');
        for part in cleaned.replace(',', "").split('.').filter(|p| !p.is_empty()) {
            match part.parse::<u64>() {
                Ok(number) if part.len() <= 4 => {
                    words.extend(number_words(number, part.len() == 4 && !grouped))
                }
                _ => words.push(american(part).to_owned()),
            }
        }
    }
    words
}

fn american(word: &str) -> &str {
    match word {
        "colour" => "color",
        "favour" => "favor",
        "labour" => "labor",
        "honour" => "honor",
        "centre" => "center",
        "realise" => "realize",
        "organisation" => "organization",
        other => other,
    }
}

const ONES: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] =
    ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/// A number as it is read aloud: years in pairs ("fourteen fifty five", "nineteen hundred"),
/// other numbers below ten thousand in full.
fn number_words(number: u64, year_like: bool) -> Vec<String> {
    let mut out = Vec::new();
    if year_like && (1100..2000).contains(&number) {
        below_hundred(number / 100, &mut out);
        if number.is_multiple_of(100) {
            out.push("hundred".into());
            return out;
        }
        if number % 100 < 10 {
            out.push("oh".into());
        }
        below_hundred(number % 100, &mut out);
        return out;
    }
    if number >= 1000 {
        below_hundred(number / 1000, &mut out);
        out.push("thousand".into());
    }
    if number % 1000 >= 100 {
        below_hundred(number % 1000 / 100, &mut out);
        out.push("hundred".into());
    }
    if !number.is_multiple_of(100) || number == 0 {
        below_hundred(number % 100, &mut out);
    }
    out
}

fn below_hundred(number: u64, out: &mut Vec<String>) {
    if number < 20 {
        out.push(ONES[number as usize].into());
    } else {
        out.push(TENS[(number / 10) as usize].into());
        if !number.is_multiple_of(10) {
            out.push(ONES[(number % 10) as usize].into());
        }
    }
}

/// Word-level edit distance between the normalised texts.
pub fn word_errors(reference: &str, hypothesis: &str) -> (usize, usize) {
    let (reference, hypothesis) = (normalize(reference), normalize(hypothesis));
    let mut previous: Vec<usize> = (0..=hypothesis.len()).collect();
    for (i, r) in reference.iter().enumerate() {
        let mut current = vec![i + 1; hypothesis.len() + 1];
        for (j, h) in hypothesis.iter().enumerate() {
            let substitution = previous[j] + usize::from(r != h);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    (previous[hypothesis.len()], reference.len())
}

/// Errors over reference words, for one pair of texts.
pub fn word_error_rate(reference: &str, hypothesis: &str) -> f64 {
    let (errors, words) = word_errors(reference, hypothesis);
    errors as f64 / words.max(1) as f64
}

/// Word error rate over a corpus: all errors over all reference words (not a mean of rates,
/// which would let short utterances weigh as much as long ones).
pub fn corpus_word_error_rate<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> f64 {
    let (errors, words) = pairs
        .into_iter()
        .map(|(reference, hypothesis)| word_errors(reference, hypothesis))
        .fold((0, 0), |(e, w), (de, dw)| (e + de, w + dw));
    errors as f64 / words.max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &str) {
        assert_eq!(normalize(text).join(" "), expected, "{text}");
    }

    #[test]
    fn normalizes_like_whisper_english_simplified() {
        check("And so, my fellow Americans: ask not!", "and so my fellow americans ask not");
        check(
            "the \"forty-two line Bible\" of about 1455,",
            "the forty two line bible of about fourteen fifty five",
        );
        check("It's 3 o'clock — don’t", "its three oclock dont");
        check(
            "1,200 people in 1900 and 1905",
            "one thousand two hundred people in nineteen hundred and nineteen oh five",
        );
        check("version 2.5, the colour", "version two five the color");
        check("", "");
    }

    #[test]
    fn error_rates() {
        assert_eq!(word_errors("a b c d", "a b c d"), (0, 4));
        assert_eq!(word_errors("a b c d", "a x c"), (2, 4)); // one substitution, one deletion
        assert_eq!(word_errors("a b", "a b c"), (1, 2)); // one insertion
        assert_eq!(word_errors("", "a"), (1, 0));
        assert!((word_error_rate("Ask not, what", "ask NOT what?") - 0.0).abs() < 1e-12);
        let corpus = corpus_word_error_rate([("a b c d", "a b c d"), ("e f", "e")]);
        assert!((corpus - 1.0 / 6.0).abs() < 1e-12);
    }
}
