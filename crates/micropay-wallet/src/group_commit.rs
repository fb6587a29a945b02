//! A verifier for a merchant's server: many threads verify tokens at once, and the nonces
//! they accept share commits of the replay store (group commit).
//!
//! Each calling thread runs every check of a token itself (decoding, `verify_strict`, the
//! offer, the receipt's signature): that work is spread over the cores. A token that passes
//! them joins the queue. If no commit is under way, its thread becomes the leader: it takes
//! every token queued, records their nonces in one immediate transaction (`replay.rs`) and
//! answers each caller once that transaction is committed. Tokens that arrive meanwhile wait
//! together; when the leader is done, it hands the lead to the first of them, which commits
//! them all at once. The busier the server, the more tokens share one flush, and no thread
//! leads more than the one commit that carries its own token. A token is never accepted
//! before its nonce is on disk, exactly as with [`Verifier::verify`].

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Mutex, MutexGuard, PoisonError};

use time::OffsetDateTime;

use crate::error::Error;
use crate::offer::Offer;
use crate::receipt::SignedReceipt;
use crate::replay_store::ReplayStore;
use crate::token::SignedPurchaseRequest;
use crate::verdict::{Accepted, Rejection};
use crate::verifier::{Catalogue, Verifier};

/// The most tokens one commit takes; more wait for the next one. Large enough that a flush
/// costs little per token, small enough that one transaction stays short.
const MAX_GROUP: usize = 1024;

/// The answer to one caller.
type Answer = Result<Result<Accepted, Rejection>, Error>;

/// What a waiting caller is told.
enum Message {
    /// Its verdict, once its group is committed.
    Done(Box<Answer>),
    /// Commit the queue now (its token is in it).
    Lead,
}

/// A token that passed the checks, waiting for its nonce to be committed.
struct Waiting {
    accepted: Accepted,
    tell: SyncSender<Message>,
}

/// The tokens waiting for a commit, and whether some thread leads one.
#[derive(Default)]
struct Queue {
    waiting: Vec<Waiting>,
    leader: bool,
}

/// A [`Verifier`] shared by many threads (`&self`, `Send + Sync`), whose replay store
/// commits the nonces of concurrent calls together. Build it from a [`Verifier`] whose
/// offers are published; the offers are fixed from then on.
pub struct ConcurrentVerifier {
    catalogue: Catalogue,
    queue: Mutex<Queue>,
    store: Mutex<ReplayStore>,
    /// A second handle on the store, made at the first prune: pruning holds it, never the
    /// committing handle, so commits go on meanwhile.
    pruner: Mutex<Option<ReplayStore>>,
}

impl std::fmt::Debug for ConcurrentVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConcurrentVerifier")
            .field("catalogue", &self.catalogue)
            .finish_non_exhaustive()
    }
}

