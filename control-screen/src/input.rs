//! Reading transactions: CSV with a header, or JSON Lines, one record per physical line.
//!
//! Every physical line is accounted for. Lines end in LF, CRLF or a lone CR, and are numbered as a text editor
//! numbers them (the CSV header is line 1). After the header, each line gives exactly one [`InputRow`]: a
//! transaction, or an error naming the line — a blank line, bytes that are not UTF-8, an unclosed quote, a
//! wrong number of values, a value that does not parse. A record never spans lines (a quoted value with a line
//! break in it is an error on the line where the quote opened), so one bad line never swallows the next.
//! Only a file that cannot be read, or a CSV header that is wrong (unknown, duplicated or missing columns), is
//! an [`InputError`]: then nothing is screened.

use std::borrow::Cow;
use std::io::{BufRead, Read};

use control_core::jiff::civil::Date;
use control_core::{
    Activity, ControlCode, Country, Decimal, DirectProduct, EndUse, EntityListing, ListFootnote,
    PartyId, Schema, Transaction, parse_date,
};

use crate::parties::{PartyMatcher, PossibleMatch};

/// Input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values with a header line.
    Csv,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// The format a file's extension names (`.csv`, `.jsonl`, `.ndjson`, `.json`).
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" | "json" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// The input columns (CSV header names, JSON keys), in the order of [`Transaction`]'s fields; all required.
/// The parties' facts (`end_user.headquarters`, `purchaser.entity_list`, …) are not columns: they come from the
/// party data (see [`PartyMatcher::with_data`]), as of the effective date.
pub const COLUMNS: &[&str] = &[
    "exporter",
    "exporter_country",
    "item.ccl",
    "item.eu",
    "item.wa",
    "item.nl",
    "item.jp",
    "item.kr",
    "item_origin",
    "us_content",
    "data_centre",
    "tpp",
    "performance_density",
    "activity",
    "destination",
    "purchaser",
    "intermediate_consignee",
    "ultimate_consignee",
    "end_user",
    "end_use",
    "us_person",
    "fdp",
    "notified",
    "date",
    "contract_date",
];

/// How many columns a transaction has.
pub const N: usize = 25;

/// The one optional column, passed through to the output.
pub const ID: &str = "id";

/// One input line after the header, read.
#[derive(Clone, Debug)]
pub struct InputRow {
    /// The physical line number (1-based; the CSV header is line 1).
    pub line: usize,
    /// The `id` value, if the line has one.
    pub id: Option<String>,
    /// The transaction, or why the line is not one.
    pub transaction: Result<Transaction, String>,
    /// Party names that match no known party exactly but are close to one: the row needs a review.
    pub review: Vec<PossibleMatch>,
}

/// Why nothing could be screened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// The input could not be read.
    Io(String),
    /// The CSV header is wrong; every problem is listed.
    Header(Vec<String>),
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InputError::Io(e) => write!(f, "cannot read the input: {e}"),
            InputError::Header(problems) => write!(
                f,
                "the CSV header (line 1) is wrong, so no row was screened: {}",
                problems.join("; ")
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// Splits `input` into physical lines (LF, CRLF or CR) and calls `f(line number, bytes, bytes read so far)`.
/// A final line without a line break counts; an empty input has no lines.
pub fn physical_lines(
    mut input: impl BufRead,
    mut f: impl FnMut(usize, &[u8], u64),
) -> Result<(), InputError> {
    let mut buf = Vec::new();
    let (mut line, mut read) = (0usize, 0u64);
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| InputError::Io(e.to_string()))?;
        if n == 0 {
            return Ok(());
        }
        read += n as u64;
        let mut chunk: &[u8] = &buf;
        if let Some(rest) = chunk.strip_suffix(b"\n") {
            chunk = rest;
        }
        if let Some(rest) = chunk.strip_suffix(b"\r") {
            chunk = rest;
        }
        // Lone CRs inside the chunk end lines too (old Mac files).
        for piece in chunk.split(|b| *b == b'\r') {
            line += 1;
            f(line, piece, read);
        }
    }
}

/// Reads every row of `input`, calling `f(row, bytes read so far)` in input order.
pub fn read(
    input: impl Read,
    format: Format,
    parties: &PartyMatcher,
    mut f: impl FnMut(InputRow, u64),
) -> Result<(), InputError> {
    let mut blocks = Blocks::new(input, BLOCK);
    let mut parser = Parser::new(Layout::read(&mut blocks, format)?, parties);
    while let Some(block) = blocks.next_block()? {
        parser.block(&block, |row| f(row.clone(), block.end));
    }
    Ok(())
}

/// The size of the blocks [`read`] reads: large enough that a block is worth a thread's time, small enough that
/// a few per thread stay in a few megabytes.
pub const BLOCK: usize = 1 << 20;

/// Whole physical lines of the input, for a parser (possibly on another thread).
#[derive(Clone, Debug)]
pub struct Block {
    /// The number of the block's first line (the CSV header is line 1).
    pub first_line: usize,
    /// The lines, each with its line ending (the last one may have none at the end of the input).
    pub bytes: Vec<u8>,
    /// How many bytes of the input were read up to the block's end.
    pub end: u64,
}

/// Splits an input into [`Block`]s of whole lines of about a given size, in order, counting lines as
/// [`physical_lines`] does: a block never ends between a CR and the LF after it.
#[derive(Debug)]
pub struct Blocks<R> {
    input: R,
    size: usize,
    pending: Vec<u8>,
    next_line: usize,
    read: u64,
    eof: bool,
    /// Buffers of blocks already parsed, given back with [`Blocks::recycle`] to hold the next ones.
    spare: Vec<Vec<u8>>,
}

/// Where the last line ending of `b` ends, if `b` has one that is known to be complete: after an LF, or after a
/// CR that is not the last byte (the next byte could be the LF of a CRLF).
fn last_line_end(b: &[u8]) -> Option<usize> {
    if let Some(p) = b.iter().rposition(|&c| c == b'\n') {
        return Some(p + 1);
    }
    b[..b.len().saturating_sub(1)]
        .iter()
        .rposition(|&c| c == b'\r')
        .map(|p| p + 1)
}

/// Where the first line of `b` ends (its ending included), if it is known to be complete; `at_end`: nothing
/// follows `b`.
fn first_line_end(b: &[u8], at_end: bool) -> Option<usize> {
    let p = b.iter().position(|&c| c == b'\n' || c == b'\r')?;
    match (b[p], b.get(p + 1)) {
        (b'\r', Some(b'\n')) => Some(p + 2),
        (b'\r', None) if !at_end => None,
        _ => Some(p + 1),
    }
}

/// How many physical lines `b` holds (a last line without an ending counts).
fn count_lines(b: &[u8]) -> usize {
    let lf = memchr::memchr_iter(b'\n', b).count();
    let lone_cr = if memchr::memchr(b'\r', b).is_some() {
        b.windows(2)
            .filter(|w| w[0] == b'\r' && w[1] != b'\n')
            .count()
            + usize::from(b.last() == Some(&b'\r'))
    } else {
        0
    };
    lf + lone_cr + usize::from(!b.is_empty() && !matches!(b.last(), Some(b'\n' | b'\r')))
}

