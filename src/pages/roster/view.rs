//! What the community flows read: a page of the member list with its search and role filter,
//! and the roles this device's member may invite, as the domain answers them.

use std::sync::Arc;

use linli_domain::roster::act::Invite;
use linli_domain::roster::mask_name;
use linli_domain::{roster, Command, DeviceKey, MemberId, Role, Space, SpaceId};

/// Members on one page of the list.
pub const PAGE_SIZE: usize = 50;

/// One roster entry as shown. For a resident (or a follower) the name is masked (张*明) and
/// the household absent; staff (admin, council, workers) see both in full.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MemberRow {
    /// Member id (hex).
    pub id: String,
    /// The display name: in full for staff, masked for everyone else.
    pub name: String,
    /// The household code (户), for staff only.
    pub household: Option<String>,
    /// Role now.
    pub role: Role,
    /// Active devices.
    pub devices: usize,
    /// Whether it is this device's member.
    pub me: bool,
}

/// What the list is asked for: a search text, a role (all when `None`) and a page (from 0).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemberQuery {
    /// Searched for in the names (as this viewer sees them) and, for staff, the households.
    pub text: String,
    /// Only members of this role.
    pub role: Option<Role>,
    /// The page, from 0 (clamped to the last one).
    pub page: usize,
}

/// One page of the list: its rows and the counts around them — never the whole roster, so
/// that a community of 50,000 members does not copy 50,000 rows into the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberPage {
    /// Whether the viewer is staff by the roster (their role now): full names and households.
    pub staff: bool,
    /// Members matching the text, per role (in [`Role::ALL`]'s order).
    pub counts: [usize; 4],
    /// Members matching the text, all roles.
    pub all: usize,
    /// Members matching the text and the role: what the pages hold.
    pub matched: usize,
    /// The page shown (from 0).
    pub page: usize,
    /// How many pages (at least 1).
    pub pages: usize,
    /// The page's rows, sorted by role, then name.
    pub rows: Vec<MemberRow>,
}

