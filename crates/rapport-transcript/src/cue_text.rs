//! Cue text markup: known WebVTT/SRT tags stripped, voice tags read, entities decoded,
//! and the conservative `Name: text` speaker prefix that Zoom writes.
//!
//! Everything not recognised stays as literal text: `<script>` in a cue is kept verbatim,
//! never interpreted, and `&lt;b&gt;` decodes to the text `<b>` without becoming a tag,
//! because tags and entities are handled in one left-to-right pass.

/// A cue's text after markup handling, with the speaker a voice tag named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CueText {
    pub(crate) voice: Option<String>,
    pub(crate) text: String,
}

/// Which markup dialect a cue uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Markup {
    /// WebVTT cue text: `<v>`, `<c>`, `<b>`, `<i>`, `<u>`, `<lang>`, `<ruby>`, `<rt>`,
    /// timestamp tags and the character references `&amp;` `&lt;` `&gt;` and friends.
    WebVtt,
    /// SRT: the `<b>`, `<i>`, `<u>` and `<font …>` tags players understand; no entities.
    Srt,
}

const WEBVTT_TAGS: &[&str] = &["v", "c", "b", "i", "u", "lang", "ruby", "rt"];
const SRT_TAGS: &[&str] = &["b", "i", "u", "font"];

/// Strips known markup from cue text. Lines are joined with single spaces.
pub(crate) fn parse_cue_text(raw: &str, markup: Markup) -> CueText {
    let mut voice = None;
    let mut text = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(character) = rest.chars().next() {
        if character == '<' {
            if let Some((tag, consumed)) = read_tag(&rest[1..], markup) {
                if let Tag::Voice(name) = tag {
                    // The first named voice speaks for the cue; Teams writes one per cue.
                    if voice.is_none() && !name.is_empty() {
                        voice = Some(name);
                    }
                }
                rest = &rest[1 + consumed..];
                continue;
            }
        }
        if character == '&' && markup == Markup::WebVtt {
            if let Some((decoded, consumed)) = read_entity(&rest[1..]) {
                text.push_str(decoded);
                rest = &rest[1 + consumed..];
                continue;
            }
        }
        text.push(character);
        rest = &rest[character.len_utf8()..];
    }
    CueText { voice, text: text.split_whitespace().collect::<Vec<_>>().join(" ") }
}

enum Tag {
    Voice(String),
    Other,
}

/// Reads a known tag after its `<`; returns it and the bytes used including the `>`.
fn read_tag(after_open: &str, markup: Markup) -> Option<(Tag, usize)> {
    let close = after_open.find('>')?;
    let inside = &after_open[..close];
    if inside.contains('<') {
        return None;
    }
    if markup == Markup::WebVtt && crate::timestamp::parse_timestamp(inside).is_some() {
        return Some((Tag::Other, close + 1));
    }
    let (is_end_tag, body) = match inside.strip_prefix('/') {
        Some(body) => (true, body),
        None => (false, inside),
    };
    let name_end = body.find(|c: char| c == '.' || c.is_whitespace()).unwrap_or(body.len());
    let name = body[..name_end].to_ascii_lowercase();
    let known = match markup {
        Markup::WebVtt => WEBVTT_TAGS,
        Markup::Srt => SRT_TAGS,
    };
    if !known.contains(&name.as_str()) {
        return None;
    }
    let after_name = &body[name_end..];
    if is_end_tag {
        // End tags carry nothing after the name.
        return after_name.trim().is_empty().then_some((Tag::Other, close + 1));
    }
    if markup == Markup::WebVtt && name == "v" {
        let annotation = after_name.trim_start_matches(|c: char| c != ' ' && c != '\t').trim();
        let decoded = parse_cue_text(annotation, Markup::WebVtt).text;
        return Some((Tag::Voice(decoded), close + 1));
    }
    Some((Tag::Other, close + 1))
}

/// Decodes a named character reference after its `&`; unknown ones stay literal.
fn read_entity(after_ampersand: &str) -> Option<(&'static str, usize)> {
    const ENTITIES: &[(&str, &str)] = &[
        ("amp;", "&"),
        ("lt;", "<"),
        ("gt;", ">"),
        ("quot;", "\""),
        ("apos;", "'"),
        ("nbsp;", "\u{a0}"),
        ("lrm;", "\u{200e}"),
        ("rlm;", "\u{200f}"),
    ];
    ENTITIES
        .iter()
        .find(|(name, _)| after_ampersand.starts_with(name))
        .map(|(name, decoded)| (*decoded, name.len()))
}

/// Label words that end in a colon at the start of a line without being a speaker.
const NOT_SPEAKERS: &[&str] = &[
    "note",
    "notes",
    "nb",
    "warning",
    "caution",
    "example",
    "question",
    "answer",
    "q",
    "a",
    "update",
    "important",
    "tip",
    "reminder",
    "agenda",
    "summary",
    "action",
    "action item",
    "action items",
    "todo",
    "to do",
    "ps",
    "re",
    "fyi",
    "edit",
    "source",
    "step",
    "subject",
    "time",
    "date",
    "total",
    "price",
    "next steps",
    "translation",
    "music",
    "applause",
];

