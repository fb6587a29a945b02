//! The wallet controller: decides on an offer, signs the purchase request with the key of the
//! offer's merchant origin, records the spend before handing out the token, and stores the
//! merchant's receipts.

use time::OffsetDateTime;

use crate::decide::{Decision, check_budgets, choose, gate, pay_or_confirm};
use crate::error::Error;
use crate::keys::MasterSecret;
use crate::ledger::{Ledger, Reservation, SpendRecord};
use crate::offer::Offer;
use crate::policy::Policy;
use crate::receipt::{ReceiptRejection, SignedReceipt};
use crate::token::{Nonce, PurchaseRequest};

/// The outcome of [`WalletController::purchase`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PurchaseOutcome {
    /// The spend is recorded and committed; `SpendRecord::token` is the token to send.
    Purchased(Box<SpendRecord>),
    /// Nothing was spent; the decision says why (refusal, already paid, or confirmation
    /// needed and not given).
    NotPurchased(Decision),
}

/// The user's side: policy, ledger (with the master secret) and the decisions they imply.
#[derive(Debug)]
pub struct WalletController {
    policy: Policy,
    ledger: Ledger,
    master: MasterSecret,
}

impl WalletController {
    /// A controller obeying `policy` and recording in `ledger`.
    pub fn new(policy: Policy, ledger: Ledger) -> Result<Self, Error> {
        let master = ledger.master_secret()?;
        Ok(WalletController {
            policy,
            ledger,
            master,
        })
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// What to do with `offer` at `now` (see [`crate::decide`] for the order of the checks).
    /// Reading the ledger here is advisory: [`WalletController::purchase`] checks the
    /// budgets and "already paid" again in the transaction that records the spend.
    pub fn decide(&self, offer: &Offer, now: OffsetDateTime) -> Result<Decision, Error> {
        if let Err(refusal) = gate(&self.policy, offer) {
            return Ok(Decision::Refuse(refusal));
        }
        if let Some(paid) = self
            .ledger
            .already_paid(offer.scope(), offer.merchant_origin(), now)?
        {
            return Ok(Decision::AlreadyPaid(Box::new(paid)));
        }
        let payment_system = match choose(&self.policy, offer, now) {
            Ok(payment_system) => payment_system,
            Err(refusal) => return Ok(Decision::Refuse(refusal)),
        };
        let budgets = check_budgets(
            &self.policy,
            offer.merchant_origin(),
            offer.price(),
            now,
            |currency, since, origin| self.ledger.spent_since(currency, since, origin),
        )?;
        if let Err(refusal) = budgets {
            return Ok(Decision::Refuse(refusal));
        }
        Ok(pay_or_confirm(&self.policy, payment_system, offer.price()))
    }

    /// Buys `offer` at `now` if the decision allows it (`confirmed`: the user has agreed to a
    /// price above the confirmation threshold). The request is signed in memory, then the
    /// spend, with its token, is committed to the ledger in one immediate transaction that
    /// re-checks "already paid" and the budgets; only then is the token returned.
    pub fn purchase(
        &mut self,
        offer: &Offer,
        now: OffsetDateTime,
        confirmed: bool,
    ) -> Result<PurchaseOutcome, Error> {
        let payment_system = match self.decide(offer, now)? {
            Decision::Pay { payment_system, .. } => payment_system,
            Decision::NeedsConfirmation { payment_system, .. } if confirmed => payment_system,
            other => return Ok(PurchaseOutcome::NotPurchased(other)),
        };
        let key = self.master.origin_key(offer.merchant_origin());
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

    /// Checks a merchant's receipt token (strict decoding, `verify_strict` under the key it
    /// names, answers one of this wallet's purchases) and stores it.
    pub fn accept_receipt(
        &mut self,
        token: &str,
    ) -> Result<Result<SignedReceipt, ReceiptRejection>, Error> {
        let signed = match SignedReceipt::from_token(token) {
            Ok(signed) => signed,
            Err(error) => return Ok(Err(ReceiptRejection::Malformed(error))),
        };
        if signed.verify().is_err() {
            return Ok(Err(ReceiptRejection::BadSignature));
        }
        Ok(self.ledger.store_receipt(&signed)?.map(|()| signed))
    }
}
