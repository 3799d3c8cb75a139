//! Known values: computed with faster-whisper 1.2.1's NumPy feature extractor
//! (`FeatureExtractor()(signal, padding=0)`), which matches openai-whisper's.

use super::*;

/// Two tones and a chirp, amplitude-modulated, one second at 16 kHz.
fn test_signal() -> Vec<f32> {
    (0..16_000)
        .map(|n| {
            let t = n as f64 / 16_000.0;
            let tau = 2.0 * std::f64::consts::PI;
            let tones = 0.5 * (tau * 440.0 * t).sin()
                + 0.25 * (tau * 3000.0 * t).sin()
                + 0.1 * (tau * (100.0 + 2000.0 * t) * t).sin();
            (tones * (0.7 + 0.3 * (tau * 2.0 * t).sin())) as f32
        })
        .collect()
}

fn check(actual: f32, expected: f64, what: &str) {
    assert!((actual as f64 - expected).abs() < 2e-4, "{what}: got {actual}, expected {expected}");
}

#[test]
fn spectrogram_matches_whisper_feature_extractor() {
    let mel = log_mel_spectrogram(&test_signal(), &FeatureConfig::whisper());
    assert_eq!((mel.bins, mel.frames), (80, 100));
    let known = [
        (0, 0, 1.0761936902999878),
        (11, 0, 1.0388646125793457),
        (5, 1, 0.6887608766555786),
        (20, 10, -0.35943853855133057),
        (40, 37, 0.138045072555542),
        (11, 50, 1.3607563972473145),
        (61, 50, -0.5533493757247925),
        (33, 73, -0.5533493757247925),
        (79, 99, -0.47187018394470215),
        (0, 99, 0.4050104022026062),
    ];
    for (bin, frame, expected) in known {
        check(mel.value(bin, frame), expected, &format!("bin {bin} frame {frame}"));
    }
    let sum: f64 = mel.data.iter().map(|v| *v as f64).sum();
    assert!((sum - -2412.244377553463).abs() < 0.05, "sum {sum}");
}

#[test]
fn filters_match_librosa_slaney() {
    let filters = mel_filters(&FeatureConfig::whisper());
    assert_eq!((filters.len(), filters[0].len()), (80, 201));
    let known = [
        (0, 1, 0.02486259490251541),
        (1, 2, 0.022871771827340126),
        (10, 13, 0.0),
        (50, 64, 0.006941077299416065),
        (79, 199, 0.00044875903404317796),
        (79, 190, 0.0022320549469441175),
    ];
    for (bin, k, expected) in known {
        assert!((filters[bin][k] as f64 - expected).abs() < 1e-7, "filter {bin}[{k}] = {}", filters[bin][k]);
    }
    assert_eq!(filters.iter().flatten().filter(|w| **w > 0.0).count(), 391);
}

#[test]
fn silence_is_flat_and_window_pads_with_zero() {
    let mel = log_mel_spectrogram(&vec![0.0; 3200], &FeatureConfig::whisper());
    assert_eq!(mel.frames, 20);
    // log10(1e-10) = -10, scaled: (-10 + 4) / 4.
    assert!(mel.data.iter().all(|v| (*v - -1.5).abs() < 1e-6));
    let window = mel.window(15, 10, 8);
    assert_eq!(window.len(), 80 * 8);
    assert_eq!(&window[..8], &[-1.5, -1.5, -1.5, -1.5, -1.5, 0.0, 0.0, 0.0]);
}

#[test]
fn short_and_empty_input() {
    let config = FeatureConfig::whisper();
    assert_eq!(log_mel_spectrogram(&[], &config).frames, 0);
    assert_eq!(log_mel_spectrogram(&[0.1; 170], &config).frames, 1);
}

#[test]
fn config_reads_preprocessor_json() {
    let json = r#"{"chunk_length":30,"feature_extractor_type":"WhisperFeatureExtractor","feature_size":128,
        "hop_length":160,"n_fft":400,"n_samples":480000,"nb_max_frames":3000,"sampling_rate":16000}"#;
    let config: FeatureConfig = serde_json::from_str(json).unwrap();
    assert_eq!(config, FeatureConfig { mel_bins: 128, ..FeatureConfig::whisper() });
    assert_eq!(config.frames_per_window(), 3000);
}
