//! Seconds per one-hour call for the full analysis — the keyword analysis of
//! `rapport-conversation` plus embeddings and the default smart trackers — on a given number
//! of threads (1 by default, the product's target: under 1 s per call per core), and how
//! far the int8 encoder the product runs strays from the f32 reference.
//! Run it through `bench/analysis/embeddings.sh`, which builds it in release mode and pins it
//! to one core.
//!
//! The call is synthetic but shaped like a real one: 900 utterances, about 9,000 words,
//! a quarter of them backchannels ("Yeah.", "Mm-hmm, right."), most one sentence, some
//! three or four sentences long, drawn with a fixed seed from the neutral and example
//! sentences that ship with the crate, each behind an opener ("So,", "I mean,") so that
//! no sentence-length utterance repeats.

use std::time::Instant;

use rapport_conversation::{analyze_call, default_trackers, AnalysisOptions, TrackerMatcher};
use rapport_embed::{
    cosine, default_smart_trackers, find_smart_hits, Embedder, Precision, SmartHit, SmartTracker,
    NEUTRAL_SENTENCES,
};
use rapport_transcript::{Role, Transcript, Utterance};

const UTTERANCES: usize = 900;
const OPENERS: [&str; 12] = [
    "So,",
    "Well,",
    "And",
    "Honestly,",
    "I mean,",
    "Look,",
    "Okay so",
    "Yeah and",
    "Right, and",
    "Actually,",
    "You know,",
    "Also,",
];
const BACKCHANNELS: [&str; 6] =
    ["Yeah.", "Mm-hmm, right.", "Okay.", "Sure, that makes sense.", "Got it.", "Right, right."];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let model = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/test-models/all-MiniLM-L6-v2").to_owned()
    });
    let threads: usize = args.next().map_or(Ok(1), |t| t.parse())?;
    let repeats: usize = args.next().map_or(Ok(5), |r| r.parse())?;

    let started = Instant::now();
    let embedder = Embedder::from_dir_or_hub(&model, None)?.with_threads(threads)?;
    let load_s = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let trackers = fit(&embedder)?;
    let fit_s = started.elapsed().as_secs_f64();

    let transcript = one_hour_call();
    let texts: Vec<&str> = transcript.utterances.iter().map(|u| u.text.as_str()).collect();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let tokens: usize = embedder.token_counts(&texts)?.iter().sum();
    let mut times = Vec::new();
    let mut cpu_times = Vec::new();
    let mut embeddings = Vec::new();
    let mut hits = Vec::new();
    let matcher = TrackerMatcher::new(default_trackers())?;
    let mut keyword_s = Vec::new();
    for _ in 0..repeats {
        let (started, cpu_started) = (Instant::now(), cpu_seconds());
        // Everything the product does per call: stats, keyword trackers, questions, topic
        // phases, sentiment, next steps and redaction, then embeddings and smart trackers.
        let analysis = analyze_call(&transcript, &AnalysisOptions::new(&matcher));
        keyword_s.push(started.elapsed().as_secs_f64());
        std::hint::black_box(analysis);
        embeddings = embedder.embed(&texts)?;
        hits = find_smart_hits(&transcript, &embeddings, &trackers);
        times.push(started.elapsed().as_secs_f64());
        cpu_times.push(cpu_seconds().zip(cpu_started).map(|(end, start)| end - start));
    }
    let cpu: Vec<f64> = cpu_times.into_iter().flatten().collect();
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!("model {model}, {threads} thread(s), {:?}: load {load_s:.2} s, fitting the 7 default smart trackers {fit_s:.2} s (once per tracker set)", embedder.precision());
    let distinct = texts.iter().collect::<std::collections::HashSet<_>>().len();
    println!(
        "one-hour call: {} utterances ({distinct} distinct texts), {words} words, {tokens} tokens (special tokens included)",
        texts.len()
    );
    keyword_s.sort_by(f64::total_cmp);
    println!(
        "full analysis with embeddings: median {median:.2} s per call over {repeats} runs (min {:.2}, max {:.2}); {:.0} tokens/s; {} smart-tracker hits",
        times[0],
        times[times.len() - 1],
        tokens as f64 / median,
        hits.len()
    );
    println!(
        "  of which {:.3} s without embeddings (stats, {} keyword trackers, questions, sentiment, next steps, redaction)",
        keyword_s[keyword_s.len() / 2],
        default_trackers().len()
    );
    if !cpu.is_empty() {
        // On a busy machine the wall time includes waiting for the core; CPU time does not.
        let mut cpu = cpu;
        cpu.sort_by(f64::total_cmp);
        println!("CPU time per call (this process, all threads): median {:.2} s", cpu[cpu.len() / 2]);
    }
    println!("target < 1 s per one-hour call per core: ratio target/measured = {:.2}", 1.0 / median);
    if embedder.precision() != Precision::F32 {
        compare_with_f32(&model, threads, &transcript, &texts, &embeddings, &hits, median)?;
    }
    Ok(())
}

