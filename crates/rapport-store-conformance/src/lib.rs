//! The checks every Rapport storage backend must pass, and the [`suite!`] macro that turns them
//! into one `#[test]` per check in the backend's own test binary.
//!
//! Each check is a plain `pub fn name(store: &dyn Store)` that starts from an empty store and
//! panics (through `assert!`) when the backend breaks the documented semantics of
//! [`rapport_store::Store`] or [`rapport_store::WriteTx`]. A backend runs them all with:
//!
//! ```text
//! rapport_store_conformance::suite!(|| open_a_fresh_empty_store());
//! ```
//!
//! The opener may return a `Box<dyn Store>` or a `(Box<dyn Store>, guard)` pair; the guard (a
//! temporary directory, a throw-away schema) is dropped after the store, when the check ends.

pub mod analysis;
pub mod calls;
pub mod content;
pub mod facts;
pub mod fixtures;
pub mod import;
pub mod job_leases;
pub mod jobs;
pub mod lifecycle;
pub mod reads;
pub mod revision;
pub mod scoring;
pub mod topics;
pub mod transcripts;
pub mod users;
pub mod web;

pub use rapport_store;

use rapport_store::Store;

/// What a suite's opener returns: a store, possibly with something that must outlive it.
pub trait OpenedStore {
    fn store(&self) -> &dyn Store;
}

impl OpenedStore for Box<dyn Store> {
    fn store(&self) -> &dyn Store {
        &**self
    }
}

/// The guard is the second field so it is dropped after the store (fields drop in order).
impl<Guard> OpenedStore for (Box<dyn Store>, Guard) {
    fn store(&self) -> &dyn Store {
        &*self.0
    }
}

/// Opens a fresh store with `open` and runs one check on it; the macro's tests call this.
pub fn run_check<Opened: OpenedStore>(open: impl Fn() -> Opened, check: fn(&dyn Store)) {
    let opened = open();
    check(opened.store());
}

/// Expands to one `#[test] fn` per conformance check. `$open` is a function or closure that
/// returns a fresh, empty store (or a `(store, guard)` pair) each time it is called.
#[macro_export]
macro_rules! suite {
    ($open:expr) => {
        $crate::suite!(@checks $open;
            import::accounts_report_inserted_updated_unchanged,
            import::campaigns_report_inserted_updated_unchanged,
            import::content_reports_inserted_updated_unchanged,
            import::people_report_inserted_updated_unchanged,
            import::touches_report_inserted_updated_unchanged,
            import::touches_without_external_id_are_keyed_by_content,
            import::opportunities_report_inserted_updated_unchanged,
            import::touch_with_unknown_email_is_rejected_and_writes_nothing,
            import::touch_with_unknown_content_is_rejected_and_writes_nothing,
            import::touch_with_unknown_campaign_creates_it,
            import::person_with_unknown_owner_is_rejected_and_writes_nothing,
            import::opportunity_with_unknown_contact_is_rejected_and_writes_nothing,
            import::person_account_is_resolved_by_domain,
            import::dropping_a_write_rolls_back_everything,
            import::stage_history_reimport_adds_nothing,
            import::opportunity_import_moves_the_primary_contact,
            lifecycle::sal_without_mql_is_refused_with_a_clear_message,
            lifecycle::forced_transition_is_recorded_as_forced,
            lifecycle::rejection_requires_a_known_reason_code,
            lifecycle::reason_codes_are_configurable,
            lifecycle::history_is_ordered_and_import_events_can_be_older,
            lifecycle::transition_of_unknown_person_is_not_found,
            lifecycle::append_transitions_checks_each_request,
            lifecycle::stage_projection_matches_history_after_many_operations,
            lifecycle::concurrent_transitions_of_one_person_serialise,
            reads::list_people_filters_and_pages,
            reads::exports_stream_every_row,
            reads::export_stops_when_the_sink_fails,
            reads::counts_count_every_table,
            reads::recent_touches_are_newest_first,
            reads::person_view_resolves_references,
            facts::funnel_facts_hold_people_events_touches_and_deals,
            facts::funnel_facts_filters_select_people,
            facts::attribution_facts_hold_deals_and_prior_touches,
            facts::attribution_facts_follow_the_filter,
            revision::revision_moves_forward_on_every_write_and_only_then,
            users::users_upsert_and_lookup,
            users::api_tokens_are_found_by_hash_only,
            revision::revision_moves_on_call_writes_and_not_on_job_bookkeeping,
            calls::calls_are_created_with_references_resolved,
            calls::call_references_and_values_are_checked,
            calls::list_calls_filters_and_pages,
            calls::a_call_and_its_job_are_created_together,
            transcripts::replacing_a_transcript_twice_keeps_only_the_second,
            transcripts::a_refused_replacement_leaves_the_previous_transcript,
            transcripts::transcripts_of_unknown_calls_are_not_found,
            transcripts::concurrent_replacements_of_one_call_take_turns,
            jobs::each_job_goes_to_exactly_one_of_many_claimers,
            jobs::only_due_jobs_of_the_asked_kinds_are_claimed_oldest_first,
            jobs::progress_and_completion_are_visible_through_job,
            jobs::jobs_are_checked_and_listed_newest_first,
            job_leases::an_expired_lease_is_claimed_again_and_the_old_worker_refused,
            job_leases::a_lease_expired_on_the_last_attempt_fails_the_job,
            job_leases::failures_back_off_then_fail_with_the_reason_kept,
            job_leases::a_call_follows_its_job,
            web::passwords_are_stored_per_user_with_their_audit_entry,
            web::sessions_are_found_by_hash_until_they_expire,
            web::login_failures_count_per_account_and_address_in_the_window,
            web::audit_entries_are_listed_newest_first_and_filtered,
            scoring::a_definition_becomes_active_with_both_sides_and_retires_the_previous,
            scoring::unknown_versions_and_users_are_not_found,
            scoring::models_and_scores_round_trip,
            analysis::trackers_are_versioned_and_seeded_once,
            analysis::an_analysis_replaces_the_previous_one_with_its_hits,
            analysis::stale_calls_are_found_in_batches,
            analysis::search_finds_words_and_phrases_with_stemming,
            analysis::search_highlights_cannot_be_forged_and_markup_stays_text,
            analysis::operator_and_sql_looking_queries_are_inert,
            analysis::search_filters_narrow_the_calls,
            analysis::search_ranks_within_the_newest_matches,
            analysis::search_follows_transcript_replacement,
            analysis::analysis_facts_carry_segments_and_hits,
            content::content_call_facts_carry_mentions_outcome_and_rep,
            content::an_account_lists_its_people_and_deals,
            topics::discovery_replaces_topics_and_keeps_given_names,
            topics::call_topic_rows_are_checked_and_replaced,
        );
    };
    (@checks $open:expr; $($module:ident :: $check:ident),* $(,)?) => {
        $(
            #[test]
            fn $check() {
                $crate::run_check($open, $crate::$module::$check);
            }
        )*
    };
}
