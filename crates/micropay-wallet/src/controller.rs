//! The wallet controller: decides on a per-fee-link (or an offer already built from one),
//! signs the purchase request with the key of the offer's merchant origin, records the spend
//! before handing out the token, and stores the merchant's receipts.

use micropay_markup::PerFeeLink;
use time::OffsetDateTime;
use url::Url;

use crate::decide::{Decision, decide};
use crate::error::Error;
use crate::history::SpendRecord;
use crate::keys::MasterSecret;
use crate::ledger::{Ledger, Reservation};
use crate::offer::Offer;
use crate::policy::Policy;
use crate::refusal::Refusal;
use crate::sealed::Passphrase;
use crate::token::{Nonce, PurchaseRequest};

mod receipts;

/// The outcome of [`WalletController::purchase`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PurchaseOutcome {
    /// The spend is recorded and committed; `SpendRecord::token` is the token to send.
    Purchased(Box<SpendRecord>),
    /// Nothing was spent; the decision says why (refusal, already paid, or confirmation
    /// needed and not given).
    NotPurchased(Decision),
}

/// The user's side: policy, ledger (with the master secret) and the decisions they imply.
///
/// A ledger whose master secret is encrypted opens locked: everything but signing a
/// purchase works, and [`WalletController::unlock`] decrypts the secret into memory (where it
/// is wiped when the controller is dropped).
#[derive(Debug)]
pub struct WalletController {
    policy: Policy,
    ledger: Ledger,
    /// `None` while an encrypted secret is locked.
    master: Option<MasterSecret>,
}

impl WalletController {
    /// A controller obeying the policy stored in `ledger` (see [`Ledger::policy`]).
    pub fn open(ledger: Ledger) -> Result<Self, Error> {
        let policy = ledger.policy()?;
        Self::new(policy, ledger)
    }

    /// A controller obeying `policy` (whatever the ledger stores) and recording in `ledger`.
    pub fn new(policy: Policy, ledger: Ledger) -> Result<Self, Error> {
        let master = match ledger.master_secret() {
            Ok(master) => Some(master),
            Err(Error::PassphraseRequired) => None,
            Err(other) => return Err(other),
        };
        Ok(WalletController {
            policy,
            ledger,
            master,
        })
    }

    /// Decrypts an encrypted master secret with `passphrase` ([`Error::WrongPassphrase`] when
    /// it does not open it; nothing changes then). Does nothing when the secret is not
    /// encrypted or already unlocked.
    pub fn unlock(&mut self, passphrase: &Passphrase) -> Result<(), Error> {
        if self.master.is_none() {
            self.master = Some(self.ledger.unlock(passphrase)?);
        }
        Ok(())
    }

    /// Whether signing needs [`WalletController::unlock`] first.
    pub fn is_locked(&self) -> bool {
        self.master.is_none()
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// What to do with the per-fee-link `link` of the page at `document_url`, at `now`.
    /// The checks, in order: invalid link, insecure scheme, merchant blocked, already paid,
    /// expired offer, no common payment system, currency not held, above the link cap, over a
    /// budget (overall, then per merchant), above the confirmation threshold. A link that makes no offer
    /// ([`Offer::from_link`]: invalid, or a URL left unresolved) is refused as
    /// `invalid-link`.
    ///
    /// Reading the ledger here is advisory: [`WalletController::purchase`] checks the
    /// budgets and "already paid" again in the transaction that records the spend.
    pub fn decide(
        &self,
        link: &PerFeeLink,
        document_url: &Url,
        now: OffsetDateTime,
    ) -> Result<Decision, Error> {
        match Offer::from_link(link, document_url) {
            Ok(offer) => self.decide_offer(&offer, now),
            Err(error) => Ok(Decision::Refuse(Refusal::from(error))),
        }
    }

    /// [`WalletController::decide`] for an offer already built.
    pub fn decide_offer(&self, offer: &Offer, now: OffsetDateTime) -> Result<Decision, Error> {
        decide(&self.policy, offer, now, &self.ledger)
    }

    /// Buys the per-fee-link `link` of the page at `document_url` at `now`, if the decision
    /// allows it (`confirmed`: the user has agreed to a price above the confirmation
    /// threshold). The request is signed in memory, then the spend, with its token, is
    /// committed to the ledger in one immediate transaction that re-checks "already paid"
    /// and the budgets; only then is the token returned.
    pub fn purchase(
        &mut self,
        link: &PerFeeLink,
        document_url: &Url,
        now: OffsetDateTime,
        confirmed: bool,
    ) -> Result<PurchaseOutcome, Error> {
        match Offer::from_link(link, document_url) {
            Ok(offer) => self.purchase_offer(&offer, now, confirmed),
            Err(error) => Ok(PurchaseOutcome::NotPurchased(Decision::Refuse(
                Refusal::from(error),
            ))),
        }
    }

    /// [`WalletController::purchase`] for an offer already built.
    pub fn purchase_offer(
        &mut self,
        offer: &Offer,
        now: OffsetDateTime,
        confirmed: bool,
    ) -> Result<PurchaseOutcome, Error> {
        let payment_system = match self.decide_offer(offer, now)? {
            Decision::Pay { payment_system, .. } => payment_system,
            Decision::NeedsConfirmation { payment_system, .. } if confirmed => payment_system,
            other => return Ok(PurchaseOutcome::NotPurchased(other)),
        };
        let key = self
            .master
            .as_ref()
            .ok_or(Error::PassphraseRequired)?
            .origin_key(offer.merchant_origin());
        let signed = PurchaseRequest::new(
            offer,
            &payment_system,
            Nonce::random()?,
            now,
            key.public_key(),
        )
        .sign(&key);
        let duration = offer.fields().duration;
        Ok(
            match self
                .ledger
                .reserve_spend(&self.policy, &signed, duration, now)?
            {
                Reservation::Reserved(record) => PurchaseOutcome::Purchased(record),
                Reservation::AlreadyPaid(paid) => {
                    PurchaseOutcome::NotPurchased(Decision::AlreadyPaid(paid))
                }
                Reservation::Refused(refusal) => {
                    PurchaseOutcome::NotPurchased(Decision::Refuse(refusal))
                }
            },
        )
    }
}

#[cfg(test)]
pub(crate) mod tests;
