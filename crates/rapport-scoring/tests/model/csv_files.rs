//! The CSV reader on messy and malformed fixtures: what it makes of placeholders, quoting and
//! mixed columns, and that every refusal names the file and the line or column.

use std::path::PathBuf;

use rapport_scoring::csvdata::{read_csv, CoercedColumn, CsvError, CsvSpec};
use rapport_scoring::Column;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn spec(target: &str) -> CsvSpec {
    CsvSpec { target: target.to_string(), ..CsvSpec::default() }
}

#[test]
fn a_messy_semicolon_export_reads_with_placeholders_as_missing() {
    let spec = CsvSpec { id: Some("id".into()), ..spec("y") };
    let data = read_csv(&fixture("messy_semicolon.csv"), &spec).unwrap();
    assert_eq!(data.delimiter, ';');
    // 25 data rows; the last one's target is a quoted line break, i.e. blank.
    assert_eq!((data.table.rows(), data.rows_without_target), (24, 1));
    assert_eq!(data.table.column_names(), ["age", "job", "score"]);
    assert_eq!(data.ids.as_ref().unwrap()[..3], ["1", "2", "3"]);
    assert_eq!(data.labels.iter().filter(|&&label| label).count(), 8, "every third row says yes");
    let Some(Column::Numeric(age)) = data.table.column("age") else { panic!("age is numeric") };
    assert!(age[1].is_nan(), "NA is missing");
    assert_eq!(age[3], 24.0, "a quoted number is a number");
    let Some(Column::Categorical(job)) = data.table.column("job") else { panic!("job is categorical") };
    assert_eq!(job[..4], [None, None, Some("blue-collar; night".to_string()), None]);
    // "n.a." is no placeholder and no number: in a numeric column it becomes missing and is
    // reported; "-" is a placeholder and is not.
    let Some(Column::Numeric(score)) = data.table.column("score") else { panic!("score is numeric") };
    assert!(score[2].is_nan() && score[4].is_nan());
    assert_eq!(data.coerced, [CoercedColumn { column: "score".into(), values: 1, example: "n.a.".into() }]);
}

#[test]
fn drop_and_positive_choose_columns_and_outcome() {
    let spec = CsvSpec { positive: Some("WON".into()), drop: vec!["id".into()], ..spec("outcome") };
    let data = read_csv(&fixture("won_lost.csv"), &spec).unwrap();
    assert_eq!(data.delimiter, ',');
    assert_eq!(data.table.column_names(), ["age"]);
    assert_eq!(data.labels, [true, false, false]);
}

fn message(name: &str, spec: &CsvSpec) -> String {
    let error = read_csv(&fixture(name), spec).unwrap_err();
    let text = error.to_string();
    assert!(text.contains(name), "the error names the file: {text}");
    text
}

#[test]
fn malformed_files_are_refused_naming_file_line_and_column() {
    assert!(message("ragged.csv", &spec("y")).contains("line 3: 2 fields where the header has 3"));
    let text = message("latin1.csv", &spec("y"));
    assert!(text.contains("line 3, column name: not UTF-8"), "{text}");
    assert!(message("empty.csv", &spec("y")).contains("empty"));
    assert!(message("header_only.csv", &spec("y")).contains("no data rows"));
    let text = message("won_lost.csv", &spec("y"));
    assert!(text.contains("no target column \"y\"; the columns are id, age, outcome"), "{text}");
    // Without --positive, "won" is not one of yes/1/true: the error says what it saw and what to do.
    let text = message("won_lost.csv", &spec("outcome"));
    assert!(
        text.contains("only negative rows (values seen: won, lost); name the positive value with --positive"),
        "{text}"
    );
    let drop_unknown = CsvSpec { drop: vec!["nope".into()], ..spec("outcome") };
    assert!(message("won_lost.csv", &drop_unknown).contains("no --drop column \"nope\""));
    assert!(matches!(read_csv(&fixture("does-not-exist.csv"), &spec("y")), Err(CsvError::Io { .. })));
}
