use super::*;

fn csv_error(text: &str) -> tillit::Error {
    let db = crate::support::db();
    tillit::interchange::csv_import::import(&db, text.as_bytes(), |_| {}).unwrap_err()
}

fn rows_and_fields(error: &tillit::Error) -> Vec<(Option<u32>, String)> {
    error
        .field_errors()
        .iter()
        .map(|e| (e.row, e.field.clone()))
        .collect()
}

#[test]
fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
    let header = "legal_name;country_of_incorporation;country_of_headquarters;tier;notes\n";
    // Blank lines are rows; a cell with line breaks is one row.
    let text = format!(
        "{header}\n\nGood AB;SE;SE;standard;\"two\nlines\"\r\n\r\nBad AB;SE;XX;standard;\nAlso Good AB;SE;SE;standard;\nWorse AB;SE;SE;huge;\n"
    );
    let error = csv_error(&text);
    assert_eq!(
        rows_and_fields(&error),
        [
            (Some(6), "country_of_headquarters".to_owned()),
            (Some(8), "tier".to_owned())
        ],
        "{error}"
    );
}

#[test]
fn csv_duplicate_headers_extra_cells_and_unknown_columns_are_refused_by_name() {
    let error = csv_error(
        "legal_name,country_of_incorporation,country_of_headquarters,tier,tier\nAcme AB,SE,SE,standard,critical\n",
    );
    assert_eq!(rows_and_fields(&error), [(Some(1), "tier".to_owned())]);
    assert!(error.to_string().contains("columns 4, 5"), "{error}");

    let error = csv_error(
        "legal_name,country_of_incorporation,country_of_headquarters,tier\nAcme AB,SE,SE,standard,critical,extra\n",
    );
    assert_eq!(rows_and_fields(&error), [(Some(2), "file".to_owned())]);
    assert!(
        error.to_string().contains("\"critical\", \"extra\""),
        "{error}"
    );

    let many: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let error = csv_error(&format!(
        "legal_name,country_of_incorporation,country_of_headquarters,tier,{}\nAcme AB,SE,SE,standard\n",
        many.join(",")
    ));
    let errors = error.field_errors();
    assert_eq!(
        errors.len(),
        21,
        "twenty unknown columns named, the rest counted"
    );
    assert_eq!(errors[0].field, "c0");
    assert!(errors[20].message.contains("100000 in all"), "{error}");
    let size: usize = errors.iter().map(|e| e.message.len() + e.field.len()).sum();
    assert!(size < 10_000, "{size} bytes");
}

#[test]
fn csv_values_beyond_the_limit_are_refused_with_their_length_not_echoed() {
    let long = "x".repeat(5_000_000);
    let error = csv_error(&format!(
        "legal_name,country_of_incorporation,country_of_headquarters,tier\nAcme AB,SE,SE,{long}\n"
    ));
    assert_eq!(rows_and_fields(&error), [(Some(2), "tier".to_owned())]);
    let text = error.to_string();
    assert!(
        text.contains("5000000 characters"),
        "{}",
        &text[..text.len().min(300)]
    );
    assert!(text.len() < 500, "not echoed: {} bytes", text.len());

    // Many bad rows: the first ones listed, the rest counted.
    let mut csv = "legal_name,country_of_incorporation,country_of_headquarters,tier\n".to_owned();
    for i in 0..10_000 {
        csv.push_str(&format!("Bad {i} AB,SE,SE,enormous\n"));
    }
    let error = csv_error(&csv);
    let errors = error.field_errors();
    assert!(errors.len() <= 201, "{}", errors.len());
    assert!(
        errors.last().unwrap().message.contains("more problems"),
        "{error}"
    );
}

#[test]
fn an_import_refuses_a_file_above_the_size_limit_or_a_device_before_reading_it() {
    let (dir, db) = database();
    let output = tillit(&db, &["import", "/dev/zero", "--format", "csv"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("device"), "{}", stderr(&output));

    let big = dir.path().join("big.csv");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(3 * 1024 * 1024).unwrap();
    let output = tillit(&db, &["import", big.to_str().unwrap(), "--max-size", "2"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("at most 2 MiB"),
        "{}",
        stderr(&output)
    );
}
