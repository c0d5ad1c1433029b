//! Running the binary without the builder's exact comparison, for tests
//! whose subject is not the printed text (a signal sent mid-run, a report
//! file, a server's hits). Prefer [`crate::test::Test`] whenever the output
//! is what the test is about.

use std::process::{Child, Stdio};

use super::Project;

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout and stderr together.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Project {
    /// Runs `sesame ARGS` in the project folder and waits (at most 60 s).
    pub fn run(&self, args: &[&str]) -> Run {
        finish(self.spawn(args))
    }

    /// Starts `sesame ARGS` without waiting, stdout and stderr piped.
    pub fn spawn(&self, args: &[&str]) -> Child {
        let mut cmd = self.command(args);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd.spawn().expect("spawn sesame")
    }
}

/// Waits for a spawned sesame (at most 60 s) and collects what it printed.
pub fn finish(child: Child) -> Run {
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(out) => out.expect("wait sesame"),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .arg("-9")
                .arg(pid.to_string())
                .status();
            panic!("sesame did not finish within 60 s");
        }
    };
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