impl<R: Read> Blocks<R> {
    /// Blocks of about `size` bytes (larger when a line is longer) of `input`.
    pub fn new(input: R, size: usize) -> Blocks<R> {
        Blocks {
            input,
            size: size.max(1),
            pending: Vec::new(),
            next_line: 1,
            read: 0,
            eof: false,
            spare: Vec::new(),
        }
    }

    /// Gives back the buffer of a block that has been parsed, to read a later block into: a buffer of a
    /// megabyte freshly allocated per block costs page faults on every block. At most a few are kept.
    pub fn recycle(&mut self, mut buffer: Vec<u8>) {
        if self.spare.len() < 8 {
            buffer.clear();
            self.spare.push(buffer);
        }
    }

    /// Reads until `pending` holds `want` bytes or the input ends. `read_to_end` reads into the vector's
    /// spare room without zeroing it first (a megabyte per block otherwise) and retries interrupted reads.
    fn fill(&mut self, want: usize) -> Result<(), InputError> {
        if self.eof || self.pending.len() >= want {
            return Ok(());
        }
        let wanted = (want - self.pending.len()) as u64;
        self.pending.reserve(want - self.pending.len());
        let n = (&mut self.input)
            .take(wanted)
            .read_to_end(&mut self.pending)
            .map_err(|e| InputError::Io(e.to_string()))?;
        self.read += n as u64;
        self.eof = (n as u64) < wanted;
        Ok(())
    }

    /// The first line (without its ending), taken off the input; `None` for an empty input.
    fn first_line(&mut self) -> Result<Option<Vec<u8>>, InputError> {
        let mut want = self.size.min(64 * 1024);
        loop {
            self.fill(want)?;
            if self.pending.is_empty() {
                return Ok(None);
            }
            let end =
                first_line_end(&self.pending, self.eof).or(self.eof.then_some(self.pending.len()));
            if let Some(end) = end {
                let rest = self.pending.split_off(end);
                let mut line = std::mem::replace(&mut self.pending, rest);
                while matches!(line.last(), Some(b'\n' | b'\r')) {
                    line.pop();
                }
                self.next_line += 1;
                return Ok(Some(line));
            }
            want = self.pending.len() * 2;
        }
    }

    /// The next block, or `None` at the end of the input.
    pub fn next_block(&mut self) -> Result<Option<Block>, InputError> {
        let mut want = self.size;
        loop {
            self.fill(want)?;
            if self.pending.is_empty() {
                return Ok(None);
            }
            let end = if self.eof {
                Some(self.pending.len())
            } else {
                last_line_end(&self.pending)
            };
            if let Some(end) = end {
                let mut rest = self.spare.pop().unwrap_or_default();
                rest.extend_from_slice(&self.pending[end..]);
                let mut bytes = std::mem::replace(&mut self.pending, rest);
                bytes.truncate(end);
                let first_line = self.next_line;
                self.next_line += count_lines(&bytes);
                let end = self.read - self.pending.len() as u64;
                return Ok(Some(Block {
                    first_line,
                    bytes,
                    end,
                }));
            }
            // One line longer than the block size: read on to its end.
            want = self.pending.len() * 2;
        }
    }
}

/// Calls `f(line number, line without its ending, the line as text)` for each physical line of a block. The
/// block is checked to be UTF-8 once, as a whole (with SIMD: `simdutf8`, several times faster than the
/// standard library's check on text that is mostly ASCII); when it is not, the text is `None` and each line
/// must be checked on its own (only the lines with bad bytes are errors).
fn block_lines(block: &Block, mut f: impl FnMut(usize, &[u8], Option<&str>)) {
    let whole = simdutf8::basic::from_utf8(&block.bytes).ok();
    let mut rest: &[u8] = &block.bytes;
    let mut line = block.first_line;
    while !rest.is_empty() {
        let start = block.bytes.len() - rest.len();
        let (text, next) = match memchr::memchr2(b'\n', b'\r', rest) {
            None => (rest, &rest[rest.len()..]),
            Some(p) if rest[p] == b'\r' && rest.get(p + 1) == Some(&b'\n') => {
                (&rest[..p], &rest[p + 2..])
            }
            Some(p) => (&rest[..p], &rest[p + 1..]),
        };
        f(
            line,
            text,
            whole.and_then(|w| w.get(start..start + text.len())),
        );
        line += 1;
        rest = next;
    }
}

/// How the lines of an input are laid out: JSON Lines, or CSV with the columns of its header.
#[derive(Debug)]
pub struct Layout {
    header: Option<Header>,
}

impl Layout {
    /// Reads the CSV header (line 1) off `blocks`; JSON Lines has none. A wrong or missing header is an error:
    /// nothing can be screened.
    pub fn read<R: Read>(blocks: &mut Blocks<R>, format: Format) -> Result<Layout, InputError> {
        let header = match format {
            Format::Jsonl => None,
            Format::Csv => match blocks.first_line()? {
                Some(line) => Some(Header::parse(&line)?),
                None => {
                    return Err(InputError::Header(vec![
                        "the input is empty: a CSV file starts with a header line naming its columns"
                            .into(),
                    ]));
                }
            },
        };
        Ok(Layout { header })
    }
}

/// Turns blocks of lines into rows, each distinct value of a column parsed once (up to a bound on memory): a
/// parser per thread, blocks in any order.
#[derive(Debug)]
pub struct Parser<'p> {
    layout: std::sync::Arc<Layout>,
    parties: &'p PartyMatcher,
    cache: CellCache,
    /// The row being read, reused from line to line.
    row: InputRow,
}

