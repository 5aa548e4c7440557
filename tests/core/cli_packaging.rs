//! The generators the Debian package runs at build time (`.ci/build-deb.sh`): the shell
//! completions and the man page must come out of the real binary and describe the real
//! subcommands, or the package would install stale or empty files.

use assert_cmd::Command;

fn stdout_of(args: &[&str]) -> String {
    let out = Command::cargo_bin("factmark")
        .expect("the factmark binary")
        .args(args)
        .output()
        .expect("run factmark");
    assert!(
        out.status.success(),
        "factmark {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Every subcommand a user can type; the generated files must know all of them.
const SUBCOMMANDS: &[&str] = &[
    "check",
    "export",
    "import",
    "merge-driver",
    "git-setup",
    "completions",
    "man",
];

#[test]
fn bash_completion_names_every_subcommand() {
    let script = stdout_of(&["completions", "bash"]);
    // The function bash calls, and its registration for the command name.
    assert!(
        script.contains("_factmark()"),
        "no completion function:\n{script}"
    );
    assert!(
        script.contains("complete -F _factmark") && script.contains("factmark"),
        "the function is not registered for factmark:\n{script}"
    );
    for sub in SUBCOMMANDS {
        assert!(script.contains(sub), "bash completion lacks `{sub}`");
    }
    // Options of a subcommand are completed too, not only the names.
    assert!(script.contains("--format"));
}

#[test]
fn zsh_and_fish_completions_are_generated() {
    let zsh = stdout_of(&["completions", "zsh"]);
    assert!(
        zsh.starts_with("#compdef factmark"),
        "zsh script header: {zsh:.40}"
    );
    let fish = stdout_of(&["completions", "fish"]);
    assert!(
        fish.contains("complete -c factmark"),
        "fish script: {fish:.200}"
    );
    for sub in SUBCOMMANDS {
        assert!(zsh.contains(sub), "zsh completion lacks `{sub}`");
        assert!(fish.contains(sub), "fish completion lacks `{sub}`");
    }
}

#[test]
fn unknown_shell_is_refused_with_the_choices() {
    let out = Command::cargo_bin("factmark")
        .expect("the factmark binary")
        .args(["completions", "tcsh"])
        .output()
        .expect("run factmark");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tcsh") && err.contains("bash"),
        "the error should name the bad shell and the choices: {err}"
    );
}

#[test]
fn man_page_is_roff_with_title_and_subcommands() {
    let page = stdout_of(&["man"]);
    let title = page
        .lines()
        .find(|l| l.starts_with(".TH "))
        .unwrap_or_else(|| panic!("no .TH line in the man page:\n{page}"));
    assert!(title.contains("factmark"), "title line: {title}");
    assert!(page.contains(".SH NAME"), "no NAME section");
    assert!(page.contains(".SH SYNOPSIS"), "no SYNOPSIS section");
    // roff writes a hyphen as `\-`; compare the text as a reader sees it.
    let text = page.replace("\\-", "-");
    assert!(text.contains("fact-checkers"), "the about text is missing");
    // The version is in the title line so `man` shows which build the page describes.
    assert!(
        title.contains(env!("CARGO_PKG_VERSION")),
        "title line: {title}"
    );
    for sub in SUBCOMMANDS {
        assert!(text.contains(sub), "man page lacks `{sub}`");
    }
}
