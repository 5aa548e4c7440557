//! One tantivy index for one root (a folder of stories, or a single story), kept in the
//! user's cache folder.
//!
//! What it owns:
//! - where the index lives (a folder named by a hash of the root's canonical path, under
//!   the cache folder) and its schema version;
//! - opening it, and rebuilding it from nothing when it is missing, from another schema
//!   version, or broken in any way (unreadable metadata, bad checksums, a panic inside the
//!   engine): a broken index is never an error the user must fix;
//! - incremental updates: a story is indexed again when its file or its sidecar changed
//!   (modification time or size), and removed when it is gone;
//! - the documents: one per paragraph of story text (with its char offset), one per
//!   annotation (its fields as JSON), one stamp per story. Stamps live in the index itself
//!   so they are committed atomically with what they describe.
//!
//! It must not write anything beside the stories, nor decide how results are ranked for the
//! user (that is [`super::rank`] and [`super`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{TextAnalyzer, WhitespaceTokenizer};
use tantivy::{Index, IndexReader, IndexWriter, TantivyDocument, Term};

use super::MemoryError;
use super::analyze::analyze;
use crate::model::Annotation;
use crate::store;
use crate::text::load_story;
use crate::workspace;

/// Bumped whenever the schema or the analysis changes: an index of another version is
/// rebuilt, because its keys would no longer match the queries.
pub const SCHEMA_VERSION: u32 = 1;
const VERSION_FILE: &str = "factmark-memory.json";
const TOKENIZER: &str = "factmark_keys";
/// Paragraphs longer than this (bytes) are cut at a space, so snippets and re-analysis at
/// query time stay cheap.
const MAX_CHUNK: usize = 4096;
/// The indexing memory budget: tantivy's minimum per thread is 15 MB.
const WRITER_BUDGET: usize = 50_000_000;

const KIND_TEXT: &str = "text";
const KIND_NOTE: &str = "note";
const KIND_STAMP: &str = "stamp";

/// What an index covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every story under a folder (found as the workspace finds them).
    Folder(PathBuf),
    /// One story file.
    Story(PathBuf),
}

impl Scope {
    pub fn path(&self) -> &Path {
        match self {
            Scope::Folder(p) | Scope::Story(p) => p,
        }
    }

    /// The stories it covers now, each with its name in the index.
    fn stories(&self) -> Result<Vec<(String, PathBuf)>, MemoryError> {
        match self {
            Scope::Folder(root) => {
                let found =
                    workspace::find_stories(root).map_err(|source| MemoryError::Folder {
                        path: root.clone(),
                        source,
                    })?;
                Ok(found
                    .into_iter()
                    .map(|p| (relative_name(root, &p), p))
                    .collect())
            }
            Scope::Story(path) => Ok(vec![(file_name(path), path.clone())]),
        }
    }

    /// The story file a name of this index stands for.
    pub fn story_path(&self, name: &str) -> PathBuf {
        match self {
            Scope::Folder(root) => root.join(name),
            Scope::Story(path) => path.clone(),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn relative_name(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| path.to_string_lossy().into_owned())
}

/// An annotation as the index keeps it: the fields searched and shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NoteRecord {
    pub id: String,
    pub label: String,
    pub claim: bool,
    pub quote: String,
    pub statement: String,
    pub claimant: String,
    pub rationale: String,
    pub tags: Vec<String>,
    pub comments: Vec<String>,
    pub verdict: Option<String>,
    pub status: String,
    /// The annotation's last change, `YYYY-MM-DD`.
    pub date: String,
}

impl NoteRecord {
    fn of(a: &Annotation) -> Self {
        NoteRecord {
            id: a.id.to_string(),
            label: a.label.clone(),
            claim: a.is_claim(),
            quote: a.anchor.quote.clone(),
            statement: a.statement.clone(),
            claimant: a.claimant.clone(),
            rationale: a.rationale.clone(),
            tags: a.tags.clone(),
            comments: a.comments.iter().map(|c| c.text.clone()).collect(),
            verdict: a.verdict.clone(),
            status: a.status.name().to_owned(),
            date: a.modified.strftime("%Y-%m-%d").to_string(),
        }
    }

