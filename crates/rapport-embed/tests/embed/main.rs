//! The embedding model for real: the packaged all-MiniLM-L6-v2 (`scripts/test-models.sh`
//! puts it in `target/test-models/`), checked against reference values, then the smart
//! trackers and topics built on it.

mod model;
mod smart;
mod topics;

use std::path::PathBuf;
use std::sync::OnceLock;

use rapport_embed::{Embedder, Precision};

pub fn model_dir() -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = root.join("target/test-models/all-MiniLM-L6-v2");
    assert!(
        dir.join("model.safetensors").is_file(),
        "{} is missing: run scripts/test-models.sh",
        dir.display()
    );
    dir
}

/// One model for the whole test binary: loading it takes a moment and it is read-only. It
/// runs as the product does (int8 where the CPU has AVX-512 VNNI).
pub fn embedder() -> &'static Embedder {
    static EMBEDDER: OnceLock<Embedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| Embedder::from_dir(model_dir()).unwrap())
}

/// The f32 reference encoder, whatever the CPU.
pub fn f32_embedder() -> &'static Embedder {
    static EMBEDDER: OnceLock<Embedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| Embedder::from_dir(model_dir()).unwrap().with_precision(Precision::F32).unwrap())
}

pub fn data(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}
