//! Commands: the typed acts of every area, parsed from and written to the wire by the same
//! types. A received event's payload is parsed once, when it is opened; a payload that does
//! not fit its kind still occupies its place in the author's chain and is rejected by the fold
//! with [`Code::MalformedPayload`] or [`Code::OverLimit`]. The app builds a [`Command`], asks
//! the space whether it would be accepted ([`crate::Space::check`]), and only then signs
//! [`Command::kind`] and [`Command::payload`].

use serde::Serialize;

use crate::reject::Code;
use crate::wire::FieldError;
use crate::{checkpoint, council, points, roster, services, volunteers};

/// A typed act of one of the areas.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Command {
    /// The roster: genesis, invitations, joins, devices, roles.
    Roster(roster::Act),
    /// Resident councils: proposals, ballots, meetings.
    Council(council::Act),
    /// Points (积分制) and the points store.
    Points(points::Act),
    /// Volunteer services (志愿服务).
    Volunteers(volunteers::Act),
    /// Requests for help, polls, the public board and the funds ledger.
    Services(services::Act),
    /// Checkpoints (检查点) signed by the council.
    Checkpoint(checkpoint::Act),
}

impl Command {
    /// The event kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::Roster(a) => a.kind(),
            Command::Council(a) => a.kind(),
            Command::Points(a) => a.kind(),
            Command::Volunteers(a) => a.kind(),
            Command::Services(a) => a.kind(),
            Command::Checkpoint(a) => a.kind(),
        }
    }

    /// The payload object, as it is signed.
    pub fn payload(&self) -> serde_json::Value {
        // Serializing these types cannot fail: no maps with non-string keys, no floats.
        serde_json::to_value(self).unwrap_or_default()
    }

    /// The checks a payload must pass whoever sends it: non-empty text, lengths, ranges.
    pub fn validate(&self) -> Result<(), Code> {
        match self {
            Command::Roster(a) => a.validate(),
            Command::Council(a) => a.validate(),
            Command::Points(a) => a.validate(),
            Command::Volunteers(a) => a.validate(),
            Command::Services(a) => a.validate(),
            Command::Checkpoint(a) => a.validate(),
        }
    }

    /// [`Command::validate`] naming the field at fault, for a form to show beside it.
    pub fn check(&self) -> Result<(), FieldError> {
        match self {
            Command::Roster(a) => a.check(),
            Command::Council(a) => a.check(),
            Command::Points(a) => a.check(),
            Command::Volunteers(a) => a.check(),
            Command::Services(a) => a.check(),
            Command::Checkpoint(a) => a.check(),
        }
    }

    /// Parses the payload of `kind`; `None` when no area knows the kind.
    pub fn parse(kind: &str, json: &str) -> Option<Result<Command, Code>> {
        if let Some(r) = roster::Act::parse(kind, json) {
            return Some(r.map(Command::Roster));
        }
        if let Some(r) = council::Act::parse(kind, json) {
            return Some(r.map(Command::Council));
        }
        if let Some(r) = points::Act::parse(kind, json) {
            return Some(r.map(Command::Points));
        }
        if let Some(r) = volunteers::Act::parse(kind, json) {
            return Some(r.map(Command::Volunteers));
        }
        if let Some(r) = services::Act::parse(kind, json) {
            return Some(r.map(Command::Services));
        }
        checkpoint::Act::parse(kind, json).map(|r| r.map(Command::Checkpoint))
    }
}

impl From<roster::Act> for Command {
    fn from(a: roster::Act) -> Command {
        Command::Roster(a)
    }
}

impl From<points::Act> for Command {
    fn from(a: points::Act) -> Command {
        Command::Points(a)
    }
}

impl From<volunteers::Act> for Command {
    fn from(a: volunteers::Act) -> Command {
        Command::Volunteers(a)
    }
}

impl From<services::Act> for Command {
    fn from(a: services::Act) -> Command {
        Command::Services(a)
    }
}

impl From<checkpoint::Act> for Command {
    fn from(a: checkpoint::Act) -> Command {
        Command::Checkpoint(a)
    }
}

impl From<council::Act> for Command {
    fn from(a: council::Act) -> Command {
        Command::Council(a)
    }
}

/// A received event's payload, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// A command of a known kind.
    Command(Command),
    /// A kind this version does not know.
    Unknown,
    /// A known kind whose payload does not fit it.
    Invalid(Code),
}

impl Payload {
    /// Parses the payload of `kind` from its JSON text.
    pub fn parse(kind: &str, json: &str) -> Payload {
        match Command::parse(kind, json) {
            Some(Ok(c)) => Payload::Command(c),
            Some(Err(code)) => Payload::Invalid(code),
            None => Payload::Unknown,
        }
    }

    /// The command, if the payload is one.
    pub fn command(&self) -> Option<&Command> {
        match self {
            Payload::Command(c) => Some(c),
            _ => None,
        }
    }
}
