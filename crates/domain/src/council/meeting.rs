//! Council meetings (议事会会议): scheduling with a check-in code, attendance, and the minutes
//! (会议纪要) that close the check-in.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::act::{Checkin, Minutes, Schedule};
use super::Council;
use crate::at::At;
use crate::id::{sha256, EventId, Hex32, MemberId};
use crate::reject::Code;
use crate::roster::Actor;

/// The hash a check-in code is compared by: SHA-256 of `linli-meeting` NUL + the trimmed code.
pub fn code_hash(code: &str) -> Hex32 {
    let mut bytes = b"linli-meeting\0".to_vec();
    bytes.extend_from_slice(code.trim().as_bytes());
    sha256(&bytes)
}

/// A council meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meeting {
    /// Its event id.
    pub id: EventId,
    /// Who scheduled it.
    pub by: MemberId,
    /// Title, time, place, code hash.
    #[serde(flatten)]
    pub schedule: Schedule,
    /// Members who checked in, in order.
    pub attendance: Vec<MemberId>,
    /// The minutes, once posted (check-in closes then).
    pub minutes: Option<Arc<str>>,
}

/// What a judged meeting act changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Schedule(Box<Meeting>),
    Checkin { meeting: EventId, member: MemberId },
    Minutes { meeting: EventId, text: Arc<str> },
}

impl Council {
    fn meeting_of(&self, id: &EventId) -> Result<&Meeting, Code> {
        self.meetings.get(id).ok_or(Code::UnknownProposal)
    }

    pub(crate) fn judge_schedule(&self, by: &Actor, at: &At, s: &Schedule) -> Result<Change, Code> {
        if !by.role.is_staff() {
            return Err(Code::NotPermitted);
        }
        Ok(Change::Schedule(Box::new(Meeting {
            id: at.id,
            by: by.id,
            schedule: s.clone(),
            attendance: Vec::new(),
            minutes: None,
        })))
    }

    pub(crate) fn judge_checkin(&self, by: &Actor, k: &Checkin) -> Result<Change, Code> {
        let m = self.meeting_of(&k.meeting)?;
        if m.minutes.is_some() {
            return Err(Code::WrongState);
        }
        if m.attendance.contains(&by.id) {
            return Err(Code::Duplicate);
        }
        // The code last: so "may this member check in?" can be asked without it.
        if code_hash(&k.code) != m.schedule.code_hash {
            return Err(Code::WrongCode);
        }
        Ok(Change::Checkin {
            meeting: m.id,
            member: by.id,
        })
    }

    pub(crate) fn judge_minutes(&self, by: &Actor, n: &Minutes) -> Result<Change, Code> {
        if !by.role.is_staff() {
            return Err(Code::NotPermitted);
        }
        let m = self.meeting_of(&n.meeting)?;
        if m.minutes.is_some() {
            return Err(Code::Duplicate);
        }
        Ok(Change::Minutes {
            meeting: m.id,
            text: n.text.clone(),
        })
    }

    pub(crate) fn commit_meeting(&mut self, change: Change) {
        match change {
            Change::Schedule(m) => {
                self.meetings.insert(m.id, *m);
            }
            Change::Checkin { meeting, member } => {
                if let Some(m) = self.meetings.get_mut(&meeting) {
                    m.attendance.push(member);
                }
            }
            Change::Minutes { meeting, text } => {
                if let Some(m) = self.meetings.get_mut(&meeting) {
                    m.minutes = Some(text);
                }
            }
        }
    }
}
