//! Integration tests with the real tiny.en model on real speech (one binary, so the model is
//! loaded once). `scripts/test-models.sh` puts the model where these tests look.

mod channels;
mod common;
mod long_form;
mod real_speech;