impl<'p> Parser<'p> {
    /// A parser of lines laid out as `layout` says, resolving parties with `parties`.
    pub fn new(layout: impl Into<std::sync::Arc<Layout>>, parties: &'p PartyMatcher) -> Parser<'p> {
        Parser {
            layout: layout.into(),
            parties,
            cache: CellCache::default(),
            row: InputRow {
                line: 0,
                id: None,
                transaction: Err(String::new()),
                review: Vec::new(),
            },
        }
    }

    /// Calls `f` with the row of each line of `block`, in order. The row is read into the same place line
    /// after line (its id's and error's buffers are reused): clone it to keep it.
    pub fn block(&mut self, block: &Block, mut f: impl FnMut(&InputRow)) {
        self.rows(block, |mut row| f(row.get()));
    }

    /// Calls `f` with each line of `block`, in order, as a [`Row`]: its values are split and looked up, and
    /// its transaction is assembled only when [`Row::get`] asks for it, so that a caller who has met the same
    /// values before ([`Row::key`]) can skip that.
    ///
    /// ```
    /// use control_screen::input::{self, Blocks, Format, Layout, Parser, COLUMNS};
    /// use control_screen::parties::PartyMatcher;
    /// let data = control_core::PartyData::from_json(r#"{"source": "example", "parties": [
    ///   {"id": "acme", "name": "Acme", "location": "BR", "headquarters": "BR"}]}"#).unwrap();
    /// let parties = PartyMatcher::with_data(data, vec![]);
    /// let line = |id: &str| format!("{id},acme,BR,EAR99,UNLISTED,UNLISTED,UNLISTED,UNLISTED,UNLISTED,BR,0,\
    ///     false,0,0,export,BR,none,none,none,acme,civil,false,none,false,2024-03-07,2024-01-01");
    /// let csv = format!("id,{}\n{}\n{}\nbroken\n", COLUMNS.join(","), line("A1"), line("A2"));
    /// let mut blocks = Blocks::new(csv.as_bytes(), input::BLOCK);
    /// let mut parser = Parser::new(Layout::read(&mut blocks, Format::Csv).unwrap(), &parties);
    /// let (mut keys, mut readable) = (Vec::new(), Vec::new());
    /// while let Some(block) = blocks.next_block().unwrap() {
    ///     parser.rows(&block, |mut row| {
    ///         keys.push(row.key());
    ///         readable.push(row.get().transaction.is_ok());
    ///     });
    /// }
    /// // A1 and A2 differ only in their ids: the same key. The broken line has none, and its row is an error.
    /// assert!(keys[0].is_some() && keys[0] == keys[1] && keys[2].is_none());
    /// assert_eq!(readable, [true, true, false]);
    /// ```
    pub fn rows(&mut self, block: &Block, mut f: impl FnMut(Row<'_>)) {
        let layout = std::sync::Arc::clone(&self.layout);
        let parties = self.parties;
        block_lines(block, |line, bytes, text| {
            let row = &mut self.row;
            row.line = line;
            let cells = match (text_of(bytes, text), &layout.header) {
                (Err(e), _) => error_row(row, None, e),
                (Ok(text), Some(h)) => csv_row(h, text, parties, &mut self.cache, row),
                (Ok(text), None) => json_row(text, parties, &mut self.cache, row),
            };
            f(Row {
                row,
                cells,
                assembled: cells.is_none(),
                cache: &self.cache,
                parties,
            })
        });
    }
}

/// Which cells of a parser's cache a line's values are (the id aside): two lines with equal keys have equal
/// values in every column, so equal transactions and equal parties to review. Keys of different parsers, or
/// of one parser before and after its cache started again, are never equal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RowKey {
    epoch: u64,
    cells: [u32; N],
}

/// One line of a block, read as far as its values: see [`Parser::rows`].
#[derive(Debug)]
pub struct Row<'p> {
    row: &'p mut InputRow,
    /// The cells of the line's values (`None`: the row is an error).
    cells: Option<[u32; N]>,
    /// Whether `row` holds the line's transaction yet.
    assembled: bool,
    cache: &'p CellCache,
    parties: &'p PartyMatcher,
}

impl Row<'_> {
    /// The physical line number.
    pub fn line(&self) -> usize {
        self.row.line
    }

    /// The `id` value, if the line has one.
    pub fn id(&self) -> Option<&str> {
        self.row.id.as_deref()
    }

    /// The key of the line's values, or `None` when the line could not be read as far as its values (then
    /// [`Row::get`] is an error row).
    pub fn key(&self) -> Option<RowKey> {
        self.cells.map(|cells| RowKey {
            epoch: self.cache.epoch,
            cells,
        })
    }

    /// The row: the transaction is assembled from the line's values the first time this is called.
    pub fn get(&mut self) -> &InputRow {
        if let (false, Some(cells)) = (self.assembled, &self.cells) {
            self.cache.assemble(cells, self.parties, self.row);
            self.assembled = true;
        }
        self.row
    }
}

/// Cells already read, per column: each distinct text of a column is parsed once. Bounded: when it holds
/// [`CellCache::LIMIT`] cells it starts again.
///
/// Most values (countries, codes, dates, numbers, flags) are at most 15 bytes: those are looked up by the
/// bytes packed into one integer, which hashes and compares in a few instructions; longer ones by their text.
#[derive(Debug, Default)]
struct CellCache {
    short: Vec<std::collections::HashMap<u128, u32, foldhash::fast::RandomState>>,
    long: Vec<std::collections::HashMap<Box<[u8]>, u32, foldhash::fast::RandomState>>,
    cells: Vec<Cell>,
    /// In front of `short`, per column [`CellCache::SLOTS`] slots of (packed bytes, cell), each holding the
    /// last value whose bytes hash to it: a column has few distinct values, and a slot is one comparison.
    slots: Vec<(u128, u32)>,
    /// Which filling of which cache this is: drawn from [`EPOCHS`] whenever the cache starts again, so that
    /// a [`RowKey`] names its cells unambiguously.
    epoch: u64,
}

/// The epochs of every [`CellCache`] of the process, each drawn once.
static EPOCHS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A text of at most 15 bytes packed into an integer: byte `i` of the text is byte `i` of the integer
/// (little-endian), byte 15 is the length, so distinct texts give distinct integers.
///
/// Read with two overlapping loads rather than copied byte by byte: a copy followed by a wide load stalls
/// the processor, and this runs for every value of every row.
fn packed(b: &[u8]) -> Option<u128> {
    let n = b.len();
    let bytes = match n {
        0 => 0,
        1..=3 => {
            u128::from(b[0])
                | u128::from(b[n / 2]) << (8 * (n / 2))
                | u128::from(b[n - 1]) << (8 * (n - 1))
        }
        4..=7 => {
            let lo = u32::from_le_bytes(b[..4].try_into().ok()?);
            let hi = u32::from_le_bytes(b[n - 4..].try_into().ok()?);
            u128::from(lo) | u128::from(hi) << (8 * (n - 4))
        }
        8..=15 => {
            let lo = u64::from_le_bytes(b[..8].try_into().ok()?);
            let hi = u64::from_le_bytes(b[n - 8..].try_into().ok()?);
            u128::from(lo) | u128::from(hi) << (8 * (n - 8))
        }
        _ => return None,
    };
    Some(bytes | (n as u128) << 120)
}

/// No packed text: its length byte would be 255.
const EMPTY_SLOT: u128 = u128::MAX;

impl CellCache {
    const LIMIT: usize = 1 << 16;
    const SLOTS: usize = 64;

