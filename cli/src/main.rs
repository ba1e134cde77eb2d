//! `yunwei-cli`: the headless commands without the desktop's libraries (see the library's docs).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = yunwei_cli::headless_args();
    match &args.command {
        Some(command) => {
            let result = yunwei_cli::run(command, args.data_dir.as_deref(), &mut std::io::stdout().lock());
            yunwei_cli::exit_code(result)
        }
        // Not reached: clap shows the help and exits when no command is given.
        None => ExitCode::from(2),
    }
}
