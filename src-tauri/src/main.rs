use std::process::ExitCode;

use yunwei_lib::{run_app, AppState};

fn main() -> ExitCode {
    let args = yunwei_cli::args();
    yunwei_cli::exit_code(match &args.command {
        Some(command) => yunwei_cli::run(command, args.data_dir.as_deref(), &mut std::io::stdout().lock()),
        None => run_app(tauri::Builder::default(), AppState::open(args.data_dir.as_deref()))
            .map_err(|e| yunwei_cli::Failure::from(e.to_string())),
    })
}