    /// The slot of packed bytes `key` in column `i`.
    fn slot(i: usize, key: u128) -> usize {
        let h = ((key as u64) ^ ((key >> 64) as u64)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        i * Self::SLOTS + (h >> 58) as usize
    }

    /// The cells of one row's values (`values[i]`: column `i`'s text, `None` when absent), as indices. The
    /// values are looked up by their bytes; only a value not seen before is read as text.
    fn row(&mut self, values: &[Option<&[u8]>; N], parties: &PartyMatcher) -> [u32; N] {
        if self.cells.len() + N > Self::LIMIT || self.short.is_empty() {
            self.cells.clear();
            self.short.clear();
            self.short.resize_with(N, Default::default);
            self.long.clear();
            self.long.resize_with(N, Default::default);
            self.slots.clear();
            self.slots.resize(N * Self::SLOTS, (EMPTY_SLOT, 0));
            self.epoch = EPOCHS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let mut cells = [0u32; N];
        for (i, (cell, value)) in cells.iter_mut().zip(values).enumerate() {
            *cell = match value.map(|text| (text, packed(text))) {
                Some((_, Some(key))) => {
                    let (known, cell) = self.slots[Self::slot(i, key)];
                    if known == key {
                        cell
                    } else {
                        self.miss(i, *value, parties)
                    }
                }
                _ => self.miss(i, *value, parties),
            };
        }
        cells
    }

    /// The cell of a value not in its slot: a value of more than 15 bytes, a value seen before whose slot
    /// another value took, a new value, or a missing one.
    #[cold]
    #[inline(never)]
    fn miss(&mut self, i: usize, value: Option<&[u8]>, parties: &PartyMatcher) -> u32 {
        let Some(text) = value else {
            self.cells.push(cell(i, None, parties));
            return (self.cells.len() - 1) as u32;
        };
        let key = packed(text);
        let next = self.cells.len() as u32;
        let (k, new) = match key {
            Some(key) => {
                let k = *self.short[i].entry(key).or_insert(next);
                self.slots[Self::slot(i, key)] = (key, k);
                (k, k == next)
            }
            None => match self.long[i].get(text) {
                Some(&k) => (k, false),
                None => {
                    self.long[i].insert(text.into(), next);
                    (next, true)
                }
            },
        };
        if new {
            self.cells.push(match std::str::from_utf8(text) {
                Ok(text) => cell(i, Some(text), parties),
                // Lines are checked to be UTF-8 before they are split at ASCII commas, so this is not
                // reached; if it were, the row says so instead of guessing.
                Err(e) => Cell {
                    value: Err(format!("column `{}`: not UTF-8 text ({e})", COLUMNS[i])),
                    review: None,
                },
            });
        }
        k
    }

    /// Reads the transaction of one row's cells (from [`CellCache::row`]) into `row`; see [`transaction`].
    fn assemble(&self, k: &[u32; N], parties: &PartyMatcher, row: &mut InputRow) {
        let cells = &self.cells;
        assemble_into(
            |i| &cells[k[i] as usize],
            parties,
            parties.fixed_date(),
            &mut row.transaction,
            &mut row.review,
        );
    }
}

/// Reads every row of `input` into memory; see [`read`].
pub fn read_all(
    input: impl Read,
    format: Format,
    parties: &PartyMatcher,
) -> Result<Vec<InputRow>, InputError> {
    let mut rows = Vec::new();
    read(input, format, parties, |row, _| rows.push(row))?;
    Ok(rows)
}

/// The CSV header: for each position, the column it holds (an index into [`COLUMNS`], or `None` for `id`).
#[derive(Debug)]
struct Header {
    columns: Vec<Option<usize>>,
    id: Option<usize>,
}

impl Header {
    fn parse(bytes: &[u8]) -> Result<Header, InputError> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = std::str::from_utf8(bytes)
            .map_err(|e| InputError::Header(vec![format!("it is not UTF-8 text ({e})")]))?;
        let names = split_csv(text).map_err(|e| InputError::Header(vec![e]))?;
        let mut problems = Vec::new();
        let mut columns = Vec::with_capacity(names.len());
        let mut seen = vec![false; COLUMNS.len()];
        let mut id = None;
        for (pos, name) in names.iter().enumerate() {
            let name = name.trim();
            if name == ID {
                if id.is_some() {
                    problems.push(format!("column `{ID}` appears twice"));
                }
                id = Some(pos);
                columns.push(None);
            } else if let Some(c) = COLUMNS.iter().position(|c| *c == name) {
                if seen[c] {
                    problems.push(format!(
                        "column `{name}` appears twice (columns {} and {}); which one holds the value?",
                        columns.iter().position(|x| *x == Some(c)).unwrap_or(0) + 1,
                        pos + 1
                    ));
                }
                seen[c] = true;
                columns.push(Some(c));
            } else {
                let hint = control_core::suggest(name, COLUMNS.iter().copied())
                    .map(|s| format!("; did you mean `{s}`?"))
                    .unwrap_or_default();
                let name = if name.is_empty() { "(empty)" } else { name };
                problems.push(format!(
                    "unknown column `{name}` (column {}){hint}",
                    pos + 1
                ));
                columns.push(None);
            }
        }
        let missing: Vec<&str> = COLUMNS
            .iter()
            .zip(&seen)
            .filter(|(_, s)| !**s)
            .map(|(c, _)| *c)
            .collect();
        if !missing.is_empty() {
            problems.push(format!("missing column(s): {}", missing.join(", ")));
        }
        if problems.is_empty() {
            Ok(Header { columns, id })
        } else {
            Err(InputError::Header(problems))
        }
    }
}

/// Calls `f(start, end)` with the bounds of each value of a line without quotes, in order: the values are
/// what lies between commas (a line without a comma is one value). The commas of sixteen bytes are found at
/// once, as a mask (see [`commas`]): a line has few, and a test per byte costs more than the rest of reading
/// the row.
fn split_at_commas(line: &[u8], mut f: impl FnMut(usize, usize)) {
    let mut start = 0;
    let mut each = |base: usize, mut mask: u32| {
        while mask != 0 {
            let end = base + mask.trailing_zeros() as usize;
            f(start, end);
            start = end + 1;
            mask &= mask - 1;
        }
    };
    let (chunks, rest) = line.as_chunks::<16>();
    for (k, chunk) in chunks.iter().enumerate() {
        each(16 * k, commas(chunk));
    }
    // The last bytes, padded with zeros (not commas).
    let mut last = [0u8; 16];
    last[..rest.len()].copy_from_slice(rest);
    each(16 * chunks.len(), commas(&last));
    f(start, line.len());
}

/// The commas of sixteen bytes: bit `i` is set where byte `i` is a comma. One SSE2 comparison on x86-64
/// (through `safe_arch`, which checks at compile time that the instructions are there).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn commas(bytes: &[u8; 16]) -> u32 {
    use safe_arch::{
        cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let v = load_unaligned_m128i(bytes);
    move_mask_i8_m128i(cmp_eq_mask_i8_m128i(v, set_splat_i8_m128i(b',' as i8))) as u32
}

/// The commas of sixteen bytes: bit `i` is set where byte `i` is a comma.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn commas(bytes: &[u8; 16]) -> u32 {
    commas_portable(bytes)
}

/// [`commas`] a byte at a time: for processors without SSE2, and the reference the tests compare it with.
#[cfg_attr(
    all(target_arch = "x86_64", target_feature = "sse2", not(test)),
    allow(dead_code)
)]
fn commas_portable(bytes: &[u8; 16]) -> u32 {
    bytes
        .iter()
        .enumerate()
        .fold(0, |mask, (i, &b)| mask | u32::from(b == b',') << i)
}

