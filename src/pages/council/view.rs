//! What the council's screens read: plain rows and details derived from the fold, each with
//! the acts this device's member may take as the domain answers them. Pages wrap these in
//! memos ([`crate::hooks::use_view`]), so an action re-renders only what it changed.

use linli_domain::council::act::Create;
use linli_domain::council::{
    Act, Charter, CouncilActions, Eligibility, MeetingActions, Period, ProposalActions,
    StandardOption, Status, Tally, Threshold,
};
use linli_domain::{Command, DeviceKey, EventId, Space};

/// A proposal in the list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProposalRow {
    /// Its id (hex).
    pub id: String,
    /// Title.
    pub title: String,
    /// Category.
    pub category: String,
    /// Where it stands.
    pub status: Status,
    /// Seconds so far and needed.
    pub seconds: (usize, u32),
    /// When it was proposed (ms).
    pub ts: i64,
    /// While voting: the announced end (ms), if any.
    pub ends: Option<i64>,
    /// While voting: voters counted so far and eligible now.
    pub turnout: Option<(u32, u32)>,
}

/// A meeting in the list.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MeetingRow {
    /// Its id (hex).
    pub id: String,
    /// Title.
    pub title: String,
    /// When (ms).
    pub at: i64,
    /// How many checked in.
    pub attendance: usize,
}

/// The council section: proposals newest first, meetings latest first, and what this
/// device's member may start.
#[derive(Clone, Debug, PartialEq)]
pub struct CouncilView {
    /// Proposals.
    pub proposals: Vec<ProposalRow>,
    /// Meetings.
    pub meetings: Vec<MeetingRow>,
    /// Propose, schedule, adopt standing rules.
    pub actions: CouncilActions,
    /// The standing rules in force.
    pub charter: Option<Charter>,
}

/// The council section of `space` for `me`.
pub fn council(space: &Space, me: &DeviceKey) -> CouncilView {
    let council = &space.state().council;
    let mut proposals: Vec<ProposalRow> = council
        .proposals()
        .into_iter()
        .map(|p| ProposalRow {
            id: p.id.to_hex(),
            title: p.spec.title.to_string(),
            category: p.spec.category.to_string(),
            status: p.status,
            seconds: (p.seconds.len(), p.spec.seconds_needed),
            ts: p.ts,
            ends: p
                .period
                .and_then(|x| x.ends)
                .filter(|_| p.status == Status::Voting),
            turnout: (p.status == Status::Voting).then(|| {
                let now = p.tally_now(&space.state().roster);
                (now.cast, now.eligible)
            }),
        })
        .collect();
    // Newest first; ballots by their announced end, soonest (and so the overdue) first.
    proposals.sort_by(|a, b| {
        let end = |r: &ProposalRow| r.ends.unwrap_or(i64::MAX);
        (end(a), b.ts, &a.id).cmp(&(end(b), a.ts, &b.id))
    });
    let mut meetings: Vec<MeetingRow> = council
        .meetings()
        .into_iter()
        .map(|m| MeetingRow {
            id: m.id.to_hex(),
            title: m.schedule.title.to_string(),
            at: m.schedule.at,
            attendance: m.attendance.len(),
        })
        .collect();
    meetings.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id)));
    CouncilView {
        proposals,
        meetings,
        actions: space.council_actions(me),
        charter: council.charter().cloned(),
    }
}

/// What the propose form offers `me`: the standing rules' minimums, and the voters the
/// domain lets this member choose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposeTerms {
    /// Least quorum (%).
    pub min_quorum_pct: u8,
    /// Fewest seconds.
    pub min_seconds: u32,
    /// The eligibilities a proposal by `me` may choose (at the minimums).
    pub eligibilities: Vec<Eligibility>,
}

/// The terms `me` may propose on.
pub fn propose_terms(space: &Space, me: &DeviceKey) -> ProposeTerms {
    let charter = space.state().council.charter();
    let (min_quorum_pct, min_seconds) =
        charter.map_or((0, 0), |c| (c.min_quorum_pct, c.min_seconds));
    let eligibilities = Eligibility::ALL
        .into_iter()
        .filter(|&eligibility| {
            let create = Create {
                title: "·".into(),
                body: "".into(),
                category: "".into(),
                options: Vec::new(),
                eligibility,
                quorum_pct: min_quorum_pct,
                threshold: Threshold::Simple,
                seconds_needed: min_seconds,
                hide_tally: false,
            };
            space
                .allows(me, &Command::Council(Act::Create(create)))
                .is_ok()
        })
        .collect();
    ProposeTerms {
        min_quorum_pct,
        min_seconds,
        eligibilities,
    }
}

/// An option as the reader sees it: a default option in their language, or the proposer's
/// own words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionLabel {
    /// 赞成, 反对 or 弃权.
    Standard(StandardOption),
    /// As written.
    Own(String),
}

