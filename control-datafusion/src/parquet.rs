//! Transactions as Parquet: the screening input's CSV converted column for column, every value kept as the
//! text it was (so `screen` reads exactly what the CSV reader reads), streamed batch by batch.

use std::io::{Read, Seek, Write};
use std::sync::Arc;

use control_screen::input::{COLUMNS, ID};
use datafusion::arrow::array::{ArrayRef, RecordBatch};
use datafusion::arrow::compute::cast;
use datafusion::arrow::csv::ReaderBuilder;
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::{Compression, ZstdLevel};
use datafusion::parquet::file::properties::WriterProperties;

/// Rows per Parquet row group: DataFusion reads row groups in parallel.
pub const ROW_GROUP: usize = 131_072;

/// The input's schema: `id` and the [`COLUMNS`], all text; `dictionary` stores them dictionary-encoded in
/// Arrow (Parquet dictionary-encodes text pages either way).
pub fn schema(dictionary: bool) -> SchemaRef {
    let text = if dictionary {
        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
    } else {
        DataType::Utf8
    };
    let mut fields = vec![Field::new(ID, DataType::Utf8, true)];
    fields.extend(COLUMNS.iter().map(|c| Field::new(*c, text.clone(), true)));
    Arc::new(Schema::new(fields))
}

/// Converts transactions from CSV (with the header `id` and [`COLUMNS`], in that order) to Parquet; returns
/// the number of rows. A header that differs, or a line that is not a CSV record of 26 values, is an error
/// naming it: nothing is dropped.
pub fn csv_to_parquet(
    mut csv: impl Read + Seek,
    out: impl Write + Send,
    dictionary: bool,
) -> Result<usize, String> {
    let mut header = String::new();
    {
        let mut byte = [0u8; 1];
        loop {
            match csv.read(&mut byte).map_err(|e| e.to_string())? {
                0 => break,
                _ if byte[0] == b'\n' => break,
                _ => header.push(byte[0] as char),
            }
        }
    }
    let expected: Vec<&str> = std::iter::once(ID).chain(COLUMNS.iter().copied()).collect();
    let got: Vec<&str> = header.trim_end_matches('\r').split(',').collect();
    if got != expected {
        return Err(format!(
            "the CSV header is `{}`; expected `{}`",
            header.trim_end(),
            expected.join(",")
        ));
    }
    csv.rewind().map_err(|e| e.to_string())?;
    let plain = schema(false);
    let reader = ReaderBuilder::new(plain.clone())
        .with_header(true)
        .with_batch_size(8192)
        .build(csv)
        .map_err(|e| e.to_string())?;
    let target = schema(dictionary);
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::default()))
        .set_max_row_group_row_count(Some(ROW_GROUP))
        .build();
    let mut writer =
        ArrowWriter::try_new(out, target.clone(), Some(props)).map_err(|e| e.to_string())?;
    let mut rows = 0;
    for batch in reader {
        let batch = batch.map_err(|e| format!("after row {rows}: {e}"))?;
        let batch = if dictionary {
            let columns: Vec<ArrayRef> = batch
                .columns()
                .iter()
                .zip(target.fields())
                .map(|(c, f)| cast(c, f.data_type()))
                .collect::<Result<_, _>>()
                .map_err(|e| e.to_string())?;
            RecordBatch::try_new(target.clone(), columns).map_err(|e| e.to_string())?
        } else {
            batch
        };
        rows += batch.num_rows();
        writer.write(&batch).map_err(|e| e.to_string())?;
    }
    writer.close().map_err(|e| e.to_string())?;
    Ok(rows)
}