/// Splits one CSV line into values (RFC 4180 quoting, `""` for a quote inside a quoted value).
fn split_csv(line: &str) -> Result<Vec<Cow<'_, str>>, String> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        if b.get(i) == Some(&b'"') {
            let open = i;
            let mut value = String::new();
            let mut start = i + 1;
            let mut j = start;
            loop {
                match b.get(j) {
                    None => {
                        return Err(format!(
                            "the quote opened at character {} is not closed on this line (a record is one line; the next line is read on its own)",
                            open + 1
                        ));
                    }
                    Some(b'"') if b.get(j + 1) == Some(&b'"') => {
                        value.push_str(&line[start..=j]);
                        j += 2;
                        start = j;
                    }
                    Some(b'"') => {
                        value.push_str(&line[start..j]);
                        j += 1;
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            out.push(Cow::Owned(value));
            match b.get(j) {
                None => return Ok(out),
                Some(b',') => i = j + 1,
                Some(_) => {
                    return Err(format!(
                        "character {} follows a closing quote; a quoted value ends at a comma",
                        j + 1
                    ));
                }
            }
        } else {
            let end = b[i..]
                .iter()
                .position(|c| *c == b',')
                .map_or(b.len(), |p| i + p);
            if let Some(q) = b[i..end].iter().position(|c| *c == b'"') {
                return Err(format!(
                    "a quote at character {} is inside an unquoted value; quote the whole value",
                    i + q + 1
                ));
            }
            out.push(Cow::Borrowed(&line[i..end]));
            if end == b.len() {
                return Ok(out);
            }
            i = end + 1;
        }
    }
}

/// Makes `row` the error `e` (with the line's id, if it could be read): no values to look up.
fn error_row(row: &mut InputRow, id: Option<&str>, e: String) -> Option<[u32; N]> {
    set_id(row, id);
    row.transaction = Err(e);
    row.review.clear();
    None
}

/// Sets the row's id, reusing the buffer of the last row's.
fn set_id(row: &mut InputRow, id: Option<&str>) {
    match (id, &mut row.id) {
        (Some(id), Some(buffer)) => {
            buffer.clear();
            buffer.push_str(id);
        }
        (Some(id), None) => row.id = Some(id.to_owned()),
        (None, _) => row.id = None,
    }
}

/// The line as text (`checked`: the same bytes, already known to be UTF-8), or why it holds no record: bytes
/// that are not UTF-8, or only white space.
fn text_of<'b>(bytes: &'b [u8], checked: Option<&'b str>) -> Result<&'b str, String> {
    let text = match checked {
        Some(text) => text,
        None => {
            std::str::from_utf8(bytes).map_err(|e| format!("the line is not UTF-8 text: {e}"))?
        }
    };
    if text.trim().is_empty() {
        return Err(
            "a blank line: no transaction (remove it, or restore the row that was here)".into(),
        );
    }
    Ok(text)
}

/// Sets the row's id and looks its values (in column order) up: their cells, for [`CellCache::assemble`].
fn decoded_row(
    row: &mut InputRow,
    id: Option<&str>,
    values: &[Option<&[u8]>; N],
    parties: &PartyMatcher,
    cache: &mut CellCache,
) -> Option<[u32; N]> {
    set_id(row, id);
    Some(cache.row(values, parties))
}

/// Reads a CSV line (its text: see [`text_of`]) into `row` as far as its values' cells (`None`: `row` is an
/// error).
fn csv_row(
    h: &Header,
    text: &str,
    parties: &PartyMatcher,
    cache: &mut CellCache,
    row: &mut InputRow,
) -> Option<[u32; N]> {
    let bytes = text.as_bytes();
    // Without quotes a value is what lies between commas: no copy, no allocation. A line with a quote
    // anywhere is split by the quoting rules instead.
    if memchr::memchr(b'"', bytes).is_none() {
        let mut cells: [Option<&[u8]>; N] = [None; N];
        let (mut id, mut count) = (None, 0);
        split_at_commas(bytes, |start, end| {
            match h.columns.get(count) {
                Some(Some(c)) => cells[*c] = bytes.get(start..end),
                Some(None) => {
                    id = text
                        .get(start..end)
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                }
                None => {}
            }
            count += 1;
        });
        if count != h.columns.len() {
            return error_row(
                row,
                id,
                format!("{count} values for {} columns", h.columns.len()),
            );
        }
        return decoded_row(row, id, &cells, parties, cache);
    }
    let values = match split_csv(text) {
        Ok(v) => v,
        Err(e) => {
            // Keep the row's id if it can be read without the quoting (it usually comes first).
            let id =
                h.id.and_then(|i| text.split(',').nth(i))
                    .filter(|v| !v.contains('"'))
                    .map(str::trim)
                    .filter(|v| !v.is_empty());
            return error_row(row, id, e);
        }
    };
    let id =
        h.id.and_then(|i| values.get(i))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty());
    if values.len() != h.columns.len() {
        return error_row(
            row,
            id,
            format!("{} values for {} columns", values.len(), h.columns.len()),
        );
    }
    let mut cells: [Option<&[u8]>; N] = [None; N];
    for (c, v) in h.columns.iter().zip(&values) {
        if let Some(c) = c {
            cells[*c] = Some(v.as_bytes());
        }
    }
    decoded_row(row, id, &cells, parties, cache)
}

