//! A subcommand whose arguments join clap's command tree only when it is
//! the one being run.
//!
//! clap's derive builds every command, argument and help text before it
//! reads the first argument: for Redline's thirty commands that was about a
//! tenth of the instructions of a short command such as `show`, and a
//! hundred page faults of heap, in every process (BENCHMARKS.md, start-up).
//! `Command::defer` puts that off; this wrapper makes the derive use it.
//! Names, aliases and the one-line help of each command stay eager, so
//! `redline --help` and suggestions for a mistyped command are unchanged.

use clap::builder::Resettable;
use clap::{ArgMatches, Args, Command, FromArgMatches, Subcommand};

/// `T`'s arguments or subcommands, added when its command is built.
#[derive(Clone, Debug)]
pub struct Deferred<T>(pub T);

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Self)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Self)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Deferred<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(cmd: Command) -> Command {
        cmd.defer(|cmd| keeping_help(cmd, T::augment_args))
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        cmd.defer(|cmd| keeping_help(cmd, T::augment_args_for_update))
    }
}

impl<T: Subcommand> Subcommand for Deferred<T> {
    fn augment_subcommands(cmd: Command) -> Command {
        cmd.defer(|cmd| keeping_help(cmd, T::augment_subcommands))
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        cmd.defer(|cmd| keeping_help(cmd, T::augment_subcommands_for_update))
    }

    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}

/// Runs `augment` on a command whose own help is already set, keeping it.
/// Built eagerly, the command's doc comment is applied after its arguments'
/// and wins; deferred, the arguments come last, and a doc comment on their
/// struct (or on one flattened into it) would replace the command's.
fn keeping_help(cmd: Command, augment: fn(Command) -> Command) -> Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let cmd = augment(cmd);
    let Some(about) = about else {
        return cmd;
    };
    let cmd = cmd.about(about);
    match long_about {
        Some(long_about) => cmd.long_about(long_about),
        None => cmd.long_about(Resettable::Reset),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use crate::cli::Cli;

    /// Each command's one-line and long help, and its subcommands', by path.
    fn helps(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String, String)>) {
        for sub in cmd.get_subcommands() {
            let path = format!("{path} {}", sub.get_name());
            let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
            let long = sub
                .get_long_about()
                .map(ToString::to_string)
                .unwrap_or_default();
            out.push((path.clone(), about, long));
            helps(sub, &path, out);
        }
    }

    #[test]
    fn commands_are_built_when_run_with_the_help_they_were_declared_with() {
        let mut cmd = Cli::command();
        // Before parsing, a command is its name and help alone.
        let show = cmd.find_subcommand("show").expect("show");
        assert_eq!(
            show.get_arguments().count(),
            0,
            "show's arguments are deferred"
        );
        let mut declared = Vec::new();
        helps(&cmd, "redline", &mut declared);

        cmd.build();
        cmd.clone().debug_assert();
        let show = cmd.find_subcommand("show").expect("show");
        assert!(show.get_arguments().any(|a| a.get_id() == "source_id"));
        let mut built = Vec::new();
        helps(&cmd, "redline", &mut built);
        // Nested commands appear only once built; the ones declared keep
        // their help (`clip` flattens FetchArgs, whose doc comment would
        // otherwise become clip's).
        for entry in &declared {
            assert!(built.contains(entry), "{entry:?} changed when built");
        }
        assert!(
            built.len() > declared.len() + 40,
            "{} nested commands",
            built.len()
        );
    }
}
