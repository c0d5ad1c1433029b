//! Any text as a request file, a profile and a template: loading,
//! compiling and the static checks must answer with diagnostics, never
//! panic, hang or grow without bound.

#![no_main]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use sesame::testing::{Compiler, Engine, Inputs, TotpProvider};

struct NoTotp;

impl TotpProvider for NoTotp {
    fn code(&self, _: &str, _: Option<u32>, _: Option<u64>, _: Option<&str>) -> Result<String, String> {
        Ok("000000".into())
    }
}

struct World {
    engine: Engine,
    dir: PathBuf,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sesame-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("requests")).unwrap();
        std::fs::create_dir_all(dir.join("profiles")).unwrap();
        World {
            engine: Engine::new(Arc::new(NoTotp)),
            dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let w = world();
    let inputs = Inputs {
        base_names: ["env".to_string(), "base_url".to_string()].into(),
        env_names: Some(["HOME".to_string()].into()),
        profiles_dir: w.dir.join("profiles"),
        ..Inputs::default()
    };
    // The same text as a request file and as the profile it names.
    let request = w.dir.join("requests/a.yaml");
    std::fs::write(&request, text).unwrap();
    std::fs::write(w.dir.join("profiles/p.yaml"), text).unwrap();
    let mut compiler = Compiler::new(w.engine, inputs);
    compiler.add_file(&request);
    compiler.add_profile("p");
    if let Err(diagnostics) = compiler.finish() {
        for d in diagnostics {
            let shown = d.render(false);
            assert!(shown.len() < 8 * 1024, "a diagnostic of {} bytes", shown.len());
        }
    }
    // And as one template.
    if let Ok(t) = w.engine.compile(text) {
        let _ = w.engine.lint(&t, None);
    }
});