/// Reads a JSON line (its text: see [`text_of`]) into `row` as far as its values' cells (`None`: `row` is an
/// error).
fn json_row(
    text: &str,
    parties: &PartyMatcher,
    cache: &mut CellCache,
    row: &mut InputRow,
) -> Option<[u32; N]> {
    let entries: Vec<(String, serde_json::Value)> = match serde_json::from_str::<Entries>(text) {
        Ok(Entries(e)) => e,
        Err(e) => return error_row(row, None, format!("not a JSON object: {e}")),
    };
    let id = entries
        .iter()
        .find(|(k, _)| k == ID)
        .and_then(|(_, v)| match v {
            serde_json::Value::String(s) => Some(s.trim().to_owned()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .filter(|v| !v.is_empty());
    let mut problems = Vec::new();
    let mut values: [Option<String>; N] = Default::default();
    let mut seen_id = false;
    for (k, v) in &entries {
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => {
                problems.push(format!("key `{k}`: a list or an object is not a value"));
                continue;
            }
        };
        if k == ID {
            if seen_id {
                problems.push(format!("key `{ID}` appears twice"));
            }
            seen_id = true;
        } else if let Some(c) = COLUMNS.iter().position(|c| c == k) {
            if values[c].is_some() {
                problems.push(format!(
                    "key `{k}` appears twice; which one holds the value?"
                ));
            }
            values[c] = Some(text);
        } else {
            let hint = control_core::suggest(k, COLUMNS.iter().copied())
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            problems.push(format!("unknown key `{k}`{hint}"));
        }
    }
    for (c, v) in COLUMNS.iter().zip(&values) {
        if v.is_none() {
            problems.push(format!("key `{c}` is missing"));
        }
    }
    if !problems.is_empty() {
        return error_row(row, id.as_deref(), problems.join("; "));
    }
    let cells: [Option<&[u8]>; N] =
        std::array::from_fn(|i| values[i].as_deref().map(str::as_bytes));
    decoded_row(row, id.as_deref(), &cells, parties, cache)
}

/// A JSON object's entries in order, duplicates kept (serde_json's map would keep only the last).
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Entries, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = m.next_entry::<String, serde_json::Value>()? {
                    out.push(entry);
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A value of one column, parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A party (exporter, purchaser, consignees, end user), or `none` for a role nobody plays.
    Party(PartyId),
    /// A country.
    Country(Country),
    /// A control code of the column's list.
    Code(ControlCode),
    /// A number (US content, TPP, performance density).
    Number(Decimal),
    /// `true` or `false`.
    Bool(bool),
    /// The activity.
    Activity(Activity),
    /// The end use.
    EndUse(EndUse),
    /// The foreign-direct-product rule that applies.
    DirectProduct(DirectProduct),
    /// A date.
    Date(Date),
}

/// One column's value read: the value or the error (which names the column), and a party name close to a
/// known party. A cell depends only on the column and the text, so a caller reading many rows may parse each
/// distinct text once and reuse the cell (the DataFusion functions do, per batch).
#[derive(Clone, Debug)]
pub struct Cell {
    /// The value, or why the text is not one (`None` when an earlier problem already says why: never alone).
    pub value: Result<Value, String>,
    /// The party name is not a known party's but is close to one.
    pub review: Option<PossibleMatch>,
}

/// Reads column `i` ([`COLUMNS`]`[i]`) from `text` (`None`: the column is absent from the row).
pub fn cell(i: usize, text: Option<&str>, parties: &PartyMatcher) -> Cell {
    let error = |e: String| Cell {
        value: Err(e),
        review: None,
    };
    let v = match text.map(str::trim) {
        Some(v) if !v.is_empty() => v,
        Some(_) => return error(format!("column `{}`: missing value", COLUMNS[i])),
        None => return error(format!("column `{}` is missing", COLUMNS[i])),
    };
    fn ok<T, E: std::fmt::Display>(i: usize, r: Result<T, E>, f: impl Fn(T) -> Value) -> Cell {
        Cell {
            value: r
                .map(f)
                .map_err(|e| format!("column `{}`: {e}", COLUMNS[i])),
            review: None,
        }
    }
    match COLUMNS[i] {
        // A role other than the exporter and the end user may be `none`: nobody plays it.
        "purchaser" | "intermediate_consignee" | "ultimate_consignee"
            if v.eq_ignore_ascii_case(control_core::party_data::NO_PARTY) =>
        {
            Cell {
                value: Ok(Value::Party(PartyId::new(
                    control_core::party_data::NO_PARTY,
                ))),
                review: None,
            }
        }
        "exporter" | "purchaser" | "intermediate_consignee" | "ultimate_consignee" | "end_user" => {
            let (id, review) = parties.resolve(COLUMNS[i], v);
            Cell {
                // A copy of its own (the same id): the matcher's is shared by every thread, and counting
                // references to one id from several threads makes them wait on each other, every row.
                value: Ok(Value::Party(PartyId::new(id.as_str()))),
                review,
            }
        }
        "exporter_country" | "item_origin" | "destination" => {
            ok(i, Country::parse(v), Value::Country)
        }
        "item.ccl" => ok(i, code(v, "CCL"), Value::Code),
        "item.eu" => ok(i, code(v, "EU"), Value::Code),
        "item.wa" => ok(i, code(v, "WA"), Value::Code),
        "item.nl" => ok(i, code(v, "NL"), Value::Code),
        "item.jp" => ok(i, code(v, "JP"), Value::Code),
        "item.kr" => ok(i, code(v, "KR"), Value::Code),
        "us_content" => ok(i, percentage(v), Value::Number),
        "tpp" | "performance_density" => ok(i, non_negative(v), Value::Number),
        "data_centre" | "us_person" | "notified" => ok(i, boolean(v), Value::Bool),
        "activity" => ok(i, Activity::parse(v), Value::Activity),
        "end_use" => ok(i, EndUse::parse(v), Value::EndUse),
        "fdp" => ok(i, DirectProduct::parse(v), Value::DirectProduct),
        "date" | "contract_date" => ok(i, parse_date(v), Value::Date),
        other => error(format!("column `{other}` is not a transaction column")),
    }
}

/// Builds a transaction from the values of [`COLUMNS`]; every problem of the row is reported. Party names
/// resolve to ids through the matcher; a name close to a known party is returned for review. The parties'
/// facts are filled from the matcher's party data as of its as-of date (else the transaction's own date); a
/// party the data does not have is an error of the row (never "not listed").
pub fn transaction(
    cells: &[Option<&str>; N],
    parties: &PartyMatcher,
) -> (Result<Transaction, String>, Vec<PossibleMatch>) {
    let read: Vec<Cell> = (0..N).map(|i| cell(i, cells[i], parties)).collect();
    assemble(|i| &read[i], parties, parties.fixed_date())
}

/// Builds a transaction from the cells of [`COLUMNS`] (`cells(i)` is column `i`'s, read by [`cell`]): every
/// problem of the row is reported, in column order. The parties' facts are filled from the matcher's party
/// data as of `as_of` (else the transaction's own date); a party the data does not have is an error of the
/// row (never "not listed").
pub fn assemble<'c>(
    cells: impl Fn(usize) -> &'c Cell,
    parties: &PartyMatcher,
    as_of: Option<Date>,
) -> (Result<Transaction, String>, Vec<PossibleMatch>) {
    let (mut transaction, mut review) = (Err(String::new()), Vec::new());
    assemble_into(cells, parties, as_of, &mut transaction, &mut review);
    (transaction, review)
}

/// [`assemble`] into a place: `out` and `review` are overwritten (a screener reads row after row into one
/// place, so that nothing is allocated or copied again per row).
fn assemble_into<'c>(
    cells: impl Fn(usize) -> &'c Cell,
    parties: &PartyMatcher,
    as_of: Option<Date>,
    out: &mut Result<Transaction, String>,
    review: &mut Vec<PossibleMatch>,
) {
    let mut errors: Vec<&str> = Vec::new();
    review.clear();
    let mut values: [Option<&Value>; N] = [None; N];
    for (i, v) in values.iter_mut().enumerate() {
        let c = cells(i);
        if let Some(r) = &c.review {
            review.push(r.clone());
        }
        match &c.value {
            Ok(x) => *v = Some(x),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        *out = Err(errors.join("; "));
        return;
    }
    let party = |i: usize| match values[i] {
        Some(Value::Party(p)) => Some(p),
        _ => None,
    };
    let country = |i: usize| match values[i] {
        Some(Value::Country(c)) => Some(*c),
        _ => None,
    };
    let code = |i: usize| match values[i] {
        Some(Value::Code(c)) => Some(*c),
        _ => None,
    };
    let number = |i: usize| match values[i] {
        Some(Value::Number(d)) => Some(*d),
        _ => None,
    };
    let boolean = |i: usize| match values[i] {
        Some(Value::Bool(b)) => Some(*b),
        _ => None,
    };
    let date = |i: usize| match values[i] {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    };
    let activity = || match values[13] {
        Some(Value::Activity(a)) => Some(*a),
        _ => None,
    };
    let end_use = || match values[19] {
        Some(Value::EndUse(e)) => Some(*e),
        _ => None,
    };
    let fdp = || match values[21] {
        Some(Value::DirectProduct(f)) => Some(*f),
        _ => None,
    };
    // The last row's transaction is overwritten in place. A party id is reference counted: where the last
    // row had the same party (one comparison of pointers), its id is kept rather than one reference counted
    // and another dropped, two atomic operations per party and row that make a processor wait.
    let read = match out {
        Ok(t) => (|| {
            let set = |old: &mut PartyId, new: &PartyId| {
                if old != new {
                    *old = new.clone();
                }
            };
            set(&mut t.exporter, party(0)?);
            t.exporter_country = country(1)?;
            t.item_ccl = code(2)?;
            t.item_eu = code(3)?;
            t.item_wa = code(4)?;
            t.item_nl = code(5)?;
            t.item_jp = code(6)?;
            t.item_kr = code(7)?;
            t.item_origin = country(8)?;
            t.us_content = number(9)?;
            t.data_centre = boolean(10)?;
            t.tpp = number(11)?;
            t.performance_density = number(12)?;
            t.activity = activity()?;
            t.destination = country(14)?;
            set(&mut t.purchaser, party(15)?);
            set(&mut t.intermediate_consignee, party(16)?);
            set(&mut t.ultimate_consignee, party(17)?);
            set(&mut t.end_user, party(18)?);
            t.end_use = end_use()?;
            t.us_person = boolean(20)?;
            t.fdp = fdp()?;
            t.notified = boolean(22)?;
            t.date = date(23)?;
            t.contract_date = date(24)?;
            Some(())
        })(),
        Err(_) => (|| {
            let destination = country(14)?;
            *out = Ok(Transaction {
                exporter: party(0)?.clone(),
                exporter_country: country(1)?,
                item_ccl: code(2)?,
                item_eu: code(3)?,
                item_wa: code(4)?,
                item_nl: code(5)?,
                item_jp: code(6)?,
                item_kr: code(7)?,
                item_origin: country(8)?,
                us_content: number(9)?,
                data_centre: boolean(10)?,
                tpp: number(11)?,
                performance_density: number(12)?,
                activity: activity()?,
                destination,
                purchaser: party(15)?.clone(),
                intermediate_consignee: party(16)?.clone(),
                ultimate_consignee: party(17)?.clone(),
                end_user: party(18)?.clone(),
                end_use: end_use()?,
                us_person: boolean(20)?,
                fdp: fdp()?,
                notified: boolean(22)?,
                date: date(23)?,
                contract_date: date(24)?,
                // Filled from the party data below.
                purchaser_entity_list: EntityListing::NotListed,
                purchaser_entity_list_footnote: ListFootnote::None,
                intermediate_consignee_entity_list: EntityListing::NotListed,
                intermediate_consignee_entity_list_footnote: ListFootnote::None,
                ultimate_consignee_entity_list: EntityListing::NotListed,
                ultimate_consignee_entity_list_footnote: ListFootnote::None,
                end_user_entity_list: EntityListing::NotListed,
                end_user_entity_list_footnote: ListFootnote::None,
                end_user_location: destination,
                end_user_headquarters: destination,
                end_user_parent_headquarters: destination,
            });
            Some(())
        })(),
    };
    let (Some(()), Ok(t)) = (read, out.as_mut()) else {
        // Unreachable with cells read by `cell`: each column's value has the column's type.
        *out = Err("a cell holds a value of another column's type".into());
        return;
    };
    let Some(data) = parties.data() else {
        *out = Err("no party data: the parties' facts (Entity List entries, headquarters) cannot be known; load party data".into());
        return;
    };
    let date = as_of.unwrap_or(t.date);
    if let Err(unknown) = data.fill(t, date) {
        let list: Vec<String> = unknown
            .iter()
            .map(|u| {
                let written = review
                    .iter()
                    .find(|r: &&PossibleMatch| r.written.eq_ignore_ascii_case(&u.party))
                    .map(|r| format!(" (close to `{}`, {})", r.candidate, r.candidate_name))
                    .unwrap_or_default();
                format!("{u}{written}; add it to the party data")
            })
            .collect();
        *out = Err(list.join("; "));
    }
}

/// A code of the field's list: a prefix naming another list is an error.
fn code(text: &str, list: &str) -> Result<ControlCode, String> {
    let c = ControlCode::parse(text).map_err(|e| e.to_string())?;
    match c.list_prefix() {
        Some(p) if p != list && control_core::vocab::lists::is_known(p) => Err(format!(
            "`{c}` is a code of list {p}, but this column holds the item's classification under list {list}"
        )),
        _ => Ok(c),
    }
}

/// `true` or `false` (also `yes`/`no`, any case).
fn boolean(text: &str) -> Result<bool, String> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "yes" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(format!("`{text}` is not `true` or `false`")),
    }
}

