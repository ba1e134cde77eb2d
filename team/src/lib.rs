//! Team mode (团队服务器): the team's PostgreSQL as the system of record, beside each laptop's
//! own SQLite. This part holds the server's schema — versioned migrations, the group roles and
//! what each may do, enforced by the server — and the two operations the sync is built on:
//! pushing a batch of timeline events through a server function that checks them and stores
//! each once (a retried push duplicates nothing), and pulling what was committed after a cursor
//! that never skips a transaction committed late.
//!
//! Every value travels as a bound parameter; no text from a laptop is ever part of the SQL.

use std::str::FromStr;
use std::time::Duration;

use postgres::config::{Host, SslMode};
use postgres::error::SqlState;
pub use postgres::Client;
use postgres::{Config, NoTls};
use serde::Serialize;
use tokio_postgres_rustls::MakeRustlsConnect;
pub use yunwei_core::sync::{
    Cursor, Pulled, PulledRecord, PushOutcome, RecordChange, RecordCursor, WireEvent,
};
use yunwei_core::Lang;

mod sync;
pub use sync::{connect_and_sync, sync, SyncError};

/// The server migrations, in order; the server records the last one applied.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_events", include_str!("../migrations/0001_events.sql")),
    ("0002_numbers", include_str!("../migrations/0002_numbers.sql")),
    ("0003_records", include_str!("../migrations/0003_records.sql")),
];

/// The server schema this build writes and understands.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The roles a team member logs in under (as a member of one of them).
pub const ROLES: [&str; 5] =
    ["yunwei_pm", "yunwei_engineer", "yunwei_trainer", "yunwei_quality", "yunwei_leadership"];

/// How long to wait for the server before calling it unreachable: offline is the normal state of
/// a laptop, and nothing waits on it long.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(4);

/// Why talking to the server failed, worded for the person at the laptop.
#[derive(Debug, thiserror::Error)]
pub enum TeamError {
    #[error("the server address is not valid: {0}")]
    BadUrl(String),
    #[error("the server's certificate is not signed by the team's CA: {0}")]
    UntrustedCertificate(String),
    #[error("a server on another machine is reached over TLS: give its CA certificate")]
    TlsRequired,
    #[error("the CA certificate cannot be read: {0}")]
    BadCa(String),
    #[error("the server cannot be reached: {0}")]
    Unreachable(String),
    #[error("the user name or password was refused")]
    WrongPassword,
    #[error("the server's schema is version {server}, newer than this copy's {app}")]
    ServerNewer { server: i64, app: i64 },
    #[error("the server's schema is version {server}, older than this copy's {app}")]
    ServerOlder { server: i64, app: i64 },
    #[error("the server has no Yunwei schema yet")]
    NotInitialised,
    #[error("the server refused: {0}")]
    Refused(String),
    #[error("the server refused the data: {0}")]
    Malformed(String),
    #[error("server error: {0}")]
    Server(String),
}

