//! The file a backup point holds (`data.age`): records — the whole database, or the pages that
//! changed, and signed documents — compressed with zstd and encrypted to the recovery key's
//! public half (age, X25519). Nothing is ever written in the clear.
//!
//! Plain layout, before compression: `YWBK` and a version byte, then records, then a zero byte.
//! - `D` the whole database: length (u64) and the file's bytes;
//! - `P` changed pages: page size (u32), the database's pages in all (u32), how many follow
//!   (u32), then each page's number (u32, from 1) and its bytes;
//! - `F` a signed document: its name under `reports/` (u16 length, UTF-8, `/` between folders),
//!   length (u64) and bytes.
//!
//! Integers are little-endian.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use age::secrecy::ExposeSecret;
use age_core::format::{FileKey, Stanza};
use sha2::{Digest, Sha256};

use super::Refusal;
use crate::document::hex;
use crate::{Error, Result};

const MAGIC: &[u8; 5] = b"YWBK\x01";
const ZSTD_LEVEL: i32 = 3;
/// Pages are at most 64 KiB; a record longer than a database file could be is damage.
const MAX_PAGE: u32 = 65_536;

/// The file key of the point just written, kept in memory only while its run lasts, so the run
/// can read back and decrypt what reached the disk without the recovery key.
#[derive(Clone)]
pub struct RunKey([u8; 16]);

/// Wraps the recovery key's recipient and remembers the file key it is handed.
struct Capturing<'a> {
    to: &'a age::x25519::Recipient,
    key: Cell<Option<[u8; 16]>>,
}

impl age::Recipient for Capturing<'_> {
    fn wrap_file_key(
        &self,
        file_key: &FileKey,
    ) -> std::result::Result<(Vec<Stanza>, std::collections::HashSet<String>), age::EncryptError> {
        self.key.set(Some(*file_key.expose_secret()));
        self.to.wrap_file_key(file_key)
    }
}

impl age::Identity for RunKey {
    /// The remembered key for the X25519 stanza; the header's MAC checks it.
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<std::result::Result<FileKey, age::DecryptError>> {
        (stanza.tag == "X25519").then(|| Ok(FileKey::new(Box::new(self.0))))
    }
}

