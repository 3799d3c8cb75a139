//! Integration tests of the HTTP API: the real server, started with `rapport_server::serve` on
//! 127.0.0.1:0 over a temporary SQLite store, called over HTTP with reqwest.

mod access;
mod calls;
mod files;
mod leads;
mod openapi;
mod reports;
mod schema;
mod scoring;
mod search;
mod support;
mod team;