/// Locks `mutex` even if a thread panicked while holding it: the queue and the store stay
/// sound (a panicking leader's group is dropped, its callers told so; see [`Lead`]).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ConcurrentVerifier {
    /// A verifier for many threads, on `verifier`'s offers and replay store.
    pub fn new(verifier: Verifier) -> Self {
        let (catalogue, store) = verifier.into_parts();
        ConcurrentVerifier {
            catalogue,
            queue: Mutex::new(Queue::default()),
            store: Mutex::new(store),
            pruner: Mutex::new(None),
        }
    }

    /// The published offers.
    pub fn offers(&self) -> impl Iterator<Item = &Offer> {
        self.catalogue.offers()
    }

    /// Checks `token` at `now`, as [`Verifier::verify`] does; on acceptance the nonce is
    /// committed to the replay store (with those of other threads' tokens) before the
    /// receipt is returned. Blocks until then.
    pub fn verify(&self, token: &str, now: OffsetDateTime) -> Answer {
        match SignedPurchaseRequest::from_token(token) {
            Ok(purchase) => self.verify_purchase(purchase, now),
            Err(why) => Ok(Err(Rejection::MalformedToken(why))),
        }
    }

    /// [`ConcurrentVerifier::verify`] for a token the caller has already decoded (e.g. to
    /// check its offer against the URL it was sent to): every check after decoding, the
    /// signature's `verify_strict` first, then the commit of its nonce. A token is decoded
    /// once per request this way.
    pub fn verify_purchase(&self, purchase: SignedPurchaseRequest, now: OffsetDateTime) -> Answer {
        let accepted = match self.catalogue.verdict_on(purchase, now) {
            Ok(accepted) => accepted,
            Err(rejection) => return Ok(Err(rejection)),
        };
        // Room for a `Lead` and a `Done`, so that telling never blocks.
        let (tell, told) = mpsc::sync_channel(2);
        let lead = {
            let mut queue = lock(&self.queue);
            queue.waiting.push(Waiting { accepted, tell });
            !std::mem::replace(&mut queue.leader, true)
        };
        if lead {
            self.lead();
        }
        self.wait(&told)
    }

    /// The receipt issued when `purchase` was accepted, as the replay store keeps it; `None`
    /// when no request like it (same nonce, issue instant, buyer's key and offer) was
    /// accepted. A server answers a retry of a token whose response was lost with it
    /// (`replayed-nonce` says only that the nonce was taken). The caller checks the
    /// signature of `purchase` first: the lookup itself trusts its fields.
    pub fn stored_receipt(
        &self,
        purchase: &SignedPurchaseRequest,
    ) -> Result<Option<SignedReceipt>, Error> {
        let Some(token) = lock(&self.store).stored_receipt(purchase.request())? else {
            return Ok(None);
        };
        SignedReceipt::from_token(&token)
            .map(Some)
            .map_err(|e| Error::Corrupt(format!("a stored receipt does not decode: {e}")))
    }

    /// Forgets nonces that can no longer be fresh, as [`Verifier::prune`] does, through a
    /// handle of its own on the store ([`ReplayStore::try_clone`]): commits go on meanwhile
    /// (the SQLite store deletes in short transactions of a few thousand rows; the PostgreSQL
    /// store skips the rows a commit holds).
    pub fn prune(&self, now: OffsetDateTime) -> Result<usize, Error> {
        let mut pruner = lock(&self.pruner);
        let pruner = match &mut *pruner {
            Some(pruner) => pruner,
            none => none.insert(lock(&self.store).try_clone()?),
        };
        pruner.prune(self.catalogue.prune_before(now))
    }

    /// Waits for this caller's verdict, leading a commit when told to.
    fn wait(&self, told: &Receiver<Message>) -> Answer {
        loop {
            match told.recv() {
                Ok(Message::Done(answer)) => return *answer,
                Ok(Message::Lead) => self.lead(),
                // The leader of this token's group panicked: the group was dropped.
                Err(_) => return Err(Error::CommitInterrupted),
            }
        }
    }

    /// Commits the queue as it is now, then hands the lead to the first token queued since,
    /// or gives it up.
    fn lead(&self) {
        let _handover = Lead(self);
        let group = {
            let mut queue = lock(&self.queue);
            let take = queue.waiting.len().min(MAX_GROUP);
            queue.waiting.drain(..take).collect::<Vec<_>>()
        };
        commit(&mut lock(&self.store), &self.catalogue, group);
    }
}

/// Passes the lead on when a leader is done, also when it panicked.
struct Lead<'a>(&'a ConcurrentVerifier);

impl Drop for Lead<'_> {
    fn drop(&mut self) {
        let mut queue = lock(&self.0.queue);
        // The first caller queued is blocked receiving, and its channel has room; one whose
        // thread has gone cannot be told, so it leaves the queue and the next is asked.
        while let Some(next) = queue.waiting.first() {
            if next.tell.try_send(Message::Lead).is_ok() {
                return;
            }
            queue.waiting.remove(0);
        }
        queue.leader = false;
    }
}

