//! Tests of the web app: the route-by-role permission matrix over every page and API endpoint
//! (over HTTP), and the pages in a real headless Chromium driven over WebDriver — log in, the
//! overview's funnel, rejecting a lead and seeing the overview change, the audio player
//! following a click on the transcript, hostile transcripts shown as text, CSRF refusals,
//! another rep's call refused, and no console errors on any page; the scoring page's drafts,
//! approvals, diff, backtest and drill-downs. Screenshots of each page
//! go to `target/screenshots/`.

mod browser;
mod content_flows;
mod flows;
mod matrix;
mod scoring;
mod team;
mod webdriver;
mod workspace;
