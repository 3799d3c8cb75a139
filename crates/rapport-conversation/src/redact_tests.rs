//! Redaction: each kind found and replaced, the checks that refuse look-alikes, and the
//! ordinary numbers of a sales call (prices, years, times, percentages) left alone.

use rapport_transcript::{Role, Transcript, Utterance, Word};

use crate::{redact, redact_transcript, PiiKind};

/// `text` redacts to `expected`.
fn check(text: &str, expected: &str) {
    assert_eq!(redact(text).text, expected, "{text}");
}

#[test]
fn emails() {
    check("Mail jane.doe+sales@acme-corp.co.uk today.", "Mail [email] today.");
    check("Reach me at J@X.IO", "Reach me at [email]");
    check("an @mention and a@b are not emails", "an @mention and a@b are not emails");
}

#[test]
fn phone_numbers_international_and_north_american() {
    check("Call +44 20 7946 0958 or +1 (415) 555-0132.", "Call [phone] or [phone].");
    check("My cell is (415) 555-0132, office 415-555-0199.", "My cell is [phone], office [phone].");
    check("Try 415.555.0132 or 1-800-555-0199 or 415 555 0132", "Try [phone] or [phone] or [phone]");
    check("Mobile +49 151 23456789", "Mobile [phone]");
}

#[test]
fn card_numbers_need_the_luhn_check() {
    check("Card 4111 1111 1111 1111 exp 12/27", "Card [card] exp 12/27");
    check("It's 5500-0000-0000-0004.", "It's [card].");
    check("Amex 378282246310005", "Amex [card]");
    // One digit off: the Luhn check fails, so it is only a number.
    check("Card 4111 1111 1111 1112", "Card 4111 1111 1111 1112");
}

#[test]
fn ibans_need_the_mod_97_check() {
    check("IBAN GB82 WEST 1234 5698 7654 32 please", "IBAN [iban] please");
    check("DE89370400440532013000.", "[iban].");
    check("IBAN GB82 WEST 1234 5698 7654 32 OK", "IBAN [iban] OK");
    check("GB83 WEST 1234 5698 7654 32", "GB83 WEST 1234 5698 7654 32");
}

#[test]
fn national_ids() {
    check("SSN 123-45-6789.", "SSN [id].");
    check("NI number QQ 12 34 56 C? No: AB 12 34 56 C", "NI number QQ 12 34 56 C? No: [id]");
    check("SIN 046-454-286", "SIN [id]");
    check("DNI 12345678Z, NIE X1234567L", "DNI [id], NIE [id]");
    // Area 000 and 666 are never issued; a wrong DNI letter is no DNI.
    check("000-12-3456 and 666-12-3456 and 12345678A", "000-12-3456 and 666-12-3456 and 12345678A");
}

#[test]
fn ordinary_numbers_survive() {
    for text in [
        "The price is $25,000 per year, or €1,250.50 a month.",
        "In 2024 we grew 35% and hit 1,234,567 users.",
        "Let's meet at 10:30 on 03/04/2025, or 2024-03-04.",
        "We have 250 reps and 12 managers; call 555-1234 for the desk.",
        "Order 12345678 ships in 3.5 days; version 1.2.3.",
        "Revenue was 1234567890123 cents, a 13-digit figure that fails Luhn.",
        "The budget is $1,000,000,000,000 in total.",
        "Years 2021 2022 2023 and the 98% renewal rate.",
    ] {
        let redacted = redact(text);
        assert_eq!(redacted.text, text, "{:?}", redacted.found);
    }
}

#[test]
fn offsets_point_into_the_original_text() {
    let text = "Write to a@b.com or call +1 415 555 0132.";
    let redacted = redact(text);
    let kinds: Vec<(PiiKind, &str)> =
        redacted.found.iter().map(|pii| (pii.kind, &text[pii.start..pii.end])).collect();
    assert_eq!(kinds, [(PiiKind::Email, "a@b.com"), (PiiKind::Phone, "+1 415 555 0132")]);
}

#[test]
fn transcripts_are_redacted_in_text_and_words() {
    let word =
        |text: &str, start: f64| Word { text: text.into(), start, end: start + 0.5, confidence: Some(0.9) };
    let utterance = Utterance {
        role: Role::Customer,
        words: vec![word("call", 0.0), word("415-555-0132", 0.5), word("or", 1.0), word("a@b.io", 1.5)],
        ..Utterance::new(0.0, 2.0, "call 415-555-0132 or a@b.io")
    };
    let mut transcript = Transcript { utterances: vec![utterance], duration_s: None, source_format: None };
    let counts = redact_transcript(&mut transcript);
    assert_eq!(counts.get(&PiiKind::Phone), Some(&1));
    assert_eq!(counts.get(&PiiKind::Email), Some(&1));
    let utterance = &transcript.utterances[0];
    assert_eq!(utterance.text, "call [phone] or [email]");
    let words: Vec<&str> = utterance.words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(words, ["call", "[phone]", "or", "[email]"]);
}

#[test]
fn a_number_spoken_as_several_words_becomes_one_placeholder_word() {
    let word = |text: &str, start: f64| Word { text: text.into(), start, end: start + 0.4, confidence: None };
    let utterance = Utterance {
        words: vec![word("It's", 0.0), word("415", 0.4), word("555", 0.8), word("0132.", 1.2)],
        ..Utterance::new(0.0, 1.6, "It's 415 555 0132.")
    };
    let mut transcript = Transcript { utterances: vec![utterance], duration_s: None, source_format: None };
    redact_transcript(&mut transcript);
    let words = &transcript.utterances[0].words;
    assert_eq!(words.len(), 2, "{words:?}");
    assert_eq!(words[1].text, "[phone]");
    assert_eq!((words[1].start, words[1].end), (0.4, 1.6));
}
