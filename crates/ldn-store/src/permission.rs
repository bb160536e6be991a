//! Who may do what: the one place it is decided. Every public store method starts with
//! `require`, so a new method without a permission stands out in review and in the
//! permission test.

use crate::error::{Result, StoreError};
use crate::store::{Actor, Role, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Read patients, intakes, sign-offs and documents.
    ViewRecords,
    /// Save intake versions and record the documents made from them.
    EditIntakes,
    /// Decide on a completed intake.
    SignOff,
    ViewSettings,
    ChangeSettings,
    /// Add, disable, enable and reset staff accounts.
    ManageStaff,
    ReadAudit,
    Backup,
    /// Check the file's integrity and the audit chain.
    Verify,
    ChangeOwnPassword,
}

impl Permission {
    /// Whether it writes to the database (refused when a damaged file is open read-only).
    fn writes(self) -> bool {
        !matches!(
            self,
            Permission::ViewRecords
                | Permission::ViewSettings
                | Permission::ReadAudit
                | Permission::Verify
        )
    }

    fn granted(self, actor: &Actor) -> bool {
        use Permission::*;
        match actor {
            // The recovery key is for getting back in, not for clinical work under no name.
            Actor::Recovery => !matches!(self, EditIntakes | SignOff | ChangeOwnPassword),
            Actor::Staff(s) => match s.role {
                Role::Admin => self != SignOff,
                Role::Clinician => matches!(
                    self,
                    ViewRecords | EditIntakes | SignOff | ViewSettings | Verify | ChangeOwnPassword
                ),
                Role::Staff => matches!(
                    self,
                    ViewRecords | EditIntakes | ViewSettings | Verify | ChangeOwnPassword
                ),
            },
        }
    }

    fn refusal(self) -> &'static str {
        use Permission::*;
        match self {
            ViewRecords => "sign in as a staff member to see patient records",
            EditIntakes => "sign in as a staff member to save intakes",
            SignOff => "only a clinician account can sign off",
            ViewSettings => "sign in to see the settings",
            ChangeSettings => "only an administrator can change settings",
            ManageStaff => "only an administrator can manage staff accounts",
            ReadAudit => "only an administrator can read the audit trail",
            Backup => "only an administrator can make a backup",
            Verify => "sign in to check the database",
            ChangeOwnPassword => "sign in as a staff member to change a password",
        }
    }
}

impl Store {
    /// Whether the signed-in actor may do `permission` now.
    pub fn may(&self, permission: Permission) -> bool {
        self.require(permission).is_ok()
    }

    pub(crate) fn require(&self, permission: Permission) -> Result<()> {
        if self.must_change_password && permission != Permission::ChangeOwnPassword {
            return Err(StoreError::MustChangePassword);
        }
        if permission.writes() && self.damaged.is_some() {
            return Err(StoreError::NotAllowed(
                "the database is damaged and open read-only; restore the latest backup".into(),
            ));
        }
        if !permission.granted(&self.actor) {
            return Err(StoreError::NotAllowed(permission.refusal().into()));
        }
        Ok(())
    }
}