/// Records `group` in one transaction and answers each caller. If that transaction fails,
/// each token is tried in a transaction of its own, so that every caller gets the answer its
/// own token gets (an error of the store, or a verdict); except when the PostgreSQL store
/// failed: that is never one token's doing, and trying each token against a server that
/// does not answer would keep the last caller waiting a time limit per token, so every caller
/// gets the error at once.
fn commit(store: &mut ReplayStore, catalogue: &Catalogue, group: Vec<Waiting>) {
    if group.is_empty() {
        return;
    }
    let (mut verdicts, tells): (Vec<_>, Vec<_>) = group
        .into_iter()
        .map(|waiting| (Ok(waiting.accepted), waiting.tell))
        .unzip();
    let window = catalogue.replay_window();
    match store.record(&mut verdicts, window) {
        Ok(()) => {
            for (verdict, tell) in verdicts.into_iter().zip(tells) {
                // A caller is blocked until told; the channel has room.
                let _ = tell.try_send(Message::Done(Box::new(Ok(verdict))));
            }
            return;
        }
        Err(Error::Postgres { store, reason }) => {
            for tell in tells {
                let error = Error::Postgres {
                    store: store.clone(),
                    reason: reason.clone(),
                };
                let _ = tell.try_send(Message::Done(Box::new(Err(error))));
            }
            return;
        }
        Err(_) => {}
    }
    // Nothing was recorded and the verdicts are as they were.
    for (verdict, tell) in verdicts.into_iter().zip(tells) {
        let mut one = [verdict];
        let answer = store.record(&mut one, window).map(|()| {
            let [verdict] = one;
            verdict
        });
        let _ = tell.try_send(Message::Done(Box::new(answer)));
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;
    use crate::verifier::tests::{NOW, offer_with, reopened, token, verifier};
    use std::collections::BTreeMap;
    use time::OffsetDateTime;

    fn code(answer: &Answer) -> Option<&'static str> {
        answer.as_ref().unwrap().as_ref().err().map(Rejection::code)
    }

    #[test]
    fn the_receipt_of_an_accepted_request_is_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let shared = ConcurrentVerifier::new(verifier(&dir, &[&offer]));
        let first = token(&offer, "https://ps.example/", 1, NOW);
        let accepted = shared.verify(&first, NOW).unwrap().unwrap();
        let purchase = SignedPurchaseRequest::from_token(&first).unwrap();
        let stored = shared.stored_receipt(&purchase).unwrap().unwrap();
        assert_eq!(stored, accepted.receipt);
        // The same request again is a replay; its receipt is still the one stored.
        assert_eq!(code(&shared.verify(&first, NOW)), Some("replayed-nonce"));
        assert_eq!(shared.stored_receipt(&purchase).unwrap(), Some(stored));
        // Another nonce, or the same nonce at another instant, was never accepted.
        let other =
            SignedPurchaseRequest::from_token(&token(&offer, "https://ps.example/", 2, NOW))
                .unwrap();
        assert_eq!(shared.stored_receipt(&other).unwrap(), None);
        let later = token(
            &offer,
            "https://ps.example/",
            1,
            NOW + time::Duration::seconds(1),
        );
        let later = SignedPurchaseRequest::from_token(&later).unwrap();
        assert_eq!(shared.stored_receipt(&later).unwrap(), None);
    }

    #[test]
    fn a_decoded_token_is_decided_as_its_token() {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let shared = ConcurrentVerifier::new(verifier(&dir, &[&offer]));
        let first = token(&offer, "https://ps.example/", 1, NOW);
        let decoded = SignedPurchaseRequest::from_token(&first).unwrap();
        assert_eq!(code(&shared.verify_purchase(decoded.clone(), NOW)), None);
        assert_eq!(code(&shared.verify(&first, NOW)), Some("replayed-nonce"));
        assert_eq!(
            code(&shared.verify_purchase(decoded, NOW)),
            Some("replayed-nonce")
        );
        // Its signature is still checked: a request signed by another key is refused.
        let second =
            SignedPurchaseRequest::from_token(&token(&offer, "https://ps.example/", 2, NOW))
                .unwrap();
        let other =
            SignedPurchaseRequest::from_token(&token(&offer, "https://ps.example/", 3, NOW))
                .unwrap();
        let mut bytes = second.request().canonical_bytes();
        bytes.extend_from_slice(&other.signature().to_bytes());
        let forged =
            base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, &bytes);
        let forged = SignedPurchaseRequest::from_token(&forged).unwrap();
        assert_eq!(
            code(&shared.verify_purchase(forged, NOW)),
            Some("bad-signature")
        );
    }

    #[test]
    fn is_shared_by_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<ConcurrentVerifier>();
    }

    #[test]
    fn threads_accept_each_nonce_once_and_every_acceptance_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let shared = ConcurrentVerifier::new(verifier(&dir, &[&offer]));
        // 24 distinct nonces, each sent by three of eight threads, plus rejections.
        let tokens: Vec<String> = (0..24)
            .map(|n| token(&offer, "https://ps.example/", n, NOW))
            .collect();
        let stale = token(
            &offer,
            "https://ps.example/",
            99,
            NOW - time::Duration::hours(1),
        );
        let answers: Vec<(usize, Option<&'static str>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|thread| {
                    let (shared, tokens, stale) = (&shared, &tokens, &stale);
                    scope.spawn(move || {
                        let mut mine = Vec::new();
                        for (n, token) in tokens.iter().enumerate() {
                            if n % 8 == thread || (n + 1) % 8 == thread || (n + 5) % 8 == thread {
                                mine.push((n, code(&shared.verify(token, NOW))));
                            }
                        }
                        assert_eq!(code(&shared.verify(stale, NOW)), Some("stale-request"));
                        assert_eq!(
                            code(&shared.verify("garbage", NOW)),
                            Some("malformed-token")
                        );
                        mine
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap())
                .collect()
        });
        let mut by_nonce: BTreeMap<usize, Vec<Option<&str>>> = BTreeMap::new();
        for (n, answer) in answers {
            by_nonce.entry(n).or_default().push(answer);
        }
        assert_eq!(by_nonce.len(), 24);
        for (n, mut answers) in by_nonce {
            answers.sort_unstable();
            assert_eq!(
                answers,
                [None, Some("replayed-nonce"), Some("replayed-nonce")],
                "nonce {n}"
            );
        }
        drop(shared);
        // Every acceptance was committed: a verifier opened afterwards refuses each token.
        let mut again = reopened(&dir, &offer);
        for token in &tokens {
            assert_eq!(
                again.verify(token, NOW).unwrap().err(),
                Some(Rejection::ReplayedNonce)
            );
        }
    }

    /// `nonces` queued as one group, with the channels their answers come on.
    fn group(
        catalogue: &Catalogue,
        offer: &Offer,
        nonces: &[u8],
    ) -> (Vec<Waiting>, Vec<Receiver<Message>>) {
        nonces
            .iter()
            .map(|&nonce| {
                let accepted = catalogue
                    .verdict(&token(offer, "https://ps.example/", nonce, NOW), NOW)
                    .unwrap();
                let (tell, told) = mpsc::sync_channel(2);
                (Waiting { accepted, tell }, told)
            })
            .unzip()
    }

    fn answer(told: &Receiver<Message>) -> Answer {
        match told.try_recv().unwrap() {
            Message::Done(answer) => *answer,
            Message::Lead => panic!("told to lead, not answered"),
        }
    }

    #[test]
    fn each_token_of_a_group_is_decided_in_its_own_window() {
        // Nonce 1 was accepted at NOW. A group then holds a request reusing it, decided 700 s
        // later (its window, 600 s, no longer holds NOW), and a request decided 650 s earlier
        // than that one (whose window would). Each is decided as if verified alone.
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let (catalogue, mut store) = verifier(&dir, &[&offer]).into_parts();
        let ps = "https://ps.example/";
        let (first, _) = group(&catalogue, &offer, &[1]);
        commit(&mut store, &catalogue, first);
        let later = NOW + time::Duration::seconds(700);
        let earlier = NOW + time::Duration::seconds(50);
        let waiting = |nonce: u8, at: OffsetDateTime| {
            let accepted = catalogue
                .verdict(&token(&offer, ps, nonce, at), at)
                .unwrap();
            let (tell, told) = mpsc::sync_channel(2);
            (Waiting { accepted, tell }, told)
        };
        let (reuse, reuse_told) = waiting(1, later);
        let (other, other_told) = waiting(2, earlier);
        commit(&mut store, &catalogue, vec![reuse, other]);
        assert_eq!(code(&answer(&reuse_told)), None);
        assert_eq!(code(&answer(&other_told)), None);
    }

    #[test]
    fn a_group_is_decided_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let (catalogue, mut store) = verifier(&dir, &[&offer]).into_parts();
        let (waiting, told) = group(&catalogue, &offer, &[1, 2, 1, 3, 2]);
        commit(&mut store, &catalogue, waiting);
        let codes: Vec<_> = told.iter().map(|t| code(&answer(t))).collect();
        assert_eq!(
            codes,
            [
                None,
                None,
                Some("replayed-nonce"),
                None,
                Some("replayed-nonce")
            ]
        );
    }

    #[test]
    fn when_the_group_fails_each_caller_gets_its_own_answer() {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let (catalogue, mut store) = verifier(&dir, &[&offer]).into_parts();
        store.fail_writes();
        let (waiting, told) = group(&catalogue, &offer, &[1, 2]);
        commit(&mut store, &catalogue, waiting);
        for told in &told {
            assert!(matches!(answer(told), Err(Error::Sqlite(_))));
        }
    }

    #[test]
    fn the_lead_passes_to_the_first_caller_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let shared = ConcurrentVerifier::new(verifier(&dir, &[&offer]));
        let (waiting, told) = group(&shared.catalogue, &offer, &[1, 2]);
        {
            let mut queue = lock(&shared.queue);
            queue.leader = true;
            queue.waiting.extend(waiting);
        }
        // A caller whose thread has gone is skipped; the next one is told to lead.
        let mut told = told.into_iter();
        drop(told.next());
        drop(Lead(&shared));
        assert!(matches!(told.next().unwrap().try_recv(), Ok(Message::Lead)));
        assert!(lock(&shared.queue).leader);
        assert_eq!(lock(&shared.queue).waiting.len(), 1);
        // With nobody waiting, the lead is given up.
        lock(&shared.queue).waiting.clear();
        drop(Lead(&shared));
        assert!(!lock(&shared.queue).leader);
    }

    #[test]
    fn prunes_between_commits() {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let shared = ConcurrentVerifier::new(verifier(&dir, &[&offer]));
        assert_eq!(shared.offers().count(), 1);
        // A newer row, which no prune below reaches (the newest row always stays).
        let later = NOW + time::Duration::seconds(300);
        let newer = token(&offer, "https://ps.example/", 2, later);
        let token = token(&offer, "https://ps.example/", 1, NOW);
        assert_eq!(code(&shared.verify(&token, NOW)), None);
        assert_eq!(code(&shared.verify(&newer, later)), None);
        assert_eq!(shared.prune(NOW + time::Duration::seconds(600)).unwrap(), 0);
        assert_eq!(code(&shared.verify(&token, NOW)), Some("replayed-nonce"));
        assert_eq!(shared.prune(NOW + time::Duration::seconds(601)).unwrap(), 1);
    }
}
