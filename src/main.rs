//! `redline`: the command line over the same library the desktop app uses.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
