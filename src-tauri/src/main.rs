use std::process::ExitCode;

use clap::Parser;
use yunwei_lib::cli::{self, Cli};
use yunwei_lib::{run_app, AppState};

fn main() -> ExitCode {
    let args = Cli::parse();
    let result = match &args.command {
        Some(command) => cli::run(command, args.data_dir.as_deref(), &mut std::io::stdout().lock()),
        None => run_app(tauri::Builder::default(), AppState::open(args.data_dir.as_deref()))
            .map_err(|e| cli::Failure::from(e.to_string())),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            if !failure.message.is_empty() {
                eprintln!("yunwei: {}", failure.message);
            }
            ExitCode::from(failure.code)
        }
    }
}