impl TeamError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            TeamError::BadUrl(e) => match lang {
                Lang::ZhCn => format!("团队服务器地址无效：{e}"),
                Lang::En => format!("The team server address is not valid: {e}"),
            },
            TeamError::UntrustedCertificate(_) => lang
                .pick(
                    "团队服务器的证书不是由团队 CA 签发的，已拒绝连接（可能连到了冒充的服务器）",
                    "The team server's certificate is not signed by the team's CA; the connection was refused (it may be an impostor)",
                )
                .into(),
            TeamError::TlsRequired => lang
                .pick(
                    "连接其他计算机上的团队服务器须使用 TLS：请提供服务器的 CA 证书",
                    "A team server on another machine is reached over TLS: give the server's CA certificate",
                )
                .into(),
            TeamError::BadCa(e) => match lang {
                Lang::ZhCn => format!("无法读取 CA 证书：{e}"),
                Lang::En => format!("The CA certificate cannot be read: {e}"),
            },
            TeamError::Unreachable(_) => lang
                .pick(
                    "无法连接团队服务器（离线），本机记录照常保存，稍后再同步",
                    "The team server cannot be reached (offline); this copy keeps working and syncs later",
                )
                .into(),
            TeamError::WrongPassword => {
                lang.pick("团队服务器拒绝了用户名或密码", "The team server refused the user name or password").into()
            }
            TeamError::ServerNewer { server, app } => match lang {
                Lang::ZhCn => format!("团队服务器的数据结构为第 {server} 版，比本机运维台（第 {app} 版）新，请先升级运维台"),
                Lang::En => format!(
                    "The team server's schema is version {server}, newer than this copy's {app}; update Yunwei first"
                ),
            },
            TeamError::ServerOlder { server, app } => match lang {
                Lang::ZhCn => format!(
                    "团队服务器的数据结构为第 {server} 版，比本机运维台（第 {app} 版）旧，请管理员运行 yunwei server init 升级"
                ),
                Lang::En => format!(
                    "The team server's schema is version {server}, older than this copy's {app}; an administrator runs yunwei server init to upgrade it"
                ),
            },
            TeamError::NotInitialised => lang
                .pick(
                    "团队服务器尚未初始化，请管理员运行 yunwei server init",
                    "The team server is not set up yet; an administrator runs yunwei server init",
                )
                .into(),
            TeamError::Refused(e) => match lang {
                Lang::ZhCn => format!("团队服务器拒绝了此操作（权限不足）：{e}"),
                Lang::En => format!("The team server refused this (not permitted): {e}"),
            },
            TeamError::Malformed(e) => match lang {
                Lang::ZhCn => format!("团队服务器拒收了数据：{e}"),
                Lang::En => format!("The team server refused the data: {e}"),
            },
            TeamError::Server(e) => match lang {
                Lang::ZhCn => format!("团队服务器出错：{e}"),
                Lang::En => format!("The team server failed: {e}"),
            },
        }
    }
}

impl From<postgres::Error> for TeamError {
    fn from(e: postgres::Error) -> TeamError {
        if let Some(db) = e.as_db_error() {
            let code = db.code();
            return if *code == SqlState::INVALID_PASSWORD
                || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            {
                TeamError::WrongPassword
            } else if code.code().starts_with("08") || code.code().starts_with("57P") {
                // The connection failed, or the server ended the session (shut down, restarted,
                // or an administrator stopped it): the same as no answer.
                TeamError::Unreachable(db.message().to_owned())
            } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
                TeamError::Refused(db.message().to_owned())
            } else if *code == SqlState::INVALID_PARAMETER_VALUE
                || *code == SqlState::INVALID_TEXT_REPRESENTATION
                || *code == SqlState::CHECK_VIOLATION
                || *code == SqlState::NOT_NULL_VIOLATION
            {
                TeamError::Malformed(db.message().to_owned())
            } else {
                TeamError::Server(db.message().to_owned())
            };
        }
        // A certificate the team's CA did not sign, found in the error's causes.
        let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&e);
        while let Some(c) = cause {
            // An I/O error carrying the TLS error keeps it as its inner error, not as its source.
            let inner = c
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .map(|e| e as &dyn std::error::Error);
            if let Some(rustls::Error::InvalidCertificate(why)) =
                inner.unwrap_or(c).downcast_ref::<rustls::Error>()
            {
                return TeamError::UntrustedCertificate(format!("{why:?}"));
            }
            cause = c.source();
        }
        // No answer from the server: refused, timed out, or the connection dropped.
        TeamError::Unreachable(e.to_string())
    }
}

pub type Result<T> = std::result::Result<T, TeamError>;

/// Connects to the server at `url` (`postgresql://user:password@host:port/db`), giving up after
/// [`CONNECT_TIMEOUT`]. With `ca` (the team's CA certificate, PEM) the connection is TLS and the
/// server's certificate must chain to it; without, only a server on this machine is reached.
pub fn connect(url: &str, ca: Option<&[u8]>) -> Result<Client> {
    connect_as(url, None, ca)
}

/// [`connect`] with `password` (kept apart from the URL, which is stored without it) when given.
pub fn connect_as(url: &str, password: Option<&str>, ca: Option<&[u8]>) -> Result<Client> {
    let mut config = Config::from_str(url).map_err(|e| TeamError::BadUrl(e.to_string()))?;
    if let Some(password) = password {
        config.password(password);
    }
    config.connect_timeout(CONNECT_TIMEOUT);
    config.application_name("yunwei");
    let Some(ca) = ca else {
        if !config.get_hosts().iter().all(is_local) {
            return Err(TeamError::TlsRequired);
        }
        return Ok(config.connect(NoTls)?);
    };
    config.ssl_mode(SslMode::Require);
    Ok(config.connect(MakeRustlsConnect::new(tls_config(ca)?))?)
}