/// A number of 0 or more (TPP, performance density).
fn non_negative(text: &str) -> Result<Decimal, String> {
    let d = Decimal::parse(text).map_err(|e| e.to_string())?;
    if d < Decimal::from_int(0) {
        return Err(format!("`{text}` is negative; the value is 0 or more"));
    }
    Ok(d)
}

/// A share of US content: a decimal inside the range the schema gives the field (0 to 100).
fn percentage(text: &str) -> Result<Decimal, String> {
    let d = Decimal::parse(text).map_err(|e| e.to_string())?;
    let field = &Schema::transaction().fields[control_core::transaction::fields::US_CONTENT];
    match field.range {
        Some([lo, hi]) if d < lo || d > hi => {
            Err(format!("`{text}` is not a percentage from {lo} to {hi}"))
        }
        _ => Ok(d),
    }
}

#[cfg(test)]
mod packing {
    use super::{packed, split_at_commas};
    use proptest::prelude::*;

    fn split(line: &[u8]) -> Vec<&[u8]> {
        let mut out = Vec::new();
        split_at_commas(line, |start, end| out.push(&line[start..end]));
        out
    }

    proptest! {
        /// Any bytes, commas often, and the bytes that differ from a comma in one bit (`0xAC`, `0x2D`, …).
        #[test]
        fn splitting_sixteen_bytes_at_a_time_finds_every_comma(
            line in proptest::collection::vec(
                prop_oneof![Just(b','), Just(0xACu8), Just(0x2D), Just(0x0C), any::<u8>()],
                0..70,
            )
        ) {
            let expected: Vec<&[u8]> = line.split(|c| *c == b',').collect();
            prop_assert_eq!(split(&line), expected);
        }

        /// The SIMD mask and the byte-at-a-time one agree (on x86-64 the first is used, elsewhere the second).
        #[test]
        fn both_ways_of_finding_commas_agree(
            bytes in proptest::array::uniform16(prop_oneof![Just(b','), Just(0xACu8), any::<u8>()])
        ) {
            prop_assert_eq!(super::commas(&bytes), super::commas_portable(&bytes));
        }
    }