/// A key that opens points: the recovery key, or the run's own file key.
pub enum Opener<'a> {
    Recovery(&'a age::x25519::Identity),
    Run(&'a RunKey),
}

/// Counts and hashes what passes into a file.
struct Hashing<W> {
    inner: W,
    hash: Sha256,
    len: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// The encrypted file as written: its SHA-256 (hex) and length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub sha256: String,
    pub size: u64,
}

/// Writes the records of one point into `path`, encrypted to `to`.
pub struct PayloadWriter {
    out: zstd::Encoder<'static, age::stream::StreamWriter<Hashing<BufWriter<File>>>>,
    key: RunKey,
}

impl PayloadWriter {
    pub fn create(path: &Path, to: &age::x25519::Recipient) -> Result<PayloadWriter> {
        let file = File::create(path).map_err(|e| Error::file(path, e))?;
        let capturing = Capturing { to, key: Cell::new(None) };
        let encryptor = age::Encryptor::with_recipients(std::iter::once(&capturing as &dyn age::Recipient))
            .map_err(|e| Error::Corrupt(format!("backup encryption: {e}")))?;
        let key = RunKey(capturing.key.get().ok_or_else(|| Error::Corrupt("no file key".into()))?);
        let sink = Hashing { inner: BufWriter::new(file), hash: Sha256::new(), len: 0 };
        let sealed = encryptor.wrap_output(sink).map_err(|e| Error::file(path, e))?;
        let mut out = zstd::Encoder::new(sealed, ZSTD_LEVEL).map_err(|e| Error::file(path, e))?;
        out.write_all(MAGIC)?;
        Ok(PayloadWriter { out, key })
    }

    /// The whole database file at `db`.
    pub fn database(&mut self, db: &Path) -> Result<()> {
        let mut file = File::open(db).map_err(|e| Error::file(db, e))?;
        let len = file.metadata().map_err(|e| Error::file(db, e))?.len();
        self.out.write_all(b"D")?;
        self.out.write_all(&len.to_le_bytes())?;
        let copied = io::copy(&mut (&mut file).take(len), &mut self.out)?;
        if copied != len {
            return Err(Error::Corrupt(format!("{} shrank while it was backed up", db.display())));
        }
        Ok(())
    }

    /// The pages of `db` numbered in `changed` (from 1), of `page_size` bytes, `pages` in all.
    pub fn pages(&mut self, db: &Path, page_size: u32, pages: u32, changed: &[u32]) -> Result<()> {
        let mut file = File::open(db).map_err(|e| Error::file(db, e))?;
        self.out.write_all(b"P")?;
        for n in [page_size, pages, u32::try_from(changed.len()).unwrap_or(u32::MAX)] {
            self.out.write_all(&n.to_le_bytes())?;
        }
        let mut page = vec![0; page_size as usize];
        for &n in changed {
            file.seek(SeekFrom::Start(u64::from(n - 1) * u64::from(page_size)))?;
            file.read_exact(&mut page).map_err(|e| Error::file(db, e))?;
            self.out.write_all(&n.to_le_bytes())?;
            self.out.write_all(&page)?;
        }
        Ok(())
    }

    /// The signed document `name` (under `reports/`) from the file `path`.
    pub fn document(&mut self, name: &str, path: &Path) -> Result<()> {
        let bytes = std::fs::read(path).map_err(|e| Error::file(path, e))?;
        let name_len =
            u16::try_from(name.len()).map_err(|_| Error::Corrupt(format!("name too long: {name}")))?;
        self.out.write_all(b"F")?;
        self.out.write_all(&name_len.to_le_bytes())?;
        self.out.write_all(name.as_bytes())?;
        self.out.write_all(&(bytes.len() as u64).to_le_bytes())?;
        self.out.write_all(&bytes)?;
        Ok(())
    }

    /// Ends the file, writes it to disk (fsync) and says what was written, with the file key
    /// that opens it for the rest of this run.
    pub fn finish(mut self) -> Result<(Written, RunKey)> {
        self.out.write_all(&[0])?;
        let sealed = self.out.finish()?;
        let mut sink = sealed.finish()?;
        sink.flush()?;
        let Hashing { inner, hash, len } = sink;
        let file = inner.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok((Written { sha256: hex(&hash.finalize()), size: len }, self.key))
    }
}

/// What [`read`] hands on, record by record.
pub trait Records {
    /// The whole database: `len` bytes to read from `bytes`.
    fn database(&mut self, len: u64, bytes: &mut dyn Read) -> Result<()>;
    /// Changed pages: the database has `pages` pages of `page_size` bytes; `page` is one of them.
    fn page(&mut self, page_size: u32, pages: u32, number: u32, page: &[u8]) -> Result<()>;
    /// A page record that changed no page (still sets the database's length).
    fn no_pages(&mut self, page_size: u32, pages: u32) -> Result<()>;
    fn document(&mut self, name: &str, bytes: Vec<u8>) -> Result<()>;
}

/// Opens the point file at `path` with `opener` and hands its records to `to`. A wrong key is
/// [`Refusal::WrongKey`]; a file changed since it was written is [`Refusal::Damaged`].
pub fn read(path: &Path, point: &str, opener: Opener<'_>, to: &mut dyn Records) -> Result<()> {
    let damaged = || Error::refused(Refusal::Damaged { point: point.to_string() });
    let file = File::open(path).map_err(|e| Error::file(path, e))?;
    let decryptor = age::Decryptor::new_buffered(BufReader::new(file)).map_err(|_| damaged())?;
    let identity: &dyn age::Identity = match opener {
        Opener::Recovery(key) => key,
        Opener::Run(key) => key,
    };
    let plain = decryptor.decrypt(std::iter::once(identity)).map_err(|e| match e {
        age::DecryptError::NoMatchingKeys | age::DecryptError::InvalidMac => {
            Error::refused(Refusal::WrongKey)
        }
        _ => damaged(),
    })?;
    let mut input = zstd::Decoder::new(plain).map_err(|_| damaged())?;
    parse(&mut input, to).map_err(|e| match e {
        Error::Io(_) => damaged(),
        e => e,
    })
}

fn parse(input: &mut dyn Read, to: &mut dyn Records) -> Result<()> {
    let mut magic = [0; 5];
    input.read_exact(&mut magic)?;
    if &magic != MAGIC {
        return Err(Error::Io(io::Error::other("not a Yunwei backup")));
    }
    loop {
        let mut tag = [0; 1];
        input.read_exact(&mut tag)?;
        match tag[0] {
            0 => return Ok(()),
            b'D' => {
                let len = u64::from_le_bytes(array(input)?);
                let mut bytes = input.take(len);
                to.database(len, &mut bytes)?;
                if bytes.limit() != 0 {
                    return Err(Error::Io(io::Error::other("short database record")));
                }
            }
            b'P' => {
                let page_size = u32::from_le_bytes(array(input)?);
                let pages = u32::from_le_bytes(array(input)?);
                let count = u32::from_le_bytes(array(input)?);
                if !(512..=MAX_PAGE).contains(&page_size) || count > pages {
                    return Err(Error::Io(io::Error::other("bad page record")));
                }
                to.no_pages(page_size, pages)?;
                let mut page = vec![0; page_size as usize];
                for _ in 0..count {
                    let number = u32::from_le_bytes(array(input)?);
                    input.read_exact(&mut page)?;
                    if number == 0 || number > pages {
                        return Err(Error::Io(io::Error::other("bad page number")));
                    }
                    to.page(page_size, pages, number, &page)?;
                }
            }
            b'F' => {
                let name_len = u16::from_le_bytes(array(input)?);
                let mut name = vec![0; usize::from(name_len)];
                input.read_exact(&mut name)?;
                let name = String::from_utf8(name).map_err(|_| Error::Io(io::Error::other("bad name")))?;
                let len = u64::from_le_bytes(array(input)?);
                let mut bytes = Vec::new();
                input.take(len).read_to_end(&mut bytes)?;
                if bytes.len() as u64 != len {
                    return Err(Error::Io(io::Error::other("short document record")));
                }
                to.document(&name, bytes)?;
            }
            _ => return Err(Error::Io(io::Error::other("unknown record"))),
        }
    }
}

fn array<const N: usize>(input: &mut dyn Read) -> io::Result<[u8; N]> {
    let mut bytes = [0; N];
    input.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// SHA-256 of the file at `path`, hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = File::open(path).map_err(|e| Error::file(path, e))?;
    let mut hash = Sha256::new();
    io::copy(&mut file, &mut hash).map_err(|e| Error::file(path, e))?;
    Ok(hex(&hash.finalize()))
}
