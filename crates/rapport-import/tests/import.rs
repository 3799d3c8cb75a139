//! Integration tests of the CSV importer: real files through `import_file` and `export` into the
//! real SQLite and PostgreSQL stores, one `#[test]` per check and backend.
//!
//! Each check is a plain function of `&dyn Store` (or of two fresh stores, for round trips), so
//! both backends are held to the same behaviour; [`import_checks!`] expands the list per backend.

// A test crate's root looks for modules beside it; these live in `tests/import/`.
#[path = "import/bad_files.rs"]
mod bad_files;
#[path = "import/bad_rows.rs"]
mod bad_rows;
#[path = "import/idempotency.rs"]
mod idempotency;
#[path = "import/mapping.rs"]
mod mapping;
#[path = "import/presets.rs"]
mod presets;
#[path = "import/resume.rs"]
mod resume;
#[path = "import/round_trip.rs"]
mod round_trip;
#[path = "import/streaming.rs"]
mod streaming;
#[path = "import/support.rs"]
mod support;

/// Expands to one `#[test] fn` per check, each on fresh stores from `$open` (a function that
/// returns a store and a guard that must outlive it: a temporary folder, a throw-away schema).
macro_rules! import_checks {
    ($open:path) => {
        import_checks!(@one_store $open;
            presets::hubspot_contacts_import_with_values_and_history,
            presets::hubspot_companies_and_deals_import,
            presets::salesforce_leads_contacts_and_opportunities_import,
            presets::crm_owner_names_need_a_value_map,
            mapping::custom_mapping_imports_unusual_headers,
            mapping::custom_mapping_maps_touch_kinds_and_keeps_extra_columns,
            mapping::mapped_header_missing_from_the_file_is_refused,
            mapping::bad_mapping_file_names_the_file_and_line,
            idempotency::reimporting_every_kind_changes_nothing,
            idempotency::changed_rows_are_reported_updated,
            bad_rows::bad_rows_name_the_file_line_column_and_reason,
            bad_rows::line_numbers_hold_for_crlf_files_and_blank_lines,
            bad_rows::store_rejections_name_the_line_and_column,
            bad_rows::strict_import_with_a_bad_row_writes_nothing,
            bad_rows::strict_import_rejected_by_the_store_writes_nothing,
            bad_rows::row_errors_beyond_the_cap_are_counted_not_kept,
            bad_rows::kept_errors_are_the_first_of_the_file,
            bad_files::binary_files_are_refused,
            bad_files::latin1_file_is_refused_with_line_and_byte,
            bad_files::bad_byte_late_in_a_file_writes_nothing,
            bad_files::utf16_files_are_refused,
            bad_files::empty_files_are_refused,
            bad_files::header_only_file_imports_nothing,
            bad_files::file_without_header_is_refused,
            bad_files::missing_file_is_refused,
            streaming::large_touch_file_streams_in_batches,
            resume::import_stopped_mid_file_resumes,
        );
        import_checks!(@two_stores $open;
            bad_rows::strict_import_of_good_rows_writes_everything,
            round_trip::export_import_export_is_byte_identical,
            resume::interrupted_import_resumes_to_the_same_state,
        );
    };
    (@one_store $open:path; $($module:ident :: $check:ident),* $(,)?) => {$(
        #[test]
        fn $check() {
            // A tuple drops its fields in order: the store, then its guard.
            let opened = $open();
            crate::$module::$check(&*opened.0);
        }
    )*};
    (@two_stores $open:path; $($module:ident :: $check:ident),* $(,)?) => {$(
        #[test]
        fn $check() {
            let first = $open();
            let second = $open();
            crate::$module::$check(&*first.0, &*second.0);
        }
    )*};
}

mod sqlite {
    import_checks!(crate::support::open_sqlite);
}

mod postgres {
    import_checks!(crate::support::open_postgres);
}
