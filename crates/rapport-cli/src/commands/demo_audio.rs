//! A handful of two-channel recorded calls for the demo, so the audio path (media store,
//! transcription job, worker) shows up too. Each turn is spoken by `espeak-ng` (a different
//! voice per party) and laid on its own channel, the other channel silent meanwhile, as a
//! dialer records a call. Skipped with a note when `espeak-ng` is not installed.

use std::path::Path;
use std::process::Command;

use anyhow::Context;
use chrono::Utc;
use rapport_app::calls::{self, NewCall};
use rapport_app::speech::ChannelRoles;
use rapport_domain::Stage;
use rapport_media::MediaStore;
use rapport_store::{PeopleQuery, Store};

/// Pause after each turn, in 16 kHz samples (0.8 s).
const PAUSE: usize = 12_800;

/// Short scripted calls: (title, turns of (is_rep, text)).
const SCRIPTS: [(&str, &[(bool, &str)]); 3] = [
    (
        "Discovery call (recorded)",
        &[
            (true, "Hi, this is the Rapport team. Thanks for making time today."),
            (false, "Sure. Our marketing and sales teams argue about lead quality every week."),
            (true, "How do you decide today which leads sales should call first?"),
            (false, "Honestly we guess. Half the leads marketing sends are rejected."),
            (true, "Would a shared definition of a qualified lead help your team?"),
            (false, "Yes. Send me a proposal and we can meet again next Tuesday."),
        ],
    ),
    (
        "Pricing call (recorded)",
        &[
            (true, "Thanks for reviewing the proposal. What did your team think?"),
            (false, "We like it, but the price is too high for this year's budget."),
            (true, "I understand. What budget did you plan for this project?"),
            (false, "Is that the best you can do? We are also looking at another vendor."),
            (true, "We can start with one team and expand after the first quarter."),
        ],
    ),
    (
        "Security review (recorded)",
        &[
            (false, "Before we sign, our security team needs to know where the data lives."),
            (true, "Everything runs on your own servers, and calls never leave them."),
            (false, "Good. Do you support single sign on and an audit log?"),
            (true, "Yes. I will send our security documents by Friday."),
        ],
    ),
];

/// Synthesises the scripted calls and queues them for transcription, linked to demo people
/// with deals and their owners. Returns how many were queued.
pub fn add_recorded_calls(store: &dyn Store, media: &MediaStore, dir: &Path) -> anyhow::Result<usize> {
    if Command::new("espeak-ng").arg("--version").output().is_err() {
        eprintln!(
            "espeak-ng is not installed: the demo has no recorded calls (scripts/setup.sh installs it)"
        );
        return Ok(0);
    }
    let query =
        PeopleQuery { stage: Some(Stage::Opportunity), owner: None, limit: SCRIPTS.len() as u32, offset: 0 };
    let people = store.list_people(&query)?;
    std::fs::create_dir_all(dir)?;
    let mut queued = 0;
    for ((title, turns), person) in SCRIPTS.iter().zip(&people) {
        let path = dir.join(format!("demo-call-{}.wav", queued + 1));
        write_call(turns, &path).with_context(|| format!("synthesising {}", path.display()))?;
        let new = NewCall {
            title: Some((*title).to_owned()),
            person_email: Some(person.person.record.email.as_str().to_owned()),
            reps: person.owner_email.iter().cloned().collect(),
            channels: Some(ChannelRoles { rep_channel: 0, per_channel: Some(true) }),
            ..NewCall::default()
        };
        calls::add_audio(store, media, &new, &path, Utc::now())?;
        std::fs::remove_file(&path).ok();
        queued += 1;
    }
    Ok(queued)
}

/// Two 16 kHz channels, the rep on channel 0, the customer on channel 1.
fn write_call(turns: &[(bool, &str)], path: &Path) -> anyhow::Result<()> {
    let mut channels = [Vec::new(), Vec::new()];
    for (is_rep, text) in turns {
        let voice = if *is_rep { "en-us" } else { "en-gb+f3" };
        // Written to a file: on standard output espeak-ng cannot go back to fill in the WAV
        // header's length.
        let turn = path.with_extension("turn.wav");
        let output =
            Command::new("espeak-ng").args(["-v", voice, "-s", "150", "-w"]).arg(&turn).arg(text).output()?;
        anyhow::ensure!(
            output.status.success(),
            "espeak-ng failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let speech = rapport_audio::decode_file(&turn, &mut |_| {})?;
        std::fs::remove_file(&turn).ok();
        let mut samples = rapport_audio::downmix(&speech.channels);
        samples.extend(std::iter::repeat_n(0.0, PAUSE));
        let (speaking, silent) = if *is_rep { (0, 1) } else { (1, 0) };
        channels[silent].extend(std::iter::repeat_n(0.0, samples.len()));
        channels[speaking].extend(samples);
    }
    let spec = hound::WavSpec {
        channels: 2,
        sample_rate: rapport_audio::TARGET_RATE,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec)?;
    for (rep, customer) in channels[0].iter().zip(&channels[1]) {
        for sample in [rep, customer] {
            writer.write_sample((sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16)?;
        }
    }
    writer.finalize()?;
    Ok(())
}