/// A comment as shown: the author's masked name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentRow {
    /// Its id.
    pub id: EventId,
    /// Masked name of the author.
    pub name: String,
    /// The text.
    pub text: String,
    /// Hidden by the council, with the reason.
    pub hidden: Option<String>,
}

/// One proposal, everything its page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ProposalDetail {
    /// Id.
    pub id: EventId,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Category.
    pub category: String,
    /// Options.
    pub options: Vec<OptionLabel>,
    /// Who votes.
    pub eligibility: Eligibility,
    /// What passes.
    pub threshold: Threshold,
    /// Quorum %.
    pub quorum_pct: u8,
    /// Where it stands.
    pub status: Status,
    /// Seconds so far and needed.
    pub seconds: (usize, u32),
    /// Whether this device's member seconded it.
    pub seconded: bool,
    /// Whether this device's member is on the roster (a follower sees no acts).
    pub member: bool,
    /// This device's member's current vote.
    pub my_vote: Option<u32>,
    /// Votes per option (running or final), unless hidden until the close.
    pub counts: Option<Vec<u32>>,
    /// The result, once closed.
    pub tally: Option<Tally>,
    /// While voting: what a close now would count (the turnout a council member sees before
    /// closing).
    pub tally_now: Option<Tally>,
    /// When the ballot opened and its announced end.
    pub period: Option<Period>,
    /// Comments.
    pub comments: Vec<CommentRow>,
    /// Follow-up reports: text and whether it marked the end.
    pub progress: Vec<(String, bool)>,
    /// What this device's member may do on it.
    pub actions: ProposalActions,
}

/// Proposal `id` of `space`, for `me`.
pub fn proposal(space: &Space, me: &DeviceKey, id: &EventId) -> Option<ProposalDetail> {
    let state = space.state();
    let p = state.council.proposal(id)?;
    let roster = &state.roster;
    let actor = roster.actor(me).ok();
    let name_of = |m: &linli_domain::MemberId| {
        roster
            .member(m)
            .map(|m| m.masked_name())
            .unwrap_or_default()
    };
    Some(ProposalDetail {
        id: p.id,
        title: p.spec.title.to_string(),
        body: p.spec.body.to_string(),
        category: p.spec.category.to_string(),
        options: (0..p.spec.options.len())
            .map(|i| match p.spec.standard_option(i) {
                Some(s) => OptionLabel::Standard(s),
                None => OptionLabel::Own(p.spec.options[i].to_string()),
            })
            .collect(),
        eligibility: p.spec.eligibility,
        threshold: p.spec.threshold,
        quorum_pct: p.spec.quorum_pct,
        status: p.status,
        seconds: (p.seconds.len(), p.spec.seconds_needed),
        seconded: actor.is_some_and(|a| p.seconds.contains(&a.id)),
        member: actor.is_some(),
        my_vote: actor.and_then(|a| p.vote_of(&a.id)),
        counts: p.running_counts(),
        tally: p.tally.clone(),
        tally_now: (p.status == Status::Voting).then(|| p.tally_now(roster)),
        period: p.period,
        comments: p
            .comments
            .iter()
            .map(|c| CommentRow {
                id: c.id,
                name: name_of(&c.by),
                text: c.text.to_string(),
                hidden: c.hidden.as_ref().map(|h| h.to_string()),
            })
            .collect(),
        progress: p
            .progress
            .iter()
            .map(|g| (g.text.to_string(), g.done))
            .collect(),
        actions: space.proposal_actions(me, id)?,
    })
}

/// One meeting, everything its page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct MeetingDetail {
    /// Id.
    pub id: EventId,
    /// Title.
    pub title: String,
    /// When (ms).
    pub at: i64,
    /// Where.
    pub place: String,
    /// Masked names of those who checked in.
    pub attendance: Vec<String>,
    /// Whether this device's member checked in.
    pub checked_in: bool,
    /// The minutes, once posted.
    pub minutes: Option<String>,
    /// What this device's member may do.
    pub actions: MeetingActions,
}

/// Meeting `id` of `space`, for `me`.
pub fn meeting(space: &Space, me: &DeviceKey, id: &EventId) -> Option<MeetingDetail> {
    let state = space.state();
    let m = state.council.meeting(id)?;
    let actor = state.roster.actor(me).ok();
    Some(MeetingDetail {
        id: m.id,
        title: m.schedule.title.to_string(),
        at: m.schedule.at,
        place: m.schedule.place.to_string(),
        attendance: m
            .attendance
            .iter()
            .map(|a| {
                state
                    .roster
                    .member(a)
                    .map(|x| x.masked_name())
                    .unwrap_or_default()
            })
            .collect(),
        checked_in: actor.is_some_and(|a| m.attendance.contains(&a.id)),
        minutes: m.minutes.as_ref().map(|x| x.to_string()),
        actions: space.meeting_actions(me, id)?,
    })
}

#[cfg(test)]
mod tests {
    //! An action re-renders only the views it changed: each screen reads a memo over the
    //! fold, and a memo tells its readers only when its value differs. Here the readers
    //! count how often they re-run, as a screen's render effect would.

