//! `yunwei server …`: the team server (团队服务器) for its administrator — set it up or bring its
//! schema up to date, and see what it holds.

use std::io::Write;

use clap::Subcommand;
use yunwei_core::Lang;

use crate::Failure;

#[derive(Debug, Subcommand)]
pub enum ServerCommand {
    /// Create the team schema and roles on an empty PostgreSQL database, or upgrade it to this
    /// version's schema (as the database's owner; see docs/team-server.md). A server newer than
    /// this copy is refused untouched
    Init {
        /// postgresql://user:password@host:port/database [default: $YUNWEI_SERVER_URL]
        #[arg(long)]
        url: Option<String>,
        /// The team CA certificate (PEM) the server's TLS certificate must chain to
        /// [default: $YUNWEI_SERVER_CA]; without it only a server on this machine is reached
        #[arg(long, value_name = "FILE")]
        ca: Option<std::path::PathBuf>,
    },
    /// What the server holds: schema version, events, incidents, and the roles of this login
    Status {
        /// postgresql://user:password@host:port/database [default: $YUNWEI_SERVER_URL]
        #[arg(long)]
        url: Option<String>,
        /// The team CA certificate (PEM) [default: $YUNWEI_SERVER_CA]
        #[arg(long, value_name = "FILE")]
        ca: Option<std::path::PathBuf>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
}

fn url(given: &Option<String>, lang: Lang) -> Result<String, Failure> {
    given.clone().or_else(|| std::env::var("YUNWEI_SERVER_URL").ok()).ok_or_else(|| {
        Failure::from(
            lang.pick(
                "请用 --url 或 YUNWEI_SERVER_URL 给出团队服务器地址",
                "Give the team server with --url or YUNWEI_SERVER_URL",
            )
            .to_owned(),
        )
    })
}

/// Connects with the URL and the CA given, or those of the environment.
fn connect(
    url_given: &Option<String>,
    ca_given: &Option<std::path::PathBuf>,
    lang: Lang,
) -> Result<yunwei_team::Client, Failure> {
    let url = url(url_given, lang)?;
    yunwei_team::connect(&url, ca(ca_given, lang)?.as_deref()).map_err(|e| Failure::from(e.message(lang)))
}

/// The team CA certificate given, or the one `$YUNWEI_SERVER_CA` names.
fn ca(given: &Option<std::path::PathBuf>, lang: Lang) -> Result<Option<Vec<u8>>, Failure> {
    let path = given.clone().or_else(|| std::env::var_os("YUNWEI_SERVER_CA").map(Into::into));
    path.map(|path| {
        std::fs::read(&path).map_err(|e| Failure::from(yunwei_core::Error::file(&path, e).message(lang)))
    })
    .transpose()
}

/// How many renumberings `yunwei sync` names one by one.
const NUMBERED_SHOWN: usize = 10;

/// `yunwei sync`: joins the team on the URL given (the first time, or another server), then
/// pushes and pulls once and says what moved.
pub fn sync(
    store: &mut yunwei_core::store::Store,
    (url_given, ca_given): (&Option<String>, &Option<std::path::PathBuf>),
    json: bool,
    lang: Lang,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let fail = |e: yunwei_core::Error| Failure::from(e.describe(lang));
    let team = |e: yunwei_team::TeamError| Failure::from(e.message(lang));
    let now = yunwei_core::now();
    let given = url_given.clone().or_else(|| std::env::var("YUNWEI_SERVER_URL").ok());
    let ca_given = ca(ca_given, lang)?;
    let (url, password, ca) =
        match (given, store.team_link().map_err(fail)?) {
            (Some(url), _) => {
                let login = yunwei_team::login_of(&url).map_err(team)?;
                let pem = ca_given.as_deref().map(String::from_utf8_lossy);
                store
                    .join_team(&yunwei_team::without_password(&url), &login, pem.as_deref(), now)
                    .map_err(fail)?;
                (url, None, ca_given)
            }
            (None, Some(link)) => (
                link.server,
                std::env::var("YUNWEI_SERVER_PASSWORD").ok(),
                ca_given.or(link.ca.map(String::into_bytes)),
            ),
            (None, None) => return Err(Failure::from(
                lang.pick(
                    "本机尚未加入团队：请用 --url 给出团队服务器地址（首次同步即加入）",
                    "This copy has not joined a team: give the team server with --url (the first sync joins)",
                )
                .to_owned(),
            )),
        };
    // Offline is a normal state: it is said and kept on the link, and the queue stays.
    let report = yunwei_team::connect_and_sync(store, (&url, password.as_deref(), ca.as_deref()), lang, now)
        .map_err(|e| Failure::from(e.message(lang)))?;
    if json {
        return crate::write_json(out, &report);
    }
    let mut lines = vec![match lang {
        Lang::ZhCn => format!(
            "同步完成：发出 {} 条事件，收到 {} 条（新故障 {} 个），待发送 {} 条",
            report.pushed, report.pulled, report.new_incidents, report.unsent
        ),
        Lang::En => format!(
            "Synced: {} events sent, {} received ({} new incidents), {} left to send",
            report.pushed, report.pulled, report.new_incidents, report.unsent
        ),
    }];
    // Each renumbering is named, up to a screenful; a first sync may number thousands.
    for (was, now) in report.numbered.iter().take(NUMBERED_SHOWN) {
        lines.push(match lang {
            Lang::ZhCn => format!("编号 {was} → {now}"),
            Lang::En => format!("Numbered {was} → {now}"),
        });
    }
    if let Some(more) = report.numbered.len().checked_sub(NUMBERED_SHOWN).filter(|n| *n > 0) {
        lines.push(match lang {
            Lang::ZhCn => format!("另有 {more} 个故障获得正式编号"),
            Lang::En => format!("{more} more incidents numbered"),
        });
    }
    if report.records_sent + report.records_received > 0 {
        lines.push(match lang {
            Lang::ZhCn => format!(
                "人员、值班、培训等记录：发出 {} 条，收到 {} 条",
                report.records_sent, report.records_received
            ),
            Lang::En => format!(
                "People, rota, training and other records: {} sent, {} received",
                report.records_sent, report.records_received
            ),
        });
    }
    if report.conflicts > 0 {
        lines.push(match lang {
            Lang::ZhCn => format!(
                "{} 条记录在本机和服务器上都被修改过，请在“设置 → 团队服务器”中选择保留哪个值",
                report.conflicts
            ),
            Lang::En => format!(
                "{} records were changed both here and on the server: choose which value to keep in Settings → Team server",
                report.conflicts
            ),
        });
    }
    for number in &report.contradictions {
        lines.push(match lang {
            Lang::ZhCn => format!("{number} 的时间线含相互矛盾的记录（已保留并标出，请核对）"),
            Lang::En => {
                format!("{number}'s timeline holds contradicting entries (kept and marked; please check)")
            }
        });
    }
    lines.into_iter().try_for_each(|line| write(out, line))
}

/// Writes one line of a command's answer.
fn write(out: &mut dyn Write, line: String) -> Result<(), Failure> {
    writeln!(out, "{line}").map_err(|e| Failure::from(e.to_string()))
}

pub fn run(command: &ServerCommand, lang: Lang, out: &mut impl Write) -> Result<(), Failure> {
    let fail = |e: yunwei_team::TeamError| Failure::from(e.message(lang));
    match command {
        ServerCommand::Init { url, ca } => {
            let mut client = connect(url, ca, lang)?;
            let done = yunwei_team::init(&mut client).map_err(fail)?;
            let line = match (lang, done.from == done.to) {
                (Lang::ZhCn, true) => format!("团队服务器已是第 {} 版数据结构，无需变更", done.to),
                (Lang::ZhCn, false) => {
                    format!("团队服务器数据结构已从第 {} 版升至第 {} 版", done.from, done.to)
                }
                (Lang::En, true) => {
                    format!("The team server's schema is already version {}; nothing changed", done.to)
                }
                (Lang::En, false) => {
                    format!("The team server's schema went from version {} to {}", done.from, done.to)
                }
            };
            write(out, line)
        }
        ServerCommand::Status { url, ca, json } => {
            let mut client = connect(url, ca, lang)?;
            let s = yunwei_team::status(&mut client).map_err(fail)?;
            if *json {
                return crate::write_json(out, &s);
            }
            let roles = if s.roles.is_empty() { "—".to_owned() } else { s.roles.join(", ") };
            let line = match lang {
                Lang::ZhCn => format!(
                    "数据结构第 {} 版 · {} 条事件 · {} 个故障 · 登录 {}（角色 {roles}）",
                    s.schema_version, s.events, s.incidents, s.user
                ),
                Lang::En => format!(
                    "Schema version {} · {} events · {} incidents · logged in as {} (roles {roles})",
                    s.schema_version, s.events, s.incidents, s.user
                ),
            };
            write(out, line)
        }
    }
}