    #[test]
    fn commas_at_the_ends_of_words_and_lines() {
        assert_eq!(split(b""), vec![b"" as &[u8]]);
        assert_eq!(split(b","), vec![b"" as &[u8], b""]);
        assert_eq!(split(b"abcdefg,h"), vec![b"abcdefg" as &[u8], b"h"]);
        assert_eq!(split(b"abcdefgh,"), vec![b"abcdefgh" as &[u8], b""]);
        assert_eq!(split(b",,,,,,,,,"), vec![b"" as &[u8]; 10]);
        assert_eq!(
            split(b"abcdefghijklmno,p"),
            vec![b"abcdefghijklmno" as &[u8], b"p"]
        );
        assert_eq!(
            split(b"abcdefghijklmnop,"),
            vec![b"abcdefghijklmnop" as &[u8], b""]
        );
        assert_eq!(split(&[b','; 33]), vec![b"" as &[u8]; 34]);
    }

    /// The packing spelled out: the bytes in order, the length in byte 15.
    fn plain(text: &str) -> Option<u128> {
        let b = text.as_bytes();
        (b.len() < 16).then(|| {
            let mut key = [0u8; 16];
            key[..b.len()].copy_from_slice(b);
            key[15] = b.len() as u8;
            u128::from_le_bytes(key)
        })
    }

    proptest! {
        #[test]
        fn packing_is_the_bytes_and_the_length(text in "\\PC{0,18}") {
            prop_assert_eq!(packed(text.as_bytes()), plain(&text));
        }
    }

    #[test]
    fn every_length_packs_its_bytes() {
        let all = "abcdefghijklmnopq";
        for n in 0..=all.len() {
            assert_eq!(packed(&all.as_bytes()[..n]), plain(&all[..n]), "length {n}");
        }
        assert_ne!(packed(b"a"), packed(b"a\0"));
        assert_ne!(packed(b""), packed(b"\0"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(bytes: &[u8]) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        physical_lines(bytes, |n, l, _| {
            out.push((n, String::from_utf8_lossy(l).into_owned()))
        })
        .unwrap();
        out
    }

    #[test]
    fn every_line_ending_ends_a_line() {
        assert_eq!(
            lines(b"a\nb\r\nc\rd"),
            [(1, "a"), (2, "b"), (3, "c"), (4, "d")].map(|(n, s)| (n, s.to_owned()))
        );
        assert_eq!(lines(b"a\r\r\n").len(), 2);
        assert!(lines(b"").is_empty());
        assert_eq!(lines(b"\n").len(), 1);
    }

    /// The lines of `bytes` read as blocks of about `size` bytes, after taking the first line off when
    /// `header`.
    fn block_lines_of(
        bytes: &[u8],
        size: usize,
        step: usize,
        header: bool,
    ) -> Vec<(usize, String)> {
        let mut blocks = Blocks::new(Trickle(bytes, step), size);
        let mut out = Vec::new();
        if header && let Some(first) = blocks.first_line().unwrap() {
            out.push((1, String::from_utf8_lossy(&first).into_owned()));
        }
        let mut end = 0;
        while let Some(block) = blocks.next_block().unwrap() {
            assert!(block.end > end && !block.bytes.is_empty());
            end = block.end;
            block_lines(&block, |n, l, _| {
                out.push((n, String::from_utf8_lossy(l).into_owned()))
            });
        }
        assert!(end == 0 || end == bytes.len() as u64);
        out
    }

    /// A reader that returns at most `.1` bytes per call, as pipes and sockets may.
    struct Trickle<'a>(&'a [u8], usize);

    impl std::io::Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(self.1).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    proptest::proptest! {
        /// Blocks of any size, cut anywhere a line may end (never inside a CRLF), give the same numbered
        /// lines as reading the whole input line by line, with or without the header taken off first.
        #[test]
        fn blocks_keep_every_physical_line(
            bytes in proptest::collection::vec(proptest::sample::select(b"ab\r\n".to_vec()), 0..64),
            size in 1usize..24,
            step in 1usize..8,
            header: bool,
        ) {
            proptest::prop_assert_eq!(block_lines_of(&bytes, size, step, header), lines(&bytes));
        }
    }

    #[test]
    fn csv_values_split_and_quotes_are_checked() {
        assert_eq!(
            split_csv("a,\"b,c\",\"d\"\"e\",").unwrap(),
            ["a", "b,c", "d\"e", ""]
        );
        assert!(
            split_csv("a,\"b")
                .unwrap_err()
                .contains("character 3 is not closed")
        );
        assert!(
            split_csv("a,b\"c")
                .unwrap_err()
                .contains("inside an unquoted value")
        );
        assert!(
            split_csv("\"a\"b")
                .unwrap_err()
                .contains("follows a closing quote")
        );
    }

    #[test]
    fn percentages_stay_between_0_and_100() {
        assert!(percentage("100").is_ok() && percentage("0").is_ok());
        assert!(percentage("150").is_err() && percentage("-5").is_err());
    }

    use crate::test_data::acme;

    fn line(id: &str, destination: &str, us_content: &str) -> String {
        crate::test_data::line(id, destination, us_content, "2024-03-07")
    }

    /// The keys of `csv`'s lines, read by a new parser.
    fn keys(csv: &str, parties: &PartyMatcher) -> Vec<Option<RowKey>> {
        let mut blocks = Blocks::new(csv.as_bytes(), BLOCK);
        let mut parser = Parser::new(Layout::read(&mut blocks, Format::Csv).unwrap(), parties);
        let mut keys = Vec::new();
        while let Some(block) = blocks.next_block().unwrap() {
            parser.rows(&block, |row| keys.push(row.key()));
        }
        keys
    }

    /// Lines with the same values (the id aside) have the same key; lines with other values, lines of another
    /// parser, and lines read after the parser's cache started again have other keys; an error has none.
    #[test]
    fn equal_values_and_only_they_have_equal_keys() {
        let parties = acme();
        let header = format!("id,{}", COLUMNS.join(","));
        let csv = format!(
            "{header}\n{}\n{}\n{}\nnot,enough\n",
            line("a", "CN", "0"),
            line("b", "CN", "0"),
            line("c", "DE", "0")
        );
        let first = keys(&csv, &parties);
        assert_eq!(first.len(), 4);
        assert!(first[0].is_some() && first[0] == first[1]);
        assert_ne!(first[0], first[2]);
        assert_eq!(first[3], None);
        assert_ne!(keys(&csv, &parties)[0], first[0], "another parser's key");
        // Enough distinct values to fill the cache: the first line after it starts again takes the cells the
        // first line took, with other values.
        let mut long = format!("{header}\n{}\n", line("x", "CN", "0"));
        for k in 0..CellCache::LIMIT {
            long.push_str(&line("f", "DE", &format!("{}.{:03}", k / 1000, k % 1000)));
            long.push('\n');
        }
        let all: Vec<RowKey> = keys(&long, &parties).into_iter().flatten().collect();
        let x = all[0];
        let y = *all
            .iter()
            .find(|k| k.epoch != x.epoch)
            .expect("the cache started again");
        assert_eq!(x.cells, y.cells, "both first in a fresh cache");
        assert_ne!(x, y);
    }
}
