//! Decodes files and prints what came out and how fast: `cargo run --release --example decode -- FILE…`.

use std::time::Instant;

fn main() {
    for path in std::env::args().skip(1) {
        let started = Instant::now();
        match rapport_audio::decode_file(path.as_ref(), &mut |_| {}) {
            Ok(audio) => {
                let seconds = started.elapsed().as_secs_f64();
                let layout = rapport_audio::detect_layout(&audio.channels, 0);
                println!(
                    "{path}: {} {} Hz, {} channel(s), {:.2} s, decoded in {seconds:.3} s ({:.0}× real time), {layout:?}",
                    audio.format,
                    audio.sample_rate,
                    audio.channels.len(),
                    audio.duration_s,
                    audio.duration_s / seconds,
                );
            }
            Err(error) => println!("{error}"),
        }
    }
}
