//! Telling bad input (exit code 2: the user can fix it) from failures (exit code 1).

use rapport_store::StoreError;

/// An error caused by what the user typed or supplied.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

pub fn bad_input(message: impl Into<String>) -> anyhow::Error {
    BadInput(message.into()).into()
}

/// 2 when any cause in the chain is the user's to fix, else 1.
pub fn exit_code(error: &anyhow::Error) -> i32 {
    let user_error = error.chain().any(|cause| {
        cause.is::<BadInput>()
            || cause.downcast_ref::<StoreError>().is_some_and(StoreError::is_user_error)
            || cause.downcast_ref::<rapport_app::AppError>().is_some_and(rapport_app::AppError::is_user_error)
            || cause.downcast_ref::<rapport_import::ImportError>().is_some_and(import_is_user_error)
            || cause
                .downcast_ref::<rapport_media::MediaError>()
                .is_some_and(rapport_media::MediaError::is_user_error)
            || cause.downcast_ref::<rapport_audio::AudioError>().is_some_and(audio_is_user_error)
            || cause.downcast_ref::<rapport_app::speech::SpeechError>().is_some_and(speech_is_user_error)
            || cause.downcast_ref::<rapport_asr::AsrError>().is_some_and(asr_is_user_error)
    });
    if user_error {
        2
    } else {
        1
    }
}

/// The whole chain on one line: "opening …: cannot open …: permission denied".
pub fn describe(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = cause.to_string();
        // Wrapped errors often repeat their source's text; say each thing once.
        if !parts.last().is_some_and(|last| last.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// A recording that cannot be decoded is the file's fault (the message names it).
fn audio_is_user_error(_: &rapport_audio::AudioError) -> bool {
    true
}

fn speech_is_user_error(error: &rapport_app::speech::SpeechError) -> bool {
    match error {
        rapport_app::speech::SpeechError::Audio(error) => audio_is_user_error(error),
        rapport_app::speech::SpeechError::Asr(error) => asr_is_user_error(error),
    }
}

/// A missing model (a path, a download to make) and a bad option are the user's to fix;
/// a broken model file or an engine failure is not.
fn asr_is_user_error(error: &rapport_asr::AsrError) -> bool {
    use rapport_asr::AsrError;
    matches!(error, AsrError::ModelMissing { .. } | AsrError::Offline { .. } | AsrError::InvalidOption(_))
}

/// Import failures are the file's fault except when storage or the output broke.
fn import_is_user_error(error: &rapport_import::ImportError) -> bool {
    use rapport_import::ImportError;
    match error {
        ImportError::Store { source, .. } | ImportError::ExportStore { source, .. } => source.is_user_error(),
        ImportError::Write { .. } => false,
        _ => true,
    }
}