    /// The searchable fields, by the names `search` reports.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![
            ("quote", self.quote.as_str()),
            ("statement", self.statement.as_str()),
            ("claimant", self.claimant.as_str()),
            ("rationale", self.rationale.as_str()),
        ];
        out.extend(self.tags.iter().map(|t| ("tags", t.as_str())));
        out.extend(self.comments.iter().map(|c| ("comments", c.as_str())));
        out
    }

    /// What `similar` compares: the statement, and the quote when it says something else.
    pub fn claim_text(&self) -> String {
        claim_text(&self.statement, &self.quote)
    }
}

/// The text of a claim for comparison.
pub fn claim_text(statement: &str, quote: &str) -> String {
    if statement.trim().is_empty() || statement.trim() == quote.trim() {
        quote.to_owned()
    } else {
        format!("{statement}\n{quote}")
    }
}

/// The keys of `text`, separated by spaces, as the whitespace tokenizer reads them back.
pub fn keys_of(text: &str) -> String {
    let terms = analyze(text).terms;
    let mut out = String::with_capacity(text.len());
    for t in terms {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&t.key);
    }
    out
}

#[derive(Clone, Copy, Debug)]
pub struct Fields {
    pub kind: Field,
    pub story: Field,
    pub id: Field,
    pub start: Field,
    pub body: Field,
    pub keys: Field,
    pub claim: Field,
    pub stamp: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let keys_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        kind: b.add_text_field("kind", STRING),
        story: b.add_text_field("story", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        start: b.add_u64_field("start", STORED),
        body: b.add_text_field("body", STORED),
        keys: b.add_text_field("keys", keys_options.clone()),
        claim: b.add_text_field("claim", keys_options),
        stamp: b.add_text_field("stamp", STORED),
    };
    (b.build(), fields)
}

#[derive(Serialize, Deserialize)]
struct VersionFile {
    schema: u32,
    root: PathBuf,
}

/// What one refresh did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    pub indexed: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Another process (a window, a command) was updating this index: it was left as is.
    pub busy: bool,
    /// Stories or sidecars that could not be read, in one sentence each (what could be read
    /// of them is indexed).
    pub problems: Vec<String>,
}

/// A document found by a query.
pub struct Found {
    pub score: f32,
    pub story: String,
    pub kind: FoundKind,
}

pub enum FoundKind {
    /// A paragraph of story text starting at char `start`.
    Text {
        start: usize,
        text: String,
    },
    Note(Box<NoteRecord>),
}

pub struct FolderIndex {
    pub scope: Scope,
    dir: PathBuf,
    index: Index,
    reader: IndexReader,
    fields: Fields,
    /// Story name -> stamp of its files when last indexed.
    stamps: BTreeMap<String, String>,
    /// Why the index was rebuilt when it was opened, if it was.
    pub rebuilt: Option<String>,
}

