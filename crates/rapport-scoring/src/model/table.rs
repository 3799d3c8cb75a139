//! The raw, typed feature table a model trains on and scores: named columns, numeric (NaN is
//! missing) or categorical (`None` is missing), all of one length.

/// One column of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    /// Numbers; `NaN` marks a missing value.
    Numeric(Vec<f64>),
    /// Labels such as an industry or a country; `None` marks a missing value.
    Categorical(Vec<Option<String>>),
}

impl Column {
    pub fn len(&self) -> usize {
        match self {
            Column::Numeric(values) => values.len(),
            Column::Categorical(values) => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of `row` as a user reads it; missing values read "missing".
    pub fn display(&self, row: usize) -> String {
        match self {
            Column::Numeric(values) => {
                let value = values[row];
                if value.is_nan() {
                    "missing".to_string()
                } else {
                    format_number(value)
                }
            }
            Column::Categorical(values) => values[row].clone().unwrap_or_else(|| "missing".to_string()),
        }
    }
}

/// Whole numbers without a fractional part ("3", not "3.0"); others as Rust prints them.
pub(crate) fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A feature table: named columns of equal length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    names: Vec<String>,
    columns: Vec<Column>,
}

impl Table {
    pub fn new() -> Table {
        Table::default()
    }

    /// Adds a numeric column (NaN = missing).
    ///
    /// # Panics
    /// When the name is already taken or the length differs from the columns already pushed:
    /// both are mistakes in the calling code, not in the data.
    pub fn push_numeric(&mut self, name: &str, values: Vec<f64>) {
        self.push(name, Column::Numeric(values));
    }

    /// Adds a categorical column (None = missing). Panics like [`Table::push_numeric`].
    pub fn push_categorical(&mut self, name: &str, values: Vec<Option<String>>) {
        self.push(name, Column::Categorical(values));
    }

    fn push(&mut self, name: &str, column: Column) {
        assert!(!self.names.iter().any(|taken| taken == name), "column {name:?} pushed twice");
        if let Some(first) = self.columns.first() {
            assert_eq!(
                first.len(),
                column.len(),
                "column {name:?} has {} rows, the table has {}",
                column.len(),
                first.len()
            );
        }
        self.names.push(name.to_string());
        self.columns.push(column);
    }

    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, Column::len)
    }

    pub fn column_names(&self) -> Vec<&str> {
        self.names.iter().map(String::as_str).collect()
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names.iter().position(|taken| taken == name).map(|index| &self.columns[index])
    }

    /// The columns with their names, in the order they were pushed.
    pub fn columns(&self) -> impl Iterator<Item = (&str, &Column)> {
        self.names.iter().map(String::as_str).zip(self.columns.iter())
    }

    /// The rows at `indices`, in that order (used to split folds).
    pub fn select_rows(&self, indices: &[usize]) -> Table {
        let columns = self
            .columns
            .iter()
            .map(|column| match column {
                Column::Numeric(values) => Column::Numeric(indices.iter().map(|&row| values[row]).collect()),
                Column::Categorical(values) => {
                    Column::Categorical(indices.iter().map(|&row| values[row].clone()).collect())
                }
            })
            .collect();
        Table { names: self.names.clone(), columns }
    }
}