    use std::sync::{Arc, Mutex};

    use leptos::prelude::*;
    use linli_domain::council::act::{Cast, Create, Open};
    use linli_domain::council::{Act, Eligibility, Threshold};
    use linli_domain::roster::act::{Genesis, Invite, Join};
    use linli_domain::{roster, ChainWriter, Command, Event, Role, Space};

    use super::*;

    struct Town {
        log: Vec<Event>,
        max_seen: u64,
        ts: i64,
    }

    impl Town {
        fn sign(&mut self, w: &mut ChainWriter, c: impl Into<Command>) -> Event {
            self.ts += 1000;
            let e = w.sign_command(&c.into(), self.ts, self.max_seen);
            self.max_seen = self.max_seen.max(e.lamport);
            self.log.push(e.clone());
            e
        }
    }

    fn proposal_by(t: &mut Town, w: &mut ChainWriter, title: &str) -> EventId {
        let create = Act::Create(Create {
            title: title.into(),
            body: "".into(),
            category: "".into(),
            options: Vec::new(),
            eligibility: Eligibility::Resident,
            quorum_pct: 0,
            threshold: Threshold::Simple,
            seconds_needed: 0,
            hide_tally: false,
        });
        let id = t.sign(w, create).id;
        t.sign(
            w,
            Act::Open(Open {
                proposal: id,
                ends: None,
            }),
        );
        id
    }

    fn memo<T: PartialEq + Send + Sync + 'static>(
        space: &Arc<Mutex<Space>>,
        revision: RwSignal<u64>,
        me: DeviceKey,
        f: impl Fn(&Space, &DeviceKey) -> T + Send + Sync + 'static,
    ) -> Memo<T> {
        let space = space.clone();
        Memo::new(move |_| {
            revision.track();
            f(&space.lock().expect("lock"), &me)
        })
    }

    #[test]
    fn a_vote_re_renders_its_proposal_and_the_list_not_other_proposals() {
        let owner = Owner::new();
        owner.set();
        let mut admin = ChainWriter::new(&[1; 32], None);
        let mut t = Town {
            log: Vec::new(),
            max_seen: 0,
            ts: 0,
        };
        let genesis = t.sign(
            &mut admin,
            roster::Act::Genesis(Genesis {
                name: "幸福里".into(),
                founder: "王".into(),
                household: "".into(),
            }),
        );
        let mut resident = ChainWriter::new(&[2; 32], Some(genesis.id));
        t.sign(
            &mut admin,
            roster::Act::Invite(Invite::new(&[9; 32], Role::Resident, "1-1")),
        );
        t.sign(
            &mut resident,
            roster::Act::Join(Join::new(&[9; 32], "李四")),
        );
        let a = proposal_by(&mut t, &mut admin, "加装充电桩");
        let b = proposal_by(&mut t, &mut admin, "楼道清理");
        let mut space = Space::new(genesis.id);
        space.insert(t.log.iter().cloned());
        let space = Arc::new(Mutex::new(space));
        let me = resident.device();

        // What use_view builds: a memo over the revision and the fold.
        let revision = RwSignal::new(0u64);
        let detail_a = memo(&space, revision, me, move |s, me| proposal(s, me, &a));
        let detail_b = memo(&space, revision, me, move |s, me| proposal(s, me, &b));
        let list = memo(&space, revision, me, council);
        // Readers that count their runs, as render effects do.
        let counter = |read: Box<dyn Fn() + Send + Sync>| {
            let runs = Arc::new(Mutex::new(0));
            let r = runs.clone();
            let m = Memo::new(move |_| {
                read();
                *r.lock().expect("lock") += 1;
            });
            (m, runs)
        };
        let (ra, runs_a) = counter(Box::new(move || drop(detail_a.get())));
        let (rb, runs_b) = counter(Box::new(move || drop(detail_b.get())));
        let (rl, runs_list) = counter(Box::new(move || drop(list.get())));
        let pull = || {
            ra.get();
            rb.get();
            rl.get();
        };
        pull();
        let runs = || [&runs_a, &runs_b, &runs_list].map(|r| *r.lock().expect("lock"));
        assert_eq!(runs(), [1, 1, 1]);

        // The resident votes on A.
        let vote = t.sign(
            &mut resident,
            Act::Vote(Cast {
                proposal: a,
                choice: 1,
            }),
        );
        space.lock().expect("lock").insert([vote]);
        revision.update(|r| *r += 1);
        pull();
        assert_eq!(
            runs(),
            [2, 1, 2],
            "A's page and the list (its live turnout) re-render; B's does not"
        );
        assert_eq!(detail_a.get().and_then(|d| d.my_vote), Some(1));

        // A sync that brings nothing new changes nothing either.
        revision.update(|r| *r += 1);
        pull();
        assert_eq!(runs(), [2, 1, 2]);
    }
}