impl FolderIndex {
    /// Opens the index of `scope` under `cache`, or builds an empty one (filled by
    /// [`FolderIndex::refresh`]) when there is none or it cannot be used.
    pub fn open(cache: &Path, scope: Scope) -> Result<Self, MemoryError> {
        let dir = cache.join(index_folder_name(&scope));
        if dir.starts_with(scope.path()) {
            return Err(MemoryError::CacheInsideFolder { cache: dir });
        }
        let attempt =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| open_existing(&dir, &scope)));
        let reason = match attempt {
            Ok(Ok(Some(index))) => return Ok(index),
            Ok(Ok(None)) => None,
            Ok(Err(reason)) => Some(reason),
            Err(_) => Some("the search engine failed while reading it".to_owned()),
        };
        let mut index = create(&dir, &scope)?;
        index.rebuilt = reason;
        Ok(index)
    }

    /// Brings the index up to date with the stories on disk. `progress` is called with
    /// (done, total, story name) before each story that is (re)indexed.
    pub fn refresh(
        &mut self,
        progress: &mut dyn FnMut(usize, usize, &str),
    ) -> Result<Refreshed, MemoryError> {
        let mut report = Refreshed::default();
        let stories = self.scope.stories()?;
        let mut changed = Vec::new();
        let current: BTreeSet<&str> = stories.iter().map(|(n, _)| n.as_str()).collect();
        for (name, path) in &stories {
            let stamp = stamp_of(path);
            if self.stamps.get(name) == Some(&stamp) {
                report.unchanged += 1;
            } else {
                changed.push((name.clone(), path.clone(), stamp));
            }
        }
        let removed: Vec<String> = self
            .stamps
            .keys()
            .filter(|n| !current.contains(&String::as_str(n)))
            .cloned()
            .collect();
        if changed.is_empty() && removed.is_empty() {
            return Ok(report);
        }
        let mut writer: IndexWriter<TantivyDocument> = match self.index.writer(WRITER_BUDGET) {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                report.busy = true;
                return Ok(report);
            }
            Err(e) => return Err(self.engine_error(e)),
        };
        let f = self.fields;
        for name in &removed {
            writer.delete_term(Term::from_field_text(f.story, name));
        }
        let total = changed.len();
        for (done, (name, path, stamp)) in changed.iter().enumerate() {
            progress(done, total, name);
            writer.delete_term(Term::from_field_text(f.story, name));
            for doc in documents(&f, name, path, stamp, &mut report.problems) {
                writer.add_document(doc).map_err(|e| self.engine_error(e))?;
            }
        }
        progress(total, total, "");
        writer.commit().map_err(|e| self.engine_error(e))?;
        // Merges run on background threads; waiting keeps no half-merged garbage behind
        // when the process exits right after (the command line does).
        writer
            .wait_merging_threads()
            .map_err(|e| self.engine_error(e))?;
        self.reader.reload().map_err(|e| self.engine_error(e))?;
        for name in &removed {
            self.stamps.remove(name);
        }
        for (name, _, stamp) in changed {
            self.stamps.insert(name, stamp);
        }
        report.indexed = total;
        report.removed = removed.len();
        Ok(report)
    }

    fn engine_error(&self, source: tantivy::TantivyError) -> MemoryError {
        MemoryError::Engine {
            path: self.dir.clone(),
            message: source.to_string(),
        }
    }

    /// Documents matching every part (a part is a sequence of keys: a word, a number, a
    /// phrase), best first by BM25.
    pub fn find(&self, parts: &[Vec<String>], limit: usize) -> Result<Vec<Found>, MemoryError> {
        let f = self.fields;
        let clauses: Vec<(Occur, Box<dyn Query>)> = parts
            .iter()
            .filter(|p| !p.is_empty())
            .map(|part| {
                let terms: Vec<Term> = part
                    .iter()
                    .map(|k| Term::from_field_text(f.keys, k))
                    .collect();
                let q: Box<dyn Query> = if terms.len() == 1 {
                    Box::new(TermQuery::new(
                        terms[0].clone(),
                        IndexRecordOption::WithFreqs,
                    ))
                } else {
                    Box::new(PhraseQuery::new(terms))
                };
                (Occur::Must, q)
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        self.collect(&BooleanQuery::new(clauses), limit)
    }

    /// Claims sharing any of `keys`, best first by BM25 (the candidates of `similar`).
    pub fn candidates(&self, keys: &[&str], limit: usize) -> Result<Vec<Found>, MemoryError> {
        let f = self.fields;
        let clauses: Vec<(Occur, Box<dyn Query>)> = keys
            .iter()
            .map(|k| {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(f.claim, k),
                    IndexRecordOption::WithFreqs,
                ));
                (Occur::Should, q)
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        self.collect(&BooleanQuery::new(clauses), limit)
    }

    /// How rare a key is among the claims: `1 + ln((N + 1) / (df + 1))`.
    pub fn idf(&self, key: &str) -> f32 {
        let searcher = self.reader.searcher();
        let n = searcher.num_docs() as f32;
        let df = searcher
            .doc_freq(&Term::from_field_text(self.fields.claim, key))
            .unwrap_or(0) as f32;
        1.0 + ((n + 1.0) / (df + 1.0)).ln()
    }

    fn collect(&self, query: &dyn Query, limit: usize) -> Result<Vec<Found>, MemoryError> {
        let searcher = self.reader.searcher();
        let top = searcher
            .search(query, &TopDocs::with_limit(limit).order_by_score())
            .map_err(|e| self.engine_error(e))?;
        let f = self.fields;
        let mut out = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address).map_err(|e| self.engine_error(e))?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            };
            let story = text(f.story);
            let body = text(f.body);
            let kind = match doc.get_first(f.start).and_then(|v| v.as_u64()) {
                Some(start) => FoundKind::Text {
                    start: usize::try_from(start).unwrap_or(usize::MAX),
                    text: body,
                },
                None => match serde_json::from_str::<NoteRecord>(&body) {
                    Ok(note) => FoundKind::Note(Box::new(note)),
                    // Only a stamp has neither; a note that does not parse is skipped.
                    Err(_) => continue,
                },
            };
            out.push(Found { score, story, kind });
        }
        Ok(out)
    }

    /// Number of documents, for tests and benches.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// The folder of an index: `memory/` + a hash of the scope's canonical path, so two