/// `url` without its password, to keep and show (the password lives in the OS keyring).
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => {
            let user = credentials.split_once(':').map_or(credentials, |(user, _)| user);
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_owned(),
    }
}

/// The login (user name) of `url`.
pub fn login_of(url: &str) -> Result<String> {
    let config = Config::from_str(url).map_err(|e| TeamError::BadUrl(e.to_string()))?;
    config.get_user().map(str::to_owned).ok_or_else(|| TeamError::BadUrl(url.to_owned()))
}

/// This machine: a Unix socket or a loopback address.
fn is_local(host: &Host) -> bool {
    match host {
        Host::Unix(_) => true,
        Host::Tcp(name) => {
            name == "localhost" || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
    }
}

/// TLS that trusts the team's CA and nothing else.
fn tls_config(ca: &[u8]) -> Result<rustls::ClientConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(ca) {
        roots
            .add(cert.map_err(|e| TeamError::BadCa(e.to_string()))?)
            .map_err(|e| TeamError::BadCa(e.to_string()))?;
    }
    if roots.is_empty() {
        return Err(TeamError::BadCa("no certificate".into()));
    }
    // ring, not aws-lc: no C toolchain beyond cc, and a short build; (the post-quantum key
    // exchange it lacks is what its deprecation note is about).
    #[allow(deprecated)]
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| TeamError::BadCa(e.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// What `init` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Initialised {
    /// The schema version before (0: a database without Yunwei).
    pub from: i64,
    pub to: i64,
}

/// The server's schema version, `None` where Yunwei was never set up.
fn schema_version(client: &mut Client) -> Result<Option<i64>> {
    let exists: bool = client.query_one("SELECT to_regclass('yunwei.meta') IS NOT NULL", &[])?.get(0);
    if !exists {
        return Ok(None);
    }
    let row = client.query_opt("SELECT value FROM yunwei.meta WHERE key = 'schema_version'", &[])?;
    let text: String = row.map(|r| r.get(0)).unwrap_or_default();
    text.parse().map(Some).map_err(|_| TeamError::Server(format!("schema_version {text:?}")))
}

/// Sets the server up, or brings its schema up to this build's: the group roles (cluster-wide,
/// made once), then each migration not yet applied, each in its own transaction. A server newer
/// than this build is refused untouched.
pub fn init(client: &mut Client) -> Result<Initialised> {
    let from = schema_version(client)?.unwrap_or(0);
    if from > SCHEMA_VERSION {
        return Err(TeamError::ServerNewer { server: from, app: SCHEMA_VERSION });
    }
    for role in ROLES {
        // A role is made once per cluster; two databases set up at the same time may race.
        client.batch_execute(&format!(
            "DO $$ BEGIN
                 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} NOLOGIN; END IF;
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
             END $$"
        ))?;
    }
    for (n, (_, sql)) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let mut tx = client.transaction()?;
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO yunwei.meta (key, value) VALUES ('schema_version', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&(n as i64 + 1).to_string()],
        )?;
        tx.commit()?;
    }
    Ok(Initialised { from, to: SCHEMA_VERSION })
}

/// What the server holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerStatus {
    pub schema_version: i64,
    pub events: i64,
    pub incidents: i64,
    /// The user this login is, and the Yunwei roles it holds.
    pub user: String,
    pub roles: Vec<String>,
}

/// The server's schema must be this build's: older or newer is refused with what to do.
fn check_schema(client: &mut Client) -> Result<i64> {
    match schema_version(client)? {
        None => Err(TeamError::NotInitialised),
        Some(v) if v > SCHEMA_VERSION => Err(TeamError::ServerNewer { server: v, app: SCHEMA_VERSION }),
        Some(v) if v < SCHEMA_VERSION => Err(TeamError::ServerOlder { server: v, app: SCHEMA_VERSION }),
        Some(v) => Ok(v),
    }
}

