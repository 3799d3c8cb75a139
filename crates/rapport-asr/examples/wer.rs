//! Scores transcripts with the crate's WER, so the benchmark rates every engine the same
//! way the tests do: reads `[[reference, hypothesis], …]` as JSON on stdin, prints the
//! corpus word error rate.

use std::io::Read;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let pairs: Vec<(String, String)> = serde_json::from_str(&input)?;
    let wer = rapport_asr::wer::corpus_word_error_rate(pairs.iter().map(|(r, h)| (r.as_str(), h.as_str())));
    println!("{wer}");
    Ok(())
}