/// spellings of one folder share an index and no story path appears in the cache.
fn index_folder_name(scope: &Scope) -> PathBuf {
    use sha2::{Digest, Sha256};
    let (kind, path) = match scope {
        Scope::Folder(p) => ("folder", p),
        Scope::Story(p) => ("story", p),
    };
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
    let mut hasher = Sha256::new();
    hasher.update(kind.as_bytes());
    hasher.update([0]);
    hasher.update(canonical.to_string_lossy().as_bytes());
    let digest = hasher.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    Path::new("memory").join(hex)
}

/// Removes from `cache` the indexes of roots that were deleted (a temporary folder, a
/// story folder thrown away): those whose root is gone while the folder that held it is
/// still there. A root whose parent is missing too (an unmounted drive, a network share
/// that is offline) is kept, so plugging it back in does not mean indexing it again.
/// Returns how many were removed; what cannot be read or removed is left alone.
pub fn prune(cache: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(cache.join("memory")) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let dir = entry.path();
        let Ok(text) = std::fs::read_to_string(dir.join(VERSION_FILE)) else {
            continue;
        };
        let Ok(version) = serde_json::from_str::<VersionFile>(&text) else {
            continue;
        };
        let gone = !version.root.exists() && version.root.parent().is_some_and(|p| p.is_dir());
        if gone && std::fs::remove_dir_all(&dir).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// The modification times and sizes of a story and its sidecar, as one comparable string.
fn stamp_of(story: &Path) -> String {
    let one = |p: &Path| match std::fs::metadata(p) {
        Ok(m) => {
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{t}:{}", m.len())
        }
        Err(_) => "-".to_owned(),
    };
    format!("{}|{}", one(story), one(&store::sidecar_path(story)))
}

/// The documents of one story: its paragraphs, its annotations, its stamp.
fn documents(
    f: &Fields,
    name: &str,
    path: &Path,
    stamp: &str,
    problems: &mut Vec<String>,
) -> Vec<TantivyDocument> {
    let mut docs = Vec::new();
    match load_story(path) {
        Ok(story) => {
            for (start, chunk) in chunks(story.text.as_str()) {
                let mut d = TantivyDocument::default();
                d.add_text(f.kind, KIND_TEXT);
                d.add_text(f.story, name);
                d.add_u64(f.start, start as u64);
                d.add_text(f.body, chunk);
                d.add_text(f.keys, keys_of(chunk));
                docs.push(d);
            }
        }
        // A missing story with a sidecar still has annotations worth finding.
        Err(e) => problems.push(e.to_string()),
    }
    match store::load(&store::sidecar_path(path)) {
        Ok(None) => {}
        Ok(Some((loaded, _))) => {
            for a in loaded.sidecar.annotations.iter() {
                let note = NoteRecord::of(a);
                let Ok(json) = serde_json::to_string(&note) else {
                    continue;
                };
                let mut d = TantivyDocument::default();
                d.add_text(f.kind, KIND_NOTE);
                d.add_text(f.story, name);
                d.add_text(f.id, &note.id);
                d.add_text(f.body, json);
                for (_, text) in note.fields() {
                    d.add_text(f.keys, keys_of(text));
                }
                if note.claim {
                    d.add_text(f.claim, keys_of(&note.claim_text()));
                }
                docs.push(d);
            }
        }
        Err(e) => problems.push(e.to_string()),
    }
    let mut d = TantivyDocument::default();
    d.add_text(f.kind, KIND_STAMP);
    d.add_text(f.story, name);
    d.add_text(f.stamp, stamp);
    docs.push(d);
    docs
}

/// The paragraphs of a text (runs of non-blank lines), cut at a space when longer than
/// [`MAX_CHUNK`], each with its start in chars. A phrase across two paragraphs is not found.
pub fn chunks(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut para_start: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, para_start) {
            (true, Some(s)) => {
                push_paragraph(text, s, offset, &mut out);
                para_start = None;
            }
            (false, None) => para_start = Some(offset),
            _ => {}
        }
        offset += line.len();
    }
    if let Some(s) = para_start {
        push_paragraph(text, s, text.len(), &mut out);
    }
    // Byte starts to char starts, in one pass.
    let mut chars = 0;
    let mut at = 0;
    out.into_iter()
        .map(|(b, s)| {
            chars += text[at..b].chars().count();
            at = b;
            (chars, s)
        })
        .collect()
}