fn fit(embedder: &Embedder) -> Result<Vec<SmartTracker>, rapport_embed::EmbedError> {
    Ok(SmartTracker::fit_all(&default_smart_trackers(), embedder)?
        .into_iter()
        .map(|(tracker, _)| tracker)
        .collect())
}

/// What int8 costs in agreement with the f32 reference: how close the vectors stay, and how
/// many hits the two find in common when each fits its own trackers, as the product does.
fn compare_with_f32(
    model: &str,
    threads: usize,
    transcript: &Transcript,
    texts: &[&str],
    embeddings: &[Vec<f32>],
    hits: &[SmartHit],
    int8_s: f64,
) -> Result<(), Box<dyn std::error::Error>> {
    let reference =
        Embedder::from_dir_or_hub(model, None)?.with_threads(threads)?.with_precision(Precision::F32)?;
    let started = Instant::now();
    let exact = reference.embed(texts)?;
    let f32_s = started.elapsed().as_secs_f64();
    let mut cosines: Vec<f32> = exact.iter().zip(embeddings).map(|(a, b)| cosine(a, b)).collect();
    cosines.sort_by(f32::total_cmp);
    let mean = cosines.iter().sum::<f32>() / cosines.len() as f32;
    let exact_trackers = fit(&reference)?;
    let exact_hits = find_smart_hits(transcript, &exact, &exact_trackers);
    let key = |hit: &SmartHit| (hit.tracker.clone(), hit.utterance_index);
    let agreement = |ours: &[SmartHit], theirs: &[SmartHit]| {
        let theirs: std::collections::HashSet<_> = theirs.iter().map(key).collect();
        ours.iter().filter(|hit| theirs.contains(&key(hit))).count()
    };
    let report = |label: &str, int8_hits: &[SmartHit]| {
        let common = agreement(int8_hits, &exact_hits);
        println!(
            "hits, {label}: f32 {}, int8 {}, in common {common} (int8 finds {:.1}% of f32's, {:.1}% of its own are f32's)",
            exact_hits.len(),
            int8_hits.len(),
            100.0 * common as f64 / exact_hits.len().max(1) as f64,
            100.0 * common as f64 / int8_hits.len().max(1) as f64
        );
    };
    println!(
        "f32 reference: {f32_s:.2} s for the same call (int8 speed-up ×{:.1}); cosine int8 vs f32 mean {mean:.4}, min {:.4}",
        f32_s / int8_s,
        cosines[0]
    );
    report("each encoder fitting its own trackers (as the product does)", hits);
    // The same (f32-fitted) trackers on both sets of vectors: what the vectors alone change,
    // without the refit's threshold moving.
    report("the f32-fitted trackers on both", &find_smart_hits(transcript, embeddings, &exact_trackers));
    Ok(())
}

fn one_hour_call() -> Transcript {
    let specs = default_smart_trackers();
    let pool: Vec<&str> = NEUTRAL_SENTENCES
        .lines()
        .chain(specs.iter().flat_map(|spec| spec.positives.iter().map(String::as_str)))
        .filter(|line| !line.trim().is_empty())
        .collect();
    let mut state = 20_260_101u64;
    let mut next = |bound: usize| {
        // xorshift64*: a fixed, dependency-free sequence is all this needs.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound
    };
    // Only backchannels repeat, as in a real call; every other utterance is distinct, so the
    // embedder's reuse of repeated texts gains nothing it would not gain on a real call.
    let mut seen = std::collections::HashSet::new();
    let mut utterances = Vec::with_capacity(UTTERANCES);
    while utterances.len() < UTTERANCES {
        let index = utterances.len();
        let text = match next(8) {
            0 | 1 => BACKCHANNELS[next(BACKCHANNELS.len())].to_owned(),
            kind => {
                let sentences = if kind <= 5 { 1 } else { 2 + next(2) };
                let body: Vec<&str> = (0..sentences).map(|_| pool[next(pool.len())]).collect();
                let text = format!("{} {}", OPENERS[next(OPENERS.len())], body.join(" "));
                if !seen.insert(text.clone()) {
                    continue;
                }
                text
            }
        };
        utterances.push(Utterance {
            speaker: Some(if index % 2 == 0 { "Rep" } else { "Customer" }.into()),
            role: if index % 2 == 0 { Role::Rep } else { Role::Customer },
            channel: None,
            start: index as f64 * 4.0,
            end: index as f64 * 4.0 + 3.5,
            text,
            words: Vec::new(),
        });
    }
    Transcript { utterances, duration_s: Some(3600.0), source_format: None }
}

/// User + system CPU seconds of this process so far, from `/proc/self/stat` (Linux; `None`
/// elsewhere). Clock ticks are 100 per second on Linux.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