/// Whether `needle` occurs in `hay`, ignoring ASCII case (household codes like "A-01"). A
/// match of valid UTF-8 can only start on a character boundary, and ASCII folding never
/// touches the bytes of other characters.
fn found(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let Some(first) = n.first() else {
        return true;
    };
    // Names and households are short: a plain scan beats building a searcher per name.
    h.len() >= n.len()
        && (0..=h.len() - n.len())
            .any(|i| h[i].eq_ignore_ascii_case(first) && h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The roster as one viewer may see it, in the list's order (role, then name as shown, then
/// id): built once per change of the log, so that a keystroke costs one pass over it — no
/// masking, no sorting — however large the community.
pub struct Directory {
    /// The log it was built from: its space and length (events are only ever added).
    version: (SpaceId, usize),
    /// The viewer's device.
    me: DeviceKey,
    /// Whether the viewer is staff by the roster (their role now).
    staff: bool,
    /// The viewer's member.
    mine: Option<MemberId>,
    /// Every member as shown, sorted.
    entries: Vec<Entry>,
    /// Members per role (in [`Role::ALL`]'s order).
    counts: [usize; 4],
}

/// A member as the viewer sees them.
struct Entry {
    role: Role,
    /// The name as shown: in full for staff, masked otherwise.
    name: String,
    /// The household, searched by staff only (empty for everyone else).
    household: Arc<str>,
    id: MemberId,
}

/// A role's place in [`Role::ALL`].
fn slot(role: Role) -> usize {
    Role::ALL.iter().position(|r| *r == role).unwrap_or(3)
}

impl Directory {
    /// The roster as `me`'s member may see it. Whether the viewer is staff comes from the
    /// roster (the role of `me`'s member now); for anyone else every name is masked here, and
    /// no household is kept, so nothing a resident searches or sees can tell either.
    pub fn of(space: &Space, me: &DeviceKey) -> Directory {
        let roster = &space.state().roster;
        let actor = roster.actor(me).ok();
        let staff = actor.is_some_and(|a| a.role.is_staff());
        let mut counts = [0; 4];
        let mut entries: Vec<Entry> = roster
            .members()
            .map(|m| {
                counts[slot(m.role)] += 1;
                Entry {
                    role: m.role,
                    name: if staff {
                        m.name.to_string()
                    } else {
                        mask_name(&m.name)
                    },
                    household: if staff {
                        m.household.clone()
                    } else {
                        Arc::from("")
                    },
                    id: m.id,
                }
            })
            .collect();
        entries.sort_unstable_by(|a, b| (a.role, &a.name, &a.id).cmp(&(b.role, &b.name, &b.id)));
        Directory {
            version: (space.id(), space.len()),
            me: *me,
            staff,
            mine: actor.map(|a| a.id),
            entries,
            counts,
        }
    }

    /// Whether it still shows `space` to `me`.
    pub fn fresh(&self, space: &Space, me: &DeviceKey) -> bool {
        self.version == (space.id(), space.len()) && self.me == *me
    }

    /// The page `query` asks for.
    pub fn page(&self, space: &Space, query: &MemberQuery) -> MemberPage {
        let text = query.text.trim();
        let wanted = |e: &Entry| query.role.is_none_or(|r| r == e.role);
        let (counts, matched, mut hits): ([usize; 4], usize, Vec<&Entry>) = if text.is_empty() {
            // Everyone: the counts are known, and the page is a slice (of one role's run).
            let matched = match query.role {
                Some(r) => self.counts[slot(r)],
                None => self.entries.len(),
            };
            (self.counts, matched, Vec::new())
        } else {
            let mut counts = [0; 4];
            let mut hits = Vec::new();
            for e in &self.entries {
                if found(&e.name, text) || (self.staff && found(&e.household, text)) {
                    counts[slot(e.role)] += 1;
                    if wanted(e) {
                        hits.push(e);
                    }
                }
            }
            (counts, hits.len(), hits)
        };
        let pages = matched.div_ceil(PAGE_SIZE).max(1);
        let page = query.page.min(pages - 1);
        let (from, to) = (page * PAGE_SIZE, ((page + 1) * PAGE_SIZE).min(matched));
        let shown: Vec<&Entry> = if text.is_empty() {
            // The entries are sorted by role first: a role's members are one run.
            let first = match query.role {
                Some(r) => self.entries.partition_point(|e| slot(e.role) < slot(r)),
                None => 0,
            };
            self.entries
                .get(first + from..first + to)
                .unwrap_or_default()
                .iter()
                .collect()
        } else {
            hits.drain(from.min(hits.len())..to.min(hits.len()))
                .collect()
        };
        let roster = &space.state().roster;
        let rows = shown
            .into_iter()
            .map(|e| MemberRow {
                id: e.id.to_hex(),
                name: e.name.clone(),
                household: self.staff.then(|| e.household.to_string()),
                role: e.role,
                devices: roster
                    .member(&e.id)
                    .map_or(0, |m| roster.active_devices(m).len()),
                me: Some(e.id) == self.mine,
            })
            .collect();
        MemberPage {
            staff: self.staff,
            counts,
            all: counts.iter().sum(),
            matched,
            page,
            pages,
            rows,
        }
    }
}

/// The page of the roster `query` asks for, as `me`'s member may see it (see
/// [`Directory::of`]; a page that is shown again and again keeps its [`Directory`]).
pub fn member_page(space: &Space, me: &DeviceKey, query: &MemberQuery) -> MemberPage {
    Directory::of(space, me).page(space, query)
}

/// The roles `me`'s member may invite now: each the judge's verdict on an invitation.
pub fn invite_roles(space: &Space, me: &DeviceKey) -> Vec<Role> {
    Role::ALL
        .into_iter()
        .filter(|&role| {
            // A secret nobody holds: only the role decides.
            let invite = Invite::new(&[0; 32], role, "·");
            space
                .allows(me, &Command::Roster(roster::Act::Invite(invite)))
                .is_ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    //! The member list: what a resident can and cannot learn from it, what staff see, the
    //! counts, and that the pages together are the whole list in order.

    use linli_domain::roster::act::{Genesis, Invite, Join};
    use linli_domain::{ChainWriter, Event, SpaceId};

    use super::*;

    /// A community founded by 王主任 (household 办公室), who invites everyone else.
    struct Town {
        admin: ChainWriter,
        space: SpaceId,
        log: Vec<Event>,
        ts: i64,
        max_seen: u64,
    }

    impl Town {
        fn new() -> Town {
            let mut admin = ChainWriter::new(&[1; 32], None);
            let genesis = Command::Roster(roster::Act::Genesis(Genesis {
                name: "幸福里".into(),
                founder: "王主任".into(),
                household: "办公室".into(),
            }));
            let e = admin.sign_command(&genesis, 1, 0);
            Town {
                admin,
                space: e.id,
                max_seen: e.lamport,
                log: vec![e],
                ts: 1,
            }
        }

        fn sign(&mut self, w: Option<&mut ChainWriter>, c: Command) {
            self.ts += 1000;
            let w = w.unwrap_or(&mut self.admin);
            let e = w.sign_command(&c, self.ts, self.max_seen);
            self.max_seen = self.max_seen.max(e.lamport);
            self.log.push(e);
        }

        /// Invites and joins a member; returns their device.
        fn member(&mut self, name: &str, role: Role, household: &str) -> DeviceKey {
            let n = self.log.len() as u32;
            let mut seed = [7; 32];
            seed[..4].copy_from_slice(&n.to_le_bytes());
            let invite = Invite::new(&seed, role, household);
            self.sign(None, Command::Roster(roster::Act::Invite(invite)));
            let mut device = ChainWriter::new(&seed, Some(self.space));
            let join = Join::new(&seed, name);
            self.sign(Some(&mut device), Command::Roster(roster::Act::Join(join)));
            device.device()
        }

        fn fold(&self) -> Space {
            let mut s = Space::new(self.space);
            s.insert(self.log.iter().cloned());
            s
        }
    }

    fn query(text: &str, role: Option<Role>, page: usize) -> MemberQuery {
        MemberQuery {
            text: text.into(),
            role,
            page,
        }
    }

    fn names(p: &MemberPage) -> Vec<&str> {
        p.rows.iter().map(|r| r.name.as_str()).collect()
    }

    /// The admin, a worker and three residents; the worker's and a resident's devices.
    fn town() -> (Space, DeviceKey, DeviceKey) {
        let mut t = Town::new();
        let worker = t.member("李网格", Role::Worker, "");
        let resident = t.member("张秀英", Role::Resident, "3-2-401");
        t.member("张建明", Role::Resident, "1-1-101");
        t.member("Anna Li", Role::Resident, "B-07");
        (t.fold(), worker, resident)
    }

    #[test]
    fn a_resident_sees_masked_names_and_no_households_and_searches_only_those() {
        let (space, _, resident) = town();
        let all = member_page(&space, &resident, &MemberQuery::default());
        assert!(!all.staff);
        assert_eq!(all.all, 5);
        assert_eq!(all.counts, [1, 0, 1, 3]);
        assert_eq!(names(&all), ["王*任", "李*格", "A*****i", "张*明", "张*英"]);
        assert!(all.rows.iter().all(|r| r.household.is_none()));
        assert_eq!(all.rows.iter().filter(|r| r.me).count(), 1);
        // The masked names are what a resident searches: a full name, its hidden middle or a
        // household finds nothing.
        let zhang = member_page(&space, &resident, &query("张", None, 0));
        assert_eq!(names(&zhang), ["张*明", "张*英"]);
        let ying = member_page(&space, &resident, &query("英", None, 0));
        assert_eq!(names(&ying), ["张*英"]);
        for secret in [
            "张秀英",
            "秀",
            "建明",
            "3-2-401",
            "3-2",
            "办公室",
            "Anna",
            "b-07",
        ] {
            let p = member_page(&space, &resident, &query(secret, None, 0));
            assert_eq!(
                (p.matched, p.all),
                (0, 0),
                "{secret} finds nothing for a resident"
            );
        }
        // A device that is no member (a follower) sees what a resident sees.
        let follower = member_page(&space, &DeviceKey::default(), &query("张", None, 0));
        assert!(!follower.staff);
        assert_eq!(names(&follower), ["张*明", "张*英"]);
        assert!(follower.rows.iter().all(|r| r.household.is_none()));
    }

    #[test]
    fn staff_see_full_names_and_households_and_search_both() {
        let (space, worker, _) = town();
        let all = member_page(&space, &worker, &MemberQuery::default());
        assert!(all.staff);
        assert_eq!(
            names(&all),
            ["王主任", "李网格", "Anna Li", "张建明", "张秀英"]
        );
        assert_eq!(all.rows[0].household.as_deref(), Some("办公室"));
        let by_name = member_page(&space, &worker, &query(" 秀英 ", None, 0));
        assert_eq!(names(&by_name), ["张秀英"]);
        assert_eq!(by_name.rows[0].household.as_deref(), Some("3-2-401"));
        let by_household = member_page(&space, &worker, &query("3-2", None, 0));
        assert_eq!(names(&by_household), ["张秀英"]);
        // ASCII letters ignore case, in names and households.
        let anna = member_page(&space, &worker, &query("anna", None, 0));
        assert_eq!(names(&anna), ["Anna Li"]);
        let b07 = member_page(&space, &worker, &query("b-07", None, 0));
        assert_eq!(names(&b07), ["Anna Li"]);
        // The counts are of the search; the role filters within it.
        let zhang = member_page(&space, &worker, &query("张", Some(Role::Worker), 0));
        assert_eq!(
            (zhang.all, zhang.counts, zhang.matched),
            (2, [0, 0, 0, 2], 0)
        );
    }

    #[test]
    fn the_pages_together_are_the_whole_list_in_order() {
        let mut t = Town::new();
        let worker = t.member("网格员甲", Role::Worker, "");
        let residents = 2 * PAGE_SIZE + 7;
        for i in 0..residents {
            // Names out of order, some repeated.
            let n = (i * 37) % 61;
            t.member(&format!("居民{n:03}号"), Role::Resident, &format!("H-{i}"));
        }
        let space = t.fold();
        let residents_only = |page| query("", Some(Role::Resident), page);
        let first = member_page(&space, &worker, &residents_only(0));
        assert_eq!((first.matched, first.pages), (residents, 3));
        assert_eq!(first.counts, [1, 0, 1, residents]);
        let mut rows = Vec::new();
        for page in 0..first.pages {
            let p = member_page(&space, &worker, &residents_only(page));
            assert_eq!(p.page, page);
            assert_eq!(p.rows.len(), if page < 2 { PAGE_SIZE } else { 7 });
            rows.extend(p.rows);
        }
        let mut sorted = rows.clone();
        sorted.sort_by(|a, b| (a.role, &a.name, &a.id).cmp(&(b.role, &b.name, &b.id)));
        assert_eq!(rows, sorted);
        let ids: std::collections::BTreeSet<_> = rows.iter().map(|r| r.id.clone()).collect();
        assert_eq!(ids.len(), rows.len(), "no member twice");
        // A page past the end shows the last one.
        assert_eq!(member_page(&space, &worker, &residents_only(99)).page, 2);
        // Nothing found: one empty page.
        let none = member_page(&space, &worker, &query("没有这个人", None, 0));
        assert_eq!((none.matched, none.pages, none.rows.len()), (0, 1, 0));
    }

    /// How long a keystroke's page takes in a community of 50,000 members (native; wasm is
    /// slower): `cargo test --release -p linli --lib fifty_thousand -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn fifty_thousand_members() {
        let mut t = Town::new();
        let worker = t.member("网格员甲", Role::Worker, "");
        let mut resident = worker;
        const FAMILY: [&str; 8] = ["张", "王", "李", "赵", "刘", "陈", "杨", "黄"];
        for i in 0..50_000 {
            let name = format!("{}{}{}", FAMILY[i % 8], ["秀", "建", "国", "海"][i % 4], i);
            let household = format!("{}-{}", i / 25, i % 25);
            resident = t.member(&name, Role::Resident, &household);
        }
        let space = t.fold();
        for (who, me) in [("worker", worker), ("resident", resident)] {
            let started = std::time::Instant::now();
            let directory = Directory::of(&space, &me);
            println!(
                "{who}: directory of 50,000 built in {:?}",
                started.elapsed()
            );
            for q in [
                query("", None, 0),
                query("", Some(Role::Resident), 500),
                query("张", None, 3),
                query("张秀1", None, 0),
                query("12-3", None, 0),
            ] {
                let started = std::time::Instant::now();
                let p = directory.page(&space, &q);
                let took = started.elapsed();
                assert_eq!(p, member_page(&space, &me, &q));
                println!(
                    "{who} {:?} page {}: {} matched, {} rows in {took:?}",
                    q.text,
                    q.page,
                    p.matched,
                    p.rows.len()
                );
            }
        }
    }
}
