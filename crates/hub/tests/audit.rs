//! `linli-hub audit` on space folders: the demo community, a damaged folder, bad paths.

use std::process::Command;

fn hub() -> Command {
    Command::new(env!("CARGO_BIN_EXE_linli-hub"))
}

fn audit_json(path: &std::path::Path) -> serde_json::Value {
    let out = hub()
        .arg("audit")
        .arg(path)
        .arg("--json")
        .output()
        .expect("run audit");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// Every file under `dir` (relative path, SHA-256 of its bytes), in path order.
fn files_of(dir: &std::path::Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                todo.push(path);
            } else {
                let hash = linli_hub::files::sha256_hex(&std::fs::read(&path).expect("read"));
                out.push((path.strip_prefix(dir).expect("inside").to_path_buf(), hash));
            }
        }
    }
    out.sort();
    assert!(out.len() >= 3, "a manifest, events and invitations");
    out
}

#[test]
fn the_demo_community_audits_clean_and_is_deterministic() {
    let dir = tempfile::tempdir().expect("tmp");
    let demo = |out: &std::path::Path| {
        let o = hub()
            .args([
                "demo",
                "--households",
                "40",
                "--residents",
                "120",
                "--seed",
                "7",
                "--out",
            ])
            .arg(out)
            .output()
            .expect("run demo");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).expect("utf8").trim().to_owned()
    };
    let space = demo(dir.path());
    let again = tempfile::tempdir().expect("tmp");
    assert_eq!(demo(again.path()), space, "same seed, same community");
    assert_eq!(
        files_of(dir.path()),
        files_of(again.path()),
        "same flags, same bytes in every file"
    );

    let report = audit_json(dir.path());
    assert_eq!(report["space"], space);
    assert_eq!(report["name"], "幸福里社区");
    assert_eq!(report["events"]["rejected"], 0);
    let members = report["members"].as_array().expect("members");
    // Admin, 7 council members, 12 workers, 120 residents.
    assert_eq!(members.len(), 1 + 7 + 12 + 120);
    let count = |role: &str| members.iter().filter(|m| m["role"] == role).count();
    assert_eq!(
        (
            count("admin"),
            count("council"),
            count("worker"),
            count("resident")
        ),
        (1, 7, 12, 120)
    );
    let revoked: usize = members
        .iter()
        .map(|m| m["revoked_devices"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(revoked, 3, "three lost phones replaced");
    assert!(members
        .iter()
        .all(|m| !m["devices"].as_array().expect("devices").is_empty()));
    assert!(report["ballots"].is_array());

    // The space folder itself works as the path too.
    let folder = dir.path().join("spaces").join(&space);
    assert_eq!(audit_json(&folder), report);
}

#[test]
fn a_damaged_or_missing_space_fails_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = hub().args(["audit"]).arg(dir.path()).output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("neither a manifest.json nor a spaces/ folder"));

    let o = hub()
        .args(["demo", "--households", "5", "--residents", "5", "--out"])
        .arg(dir.path())
        .output()
        .expect("demo");
    let space = String::from_utf8(o.stdout).expect("utf8").trim().to_owned();
    let folder = dir.path().join("spaces").join(&space);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).expect("read"))
            .expect("json");
    let file = folder.join(manifest["files"][0]["path"].as_str().expect("path"));
    let mut bytes = std::fs::read(&file).expect("read");
    bytes.push(b' ');
    std::fs::write(&file, bytes).expect("write");
    let out = hub().arg("audit").arg(&folder).output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not match the manifest"));

    std::fs::write(folder.join("manifest.json"), "{\"space\": 1}").expect("write");
    let out = hub().arg("audit").arg(&folder).output().expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid manifest"));
}

mod common;

#[test]
fn audits_a_url_and_an_exported_mirror_like_the_folder() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let o = hub()
        .args([
            "demo",
            "--households",
            "30",
            "--residents",
            "80",
            "--seed",
            "3",
            "--out",
        ])
        .arg(&data)
        .output()
        .expect("demo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let from_folder = audit_json(&data);
    let space = from_folder["space"].as_str().expect("space id").to_owned();

    let served = common::Hub::start(&data, &[]);
    for url in [
        format!("http://{}/spaces/{space}", served.addr),
        format!("http://{}/spaces/{space}/manifest.json", served.addr),
    ] {
        let out = hub()
            .args(["audit", &url, "--json"])
            .output()
            .expect("audit url");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let from_url: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(from_url, from_folder, "{url}");
    }
    for bad in [
        format!("http://{}/spaces", served.addr),
        format!("http://{}/spaces/{}", served.addr, "0".repeat(64)),
    ] {
        let out = hub()
            .args(["audit", &bad, "--json"])
            .output()
            .expect("audit url");
        assert!(!out.status.success(), "{bad}");
        assert!(!String::from_utf8_lossy(&out.stderr).trim().is_empty());
    }

    let mirror = dir.path().join("mirror");
    let out = hub()
        .args(["export", "--data"])
        .arg(&data)
        .args(["--space", &space, "--out"])
        .arg(&mirror)
        .output()
        .expect("export");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(audit_json(&mirror), from_folder);
    let out = hub()
        .args(["export", "--data"])
        .arg(&data)
        .args(["--space", &"0".repeat(64), "--out"])
        .arg(&mirror)
        .output()
        .expect("export");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no space"));
}

#[test]
fn a_demo_district_is_communities_of_their_own_and_the_first_is_the_demo() {
    let run = |out: &std::path::Path, communities: &str| {
        let o = hub()
            .args([
                "demo",
                "--households",
                "10",
                "--residents",
                "20",
                "--seed",
                "3",
            ])
            .args(["--communities", communities, "--out"])
            .arg(out)
            .output()
            .expect("run demo");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout)
            .expect("utf8")
            .lines()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let district = tempfile::tempdir().expect("tmp");
    let spaces = run(district.path(), "3");
    assert_eq!(spaces.len(), 3, "one space id per community: {spaces:?}");
    let distinct: std::collections::BTreeSet<_> = spaces.iter().collect();
    assert_eq!(distinct.len(), 3, "three different communities");

    let single = tempfile::tempdir().expect("tmp");
    assert_eq!(
        run(single.path(), "1"),
        spaces[..1],
        "community 0 of a district is the demo of the same seed"
    );

    let names: Vec<_> = spaces
        .iter()
        .map(|s| {
            let report = audit_json(&district.path().join("spaces").join(s));
            assert_eq!(report["events"]["rejected"], 0, "{s} folds clean");
            report["name"].as_str().expect("name").to_owned()
        })
        .collect();
    assert_eq!(names, ["幸福里社区", "和平里社区", "光明社区"]);

    let invites: Vec<serde_json::Value> = serde_json::from_slice(
        &std::fs::read(district.path().join("demo-invites.json")).expect("invites"),
    )
    .expect("json");
    for s in &spaces {
        assert!(
            invites.iter().any(|i| i["space"] == s.as_str()),
            "invitations for {s}"
        );
    }
}