/// Words that occur in speech before a colon (`And then he said: go`) but not in names.
/// One-letter words are left out on purpose: `Speaker A` is a name.
const NOT_IN_NAMES: &[&str] = &[
    "and", "or", "but", "so", "then", "than", "if", "when", "because", "the", "an", "he", "she", "it",
    "they", "we", "you", "me", "him", "her", "us", "them", "my", "your", "our", "their", "his", "its", "is",
    "was", "are", "were", "be", "been", "said", "says", "say", "asked", "to", "of", "in", "on", "at", "for",
    "with", "from", "this", "that", "these", "those", "there", "here", "what", "which", "who", "why", "how",
    "well", "yes", "no", "okay", "ok", "just", "also", "not", "do", "did", "does", "have", "has", "had",
    "will", "would", "can", "could", "should", "like", "about",
];

/// Splits a Zoom-style `Name: text` prefix off a cue. Conservative on purpose: a wrong
/// speaker corrupts talk statistics, a missed one only leaves the name in the text. The
/// prefix must be at the very start, at most 4 words, start with a letter, hold no sentence
/// punctuation or common function word, be followed by whitespace, and not be a common
/// label like `Note`.
pub(crate) fn split_speaker_prefix(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = text.split_once(':')?;
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let name = name.trim_end();
    let starts_with_letter = name.chars().next().is_some_and(char::is_alphabetic);
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, ' ' | '.' | '-' | '\'' | '_' | '@');
    let word_count = name.split_whitespace().count();
    let lowered = name.to_lowercase();
    let is_label = NOT_SPEAKERS.contains(&lowered.as_str())
        || lowered.split_whitespace().any(|word| NOT_IN_NAMES.contains(&word));
    let looks_like_name = starts_with_letter
        && name.chars().all(allowed)
        && (1..=4).contains(&word_count)
        && name.chars().count() <= 60
        && !is_label;
    looks_like_name.then_some((name, rest.trim_start()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(raw: &str, markup: Markup, expected_voice: Option<&str>, expected_text: &str) {
        let parsed = parse_cue_text(raw, markup);
        assert_eq!(parsed.voice.as_deref(), expected_voice, "voice of {raw:?}");
        assert_eq!(parsed.text, expected_text, "text of {raw:?}");
    }

    #[test]
    fn webvtt_markup() {
        use Markup::WebVtt;
        check("<v Ann Lee>Hello</v>", WebVtt, Some("Ann Lee"), "Hello");
        check("<v.loud.x Bob>Hi there", WebVtt, Some("Bob"), "Hi there");
        check("<v Ann>a</v>\n<v Bob>b</v>", WebVtt, Some("Ann"), "a b");
        check("<b>bold</b> <i>it</i> <u>u</u>", WebVtt, None, "bold it u");
        check("<c.yellow>col</c> <lang en>x</lang>", WebVtt, None, "col x");
        check("one <00:00:01.000>two <00:02.500>three", WebVtt, None, "one two three");
        check("Fish &amp; chips &lt;3 &gt;", WebVtt, None, "Fish & chips <3 >");
        check("&lt;b&gt;kept&lt;/b&gt;", WebVtt, None, "<b>kept</b>");
        check("<script>alert(1)</script>", WebVtt, None, "<script>alert(1)</script>");
        check("a < b and c > d", WebVtt, None, "a < b and c > d");
        check("<img src=x onerror=y>", WebVtt, None, "<img src=x onerror=y>");
        check("&copy; &unknown; & alone", WebVtt, None, "&copy; &unknown; & alone");
        check("<v Tom &amp; Jerry>ok", WebVtt, Some("Tom & Jerry"), "ok");
        check("<v>nameless", WebVtt, None, "nameless");
        check("</b junk>stays", WebVtt, None, "</b junk>stays");
        check("  spaced \n  out  ", WebVtt, None, "spaced out");
    }

    #[test]
    fn srt_markup() {
        use Markup::Srt;
        check("<i>Hello</i> <font color=\"red\">you</font>", Srt, None, "Hello you");
        check("<I>Caps</I>", Srt, None, "Caps");
        check("&amp; stays", Srt, None, "&amp; stays");
        check("<v Ann>not a voice in SRT", Srt, None, "<v Ann>not a voice in SRT");
    }

    fn check_prefix(text: &str, expected: Option<(&str, &str)>) {
        assert_eq!(split_speaker_prefix(text), expected, "prefix of {text:?}");
    }

    #[test]
    fn speaker_prefixes() {
        check_prefix("Ashlee Kupor: Let's do that", Some(("Ashlee Kupor", "Let's do that")));
        check_prefix("Dr. Jane O'Neil-Smith: hi", Some(("Dr. Jane O'Neil-Smith", "hi")));
        check_prefix("ann@example.com: hi", Some(("ann@example.com", "hi")));
        check_prefix("Speaker 1: hi", Some(("Speaker 1", "hi")));
        check_prefix("Speaker A: hi", Some(("Speaker A", "hi")));
        check_prefix("Jan van der Berg: hi", Some(("Jan van der Berg", "hi")));
        check_prefix("So I told him: no", None);
        check_prefix("My point: price", None);
        check_prefix("Bob:", Some(("Bob", "")));
        check_prefix("Note: this is not a speaker", None);
        check_prefix("And then he said: go", None);
        check_prefix("Well, Bob: go", None);
        check_prefix("It costs 10:30", None);
        check_prefix("See https://example.com", None);
        check_prefix("Time: 10 am", None);
        check_prefix("1st: go", None);
        check_prefix("no colon here", None);
    }
}