fn push_paragraph<'a>(
    text: &'a str,
    mut start: usize,
    end: usize,
    out: &mut Vec<(usize, &'a str)>,
) {
    while end - start > MAX_CHUNK {
        let mut cut = start + MAX_CHUNK;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        if let Some(space) = text[start..cut].rfind(char::is_whitespace)
            && space > 0
        {
            cut = start + space;
        }
        out.push((start, text[start..cut].trim_end_matches('\n')));
        start = cut;
    }
    out.push((start, text[start..end].trim_end_matches('\n')));
}

/// Opens an index that exists and is sound; `Ok(None)` when there is none yet, `Err` with
/// the reason when it must be rebuilt.
fn open_existing(dir: &Path, scope: &Scope) -> Result<Option<FolderIndex>, String> {
    let version = match std::fs::read_to_string(dir.join(VERSION_FILE)) {
        Ok(v) => v,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !dir.exists() => return Ok(None),
        Err(e) => return Err(format!("its version file cannot be read ({e})")),
    };
    let version: VersionFile =
        serde_json::from_str(&version).map_err(|e| format!("its version file is broken ({e})"))?;
    if version.schema != SCHEMA_VERSION {
        return Err(format!(
            "it was made by another version (schema {}, now {SCHEMA_VERSION})",
            version.schema
        ));
    }
    let index = Index::open_in_dir(dir).map_err(|e| format!("it cannot be opened ({e})"))?;
    let (expected, fields) = schema();
    if index.schema() != expected {
        return Err("its schema differs".to_owned());
    }
    let bad = index
        .validate_checksum()
        .map_err(|e| format!("its files cannot be checked ({e})"))?;
    if !bad.is_empty() {
        return Err(format!("{} of its files are damaged", bad.len()));
    }
    let index = with_tokenizer(index);
    let reader = index
        .reader()
        .map_err(|e| format!("it cannot be read ({e})"))?;
    let stamps = read_stamps(&reader, &fields).map_err(|e| format!("it cannot be read ({e})"))?;
    Ok(Some(FolderIndex {
        scope: scope.clone(),
        dir: dir.to_owned(),
        index,
        reader,
        fields,
        stamps,
        rebuilt: None,
    }))
}

fn with_tokenizer(index: Index) -> Index {
    index.tokenizers().register(
        TOKENIZER,
        TextAnalyzer::from(WhitespaceTokenizer::default()),
    );
    index
}

