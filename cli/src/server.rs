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
    let ca_path = ca_given.clone().or_else(|| std::env::var_os("YUNWEI_SERVER_CA").map(Into::into));
    let ca = match ca_path {
        Some(path) => Some(
            std::fs::read(&path)
                .map_err(|e| Failure::from(yunwei_core::Error::file(&path, e).message(lang)))?,
        ),
        None => None,
    };
    yunwei_team::connect(&url, ca.as_deref()).map_err(|e| Failure::from(e.message(lang)))
}

pub fn run(command: &ServerCommand, lang: Lang, out: &mut impl Write) -> Result<(), Failure> {
    let fail = |e: yunwei_team::TeamError| Failure::from(e.message(lang));
    let write =
        |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(|e| Failure::from(e.to_string()));
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
