//! The headless face of the same binary: `yunwei --help`, `yunwei sample-data`, … Commands
//! here call the same core functions as the window's commands and never open a window.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use yunwei_core::i18n::SERVICE_TZ;
use yunwei_core::store::Store;
use yunwei_core::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "yunwei",
    version,
    about = "运维台 Yunwei: incidents, people and training for an OA service team.",
    long_about = "运维台 Yunwei: incidents, people and training for an OA service team.\n\n\
                  Without a command it opens the desktop window; with one it works headless."
)]
pub struct Cli {
    /// The data directory [default: $YUNWEI_DATA_DIR, else the OS app-data directory]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add a few realistic sample incidents to the database
    SampleData,
    /// List the incidents, newest first
    Incidents {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
}

/// Runs `command` and writes what a person should read to `out`. The error is already in the
/// user's language.
pub fn run(command: &Command, data_dir: Option<&Path>, out: &mut impl Write) -> Result<(), String> {
    let mut store = Store::open_dir(data_dir).map_err(|e| e.message(Lang::default()))?;
    let lang = store.settings().map(|s| s.language).unwrap_or_default();
    let fail = |e: yunwei_core::Error| e.message(lang);
    let write_failed = |e: std::io::Error| e.to_string();
    match command {
        Command::SampleData => {
            let n = store.load_sample_data(yunwei_core::now()).map_err(fail)?;
            let path = store.path().map(|p| p.display().to_string()).unwrap_or_default();
            let line = match lang {
                Lang::ZhCn => format!("已载入 {n} 条示例故障：{path}"),
                Lang::En => format!("Loaded {n} sample incidents into {path}"),
            };
            writeln!(out, "{line}").map_err(write_failed)
        }
        Command::Incidents { json } => {
            let list = store.list_incidents().map_err(fail)?;
            if *json {
                let text = serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?;
                return writeln!(out, "{text}").map_err(write_failed);
            }
            for i in list {
                let at = i.reported_at.with_timezone(&SERVICE_TZ).format("%Y-%m-%d %H:%M");
                writeln!(out, "{}\t{}\t{at}\t{}", i.number, i.level.code(), i.title).map_err(write_failed)?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn sample_data_then_list_through_a_real_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = Vec::new();
        run(&Command::SampleData, Some(dir.path()), &mut out).unwrap();
        let said = String::from_utf8(out).unwrap();
        assert!(said.starts_with("已载入 6 条示例故障"), "{said}");
        assert!(dir.path().join("yunwei.db").exists(), "the database file was created");

        let mut out = Vec::new();
        run(&Command::Incidents { json: false }, Some(dir.path()), &mut out).unwrap();
        let table = String::from_utf8(out).unwrap();
        assert_eq!(table.lines().count(), 6, "{table}");
        assert!(table.lines().all(|l| l.starts_with("INC-")), "{table}");
    }
}