pub fn status(client: &mut Client) -> Result<ServerStatus> {
    let schema_version = check_schema(client)?;
    let row = client.query_one("SELECT count(*), count(DISTINCT incident_id) FROM yunwei.events", &[])?;
    let user: String = client.query_one("SELECT session_user::text", &[])?.get(0);
    let roles = client
        .query(
            "SELECT r.rolname::text FROM pg_roles r
             WHERE r.rolname = ANY($1) AND pg_has_role(session_user, r.oid, 'MEMBER') ORDER BY 1",
            &[&ROLES.to_vec()],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(ServerStatus { schema_version, events: row.get(0), incidents: row.get(1), user, roles })
}

/// Pushes `events` recorded on `device`; returns how many the server did not hold yet. A batch
/// the server refuses stores nothing. An incident's `reported` event gets it its number.
pub fn push(client: &mut Client, device: &str, events: &[WireEvent]) -> Result<u64> {
    check_schema(client)?;
    let batch = serde_json::to_value(events).map_err(|e| TeamError::Malformed(e.to_string()))?;
    let added: i32 = client.query_one("SELECT yunwei.push_events($1, $2)", &[&batch, &device])?.get(0);
    Ok(u64::try_from(added).unwrap_or(0))
}

/// The events committed after `cursor`, at most `max`, and the cursor after them.
pub fn pull(client: &mut Client, cursor: &Cursor, max: i32) -> Result<(Vec<Pulled>, Cursor)> {
    check_schema(client)?;
    let rows = client.query(
        "SELECT id, incident_id, kind, payload, xid, number FROM yunwei.pull_events($1::text::xid8, $2, $3)",
        &[&cursor.xid, &cursor.id, &max],
    )?;
    let mut next = cursor.clone();
    let events = rows
        .iter()
        .map(|r| {
            next = Cursor { xid: r.get(4), id: r.get(0) };
            Pulled {
                event: WireEvent { id: r.get(0), incident_id: r.get(1), kind: r.get(2), payload: r.get(3) },
                number: r.get(5),
            }
        })
        .collect();
    Ok((events, next))
}

/// Sends record changes made on `device`, in one server transaction: what the server did with
/// each (taken, already the same, a conflict with its value, or refused for this login's role).
pub fn push_records(client: &mut Client, device: &str, changes: &[RecordChange]) -> Result<Vec<PushOutcome>> {
    check_schema(client)?;
    let mut tx = client.transaction()?;
    let statement =
        tx.prepare("SELECT outcome, version, data, pushed_by FROM yunwei.push_record($1, $2, $3, $4, $5)")?;
    let mut outcomes = Vec::with_capacity(changes.len());
    for change in changes {
        let row = tx.query_one(
            &statement,
            &[&change.entity, &change.entity_id, &change.base, &change.data, &device],
        )?;
        let (outcome, version, data, author): (String, i64, Option<serde_json::Value>, Option<String>) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        let author = author.unwrap_or_default();
        outcomes.push(match outcome.as_str() {
            "accepted" => PushOutcome::Accepted { version },
            "same" => PushOutcome::Same { version },
            "conflict" => PushOutcome::Conflict { version, data, author },
            _ => PushOutcome::Refused { version, data, author },
        });
    }
    tx.commit()?;
    Ok(outcomes)
}

/// The records changed after `cursor`, at most `max`, and the cursor after them.
pub fn pull_records(
    client: &mut Client,
    cursor: &RecordCursor,
    max: i32,
) -> Result<(Vec<PulledRecord>, RecordCursor)> {
    check_schema(client)?;
    let rows = client.query(
        "SELECT entity, entity_id, version, data, pushed_by, xid, change
         FROM yunwei.pull_records($1::text::xid8, $2, $3)",
        &[&cursor.xid, &cursor.change, &max],
    )?;
    let mut next = cursor.clone();
    let records = rows
        .iter()
        .map(|r| {
            next = RecordCursor { xid: r.get(5), change: r.get(6) };
            PulledRecord {
                entity: r.get(0),
                entity_id: r.get(1),
                version: r.get(2),
                data: r.get(3),
                author: r.get(4),
            }
        })
        .collect();
    Ok((records, next))
}