fn read_stamps(reader: &IndexReader, f: &Fields) -> tantivy::Result<BTreeMap<String, String>> {
    let searcher = reader.searcher();
    let query = TermQuery::new(
        Term::from_field_text(f.kind, KIND_STAMP),
        IndexRecordOption::Basic,
    );
    let mut stamps = BTreeMap::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let get = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str().map(str::to_owned))
        };
        if let (Some(story), Some(stamp)) = (get(f.story), get(f.stamp)) {
            stamps.insert(story, stamp);
        }
    }
    Ok(stamps)
}

/// Removes whatever is at `dir` and creates an empty index there.
fn create(dir: &Path, scope: &Scope) -> Result<FolderIndex, MemoryError> {
    let io = |source| MemoryError::Cache {
        path: dir.to_owned(),
        source,
    };
    match std::fs::remove_dir_all(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(io(e)),
    }
    std::fs::create_dir_all(dir).map_err(io)?;
    let engine = |e: tantivy::TantivyError| MemoryError::Engine {
        path: dir.to_owned(),
        message: e.to_string(),
    };
    let (schema, fields) = schema();
    let index = with_tokenizer(Index::create_in_dir(dir, schema).map_err(engine)?);
    let reader = index.reader().map_err(engine)?;
    let version = VersionFile {
        schema: SCHEMA_VERSION,
        root: scope.path().to_owned(),
    };
    let json = serde_json::to_string_pretty(&version).map_err(|e| io(std::io::Error::other(e)))?;
    // Written last: an index without it is taken as unfinished and rebuilt.
    std::fs::write(dir.join(VERSION_FILE), json).map_err(io)?;
    Ok(FolderIndex {
        scope: scope.clone(),
        dir: dir.to_owned(),
        index,
        reader,
        fields,
        stamps: BTreeMap::new(),
        rebuilt: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prune_removes_the_indexes_of_deleted_folders_only() {
        let cache = tempfile::tempdir().expect("cache");
        let kept = tempfile::tempdir().expect("kept");
        let deleted = tempfile::tempdir().expect("deleted");
        let deleted_path = deleted.path().to_owned();
        let offline = deleted_path.join("drive").join("archive");
        for root in [kept.path(), deleted.path()] {
            FolderIndex::open(cache.path(), Scope::Folder(root.to_owned())).expect("index");
        }
        // An index whose root's parent is missing too: a drive that is not plugged in.
        let dir = cache.path().join("memory").join("offline");
        std::fs::create_dir_all(&dir).expect("dir");
        let version = VersionFile {
            schema: SCHEMA_VERSION,
            root: offline,
        };
        std::fs::write(
            dir.join(VERSION_FILE),
            serde_json::to_string(&version).expect("json"),
        )
        .expect("version");
        drop(deleted);
        assert_eq!(prune(cache.path()), 1);
        let left = std::fs::read_dir(cache.path().join("memory"))
            .expect("memory")
            .count();
        assert_eq!(
            left, 2,
            "the existing folder's and the offline drive's stay"
        );
        assert!(
            cache
                .path()
                .join(index_folder_name(&Scope::Folder(kept.path().to_owned())))
                .exists()
        );
        assert!(!deleted_path.exists());
    }

    #[test]
    fn chunks_are_paragraphs_with_char_starts() {
        let text = "Één line.\nSame para.\n\n\nÜber zwei.\n";
        let c = chunks(text);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0], (0, "Één line.\nSame para."));
        let second: String = text.chars().skip(c[1].0).take(10).collect();
        assert_eq!(second, "Über zwei.");
        assert_eq!(c[1].1, "Über zwei.");
    }

    #[test]
    fn long_paragraphs_are_cut_at_spaces() {
        let text = "word ".repeat(2000);
        let c = chunks(&text);
        assert!(c.len() >= 2);
        let total: usize = c.iter().map(|(_, s)| s.len()).sum();
        assert!(total <= text.len());
        for (start, s) in &c {
            let at: String = text.chars().skip(*start).take(s.chars().count()).collect();
            assert_eq!(&at, s);
        }
    }
}
