//! A verifier for a merchant's server: many threads or async tasks verify tokens at once,
//! and the nonces they accept share commits of the replay store (group commit).
//!
//! Each caller runs every check of a token itself (decoding, `verify_strict`, the offer, the
//! receipt's signature), on its own thread or task: that work is spread over the cores. A
//! token that passes them joins the queue, and the caller waits for its answer: a thread
//! blocks on a channel, an async task awaits a oneshot and holds no thread meanwhile. One
//! committing thread, the verifier's own, takes every token queued (up to [`MAX_GROUP`]),
//! records their nonces in one immediate transaction (`replay.rs`) and answers each caller
//! once that transaction is committed; the tokens that arrive meanwhile make the next group.
//! The busier the server, the more tokens share one flush, and the committing thread is
//! woken once per group, not once per token. A token is never accepted before its nonce is
//! on disk, exactly as with [`Verifier::verify`].

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{self, SyncSender};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use time::OffsetDateTime;
use tokio::sync::oneshot;

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

/// The committing thread's name (at most 15 bytes, as Linux keeps it).
const COMMITTER: &str = "micropay-commit";

/// The answer to one caller.
type Answer = Result<Result<Accepted, Rejection>, Error>;

/// Where a waiting caller is told its answer.
enum Tell {
    /// A thread blocked receiving (room for the one answer, so telling never blocks).
    Thread(SyncSender<Answer>),
    /// An async task awaiting.
    Task(oneshot::Sender<Answer>),
}

impl Tell {
    /// Tells the caller; one that has gone (a task dropped) is not told.
    fn tell(self, answer: Answer) {
        match self {
            Tell::Thread(tell) => {
                let _ = tell.try_send(answer);
            }
            Tell::Task(tell) => {
                let _ = tell.send(answer);
            }
        }
    }
}

/// A token that passed the checks, waiting for its nonce to be committed.
struct Waiting {
    accepted: Accepted,
    tell: Tell,
}

/// The tokens waiting for a commit, and the committing thread's state.
#[derive(Default)]
struct Queue {
    waiting: Vec<Waiting>,
    /// The committing thread waits for tokens (and must be woken for the next one).
    idle: bool,
    /// The verifier is dropped: the committing thread ends once the queue is empty.
    closed: bool,
}

/// What the callers and the committing thread share.
struct Shared {
    catalogue: Catalogue,
    queue: Mutex<Queue>,
    /// Wakes the committing thread when a token is queued while it is idle.
    queued: Condvar,
    store: Mutex<ReplayStore>,
}

/// A [`Verifier`] shared by many threads and async tasks (`&self`, `Send + Sync`), whose
/// replay store commits the nonces of concurrent calls together, on a thread of its own
/// (named `micropay-commit`, ended when the verifier is dropped). Build it from a
/// [`Verifier`] whose offers are published; the offers are fixed from then on.
pub struct ConcurrentVerifier {
    shared: Arc<Shared>,
    committer: Option<JoinHandle<()>>,
    /// A second handle on the store, made at the first prune: pruning holds it, never the
    /// committing handle, so commits go on meanwhile.
    pruner: Mutex<Option<ReplayStore>>,
}

impl std::fmt::Debug for ConcurrentVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConcurrentVerifier")
            .field("catalogue", &self.shared.catalogue)
            .finish_non_exhaustive()
    }
}

/// Locks `mutex` even if a thread panicked while holding it: the queue and the store stay
/// sound (a group whose commit panicked is dropped, its callers told so).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ConcurrentVerifier {
    /// A verifier for many threads and tasks, on `verifier`'s offers and replay store.
    ///
    /// # Panics
    ///
    /// If the operating system cannot start the committing thread.
    pub fn new(verifier: Verifier) -> Self {
        let (catalogue, store) = verifier.into_parts();
        let shared = Arc::new(Shared {
            catalogue,
            queue: Mutex::new(Queue::default()),
            queued: Condvar::new(),
            store: Mutex::new(store),
        });
        let committer = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name(COMMITTER.to_owned())
                .spawn(move || shared.run())
                .expect("the operating system starts a thread")
        };
        ConcurrentVerifier {
            shared,
            committer: Some(committer),
            pruner: Mutex::new(None),
        }
    }

    /// The published offers.
    pub fn offers(&self) -> impl Iterator<Item = &Offer> {
        self.shared.catalogue.offers()
    }

    /// Checks `token` at `now`, as [`Verifier::verify`] does; on acceptance the nonce is
    /// committed to the replay store (with those of other callers' tokens) before the
    /// receipt is returned. Blocks until then: from async code, use
    /// [`ConcurrentVerifier::verify_purchase_async`].
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
        let accepted = match self.shared.catalogue.verdict_on(purchase, now) {
            Ok(accepted) => accepted,
            Err(rejection) => return Ok(Err(rejection)),
        };
        let (tell, told) = mpsc::sync_channel(1);
        self.shared.queue(Waiting {
            accepted,
            tell: Tell::Thread(tell),
        });
        // The committing thread answers every token it takes, or drops its channel when the
        // commit panicked.
        told.recv().unwrap_or(Err(Error::CommitInterrupted))
    }

    /// [`ConcurrentVerifier::verify_purchase`] for async code: the checks run on the task's
    /// thread when the future is first polled (a strict signature check and a receipt
    /// signature, about a tenth of a millisecond), then the task waits for the commit of its
    /// group without holding a thread. A future dropped after the checks leaves its token in
    /// the group: its nonce is recorded (spent) all the same.
    pub async fn verify_purchase_async(
        &self,
        purchase: SignedPurchaseRequest,
        now: OffsetDateTime,
    ) -> Answer {
        let accepted = match self.shared.catalogue.verdict_on(purchase, now) {
            Ok(accepted) => accepted,
            Err(rejection) => return Ok(Err(rejection)),
        };
        let (tell, told) = oneshot::channel();
        self.shared.queue(Waiting {
            accepted,
            tell: Tell::Task(tell),
        });
        told.await.unwrap_or(Err(Error::CommitInterrupted))
    }

    /// The receipt issued when `purchase` was accepted, as the replay store keeps it; `None`
    /// when no request like it (same nonce, issue instant, buyer's key and offer) was
    /// accepted. A server answers a retry of a token whose response was lost with it
    /// (`replayed-nonce` says only that the nonce was taken). The caller checks the
    /// signature of `purchase` first: the lookup itself trusts its fields. Blocks on the
    /// store (behind a commit under way).
    pub fn stored_receipt(
        &self,
        purchase: &SignedPurchaseRequest,
    ) -> Result<Option<SignedReceipt>, Error> {
        let Some(token) = lock(&self.shared.store).stored_receipt(purchase.request())? else {
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
            none => none.insert(lock(&self.shared.store).try_clone()?),
        };
        pruner.prune(self.shared.catalogue.prune_before(now))
    }
}

impl Drop for ConcurrentVerifier {
    /// Ends the committing thread (no caller waits: each borrows the verifier).
    fn drop(&mut self) {
        lock(&self.shared.queue).closed = true;
        self.shared.queued.notify_one();
        if let Some(committer) = self.committer.take() {
            let _ = committer.join();
        }
    }
}

impl Shared {
    /// Queues a token for the next commit, waking the committing thread if it is idle.
    fn queue(&self, waiting: Waiting) {
        let wake = {
            let mut queue = lock(&self.queue);
            queue.waiting.push(waiting);
            std::mem::replace(&mut queue.idle, false)
        };
        if wake {
            self.queued.notify_one();
        }
    }

    /// The committing thread: commits the queue as it is, again and again, and waits when it
    /// is empty; ends when the verifier is dropped and nothing is left.
    fn run(&self) {
        loop {
            let group = {
                let mut queue = lock(&self.queue);
                while queue.waiting.is_empty() {
                    if queue.closed {
                        return;
                    }
                    queue.idle = true;
                    queue = self
                        .queued
                        .wait(queue)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                queue.idle = false;
                let take = queue.waiting.len().min(MAX_GROUP);
                queue.waiting.drain(..take).collect::<Vec<_>>()
            };
            // A panic drops the group (its callers get `CommitInterrupted`), not the thread.
            let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
                commit(&mut lock(&self.store), &self.catalogue, group);
            }));
        }
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
                tell.tell(Ok(verdict));
            }
            return;
        }
        Err(Error::Postgres { store, reason }) => {
            for tell in tells {
                tell.tell(Err(Error::Postgres {
                    store: store.clone(),
                    reason: reason.clone(),
                }));
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
        tell.tell(answer);
    }
}

#[cfg(all(test, feature = "sqlite"))]
mod tests {
    use super::*;
    use crate::verifier::tests::{NOW, offer_with, reopened, token, verifier};
    use std::collections::BTreeMap;
    use std::sync::mpsc::Receiver;
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
    ) -> (Vec<Waiting>, Vec<Receiver<Answer>>) {
        nonces
            .iter()
            .map(|&nonce| {
                let accepted = catalogue
                    .verdict(&token(offer, "https://ps.example/", nonce, NOW), NOW)
                    .unwrap();
                let (tell, told) = mpsc::sync_channel(1);
                (
                    Waiting {
                        accepted,
                        tell: Tell::Thread(tell),
                    },
                    told,
                )
            })
            .unzip()
    }

    fn answer(told: &Receiver<Answer>) -> Answer {
        told.try_recv().unwrap()
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
            let (tell, told) = mpsc::sync_channel(1);
            (
                Waiting {
                    accepted,
                    tell: Tell::Thread(tell),
                },
                told,
            )
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
    fn async_tasks_accept_each_nonce_once_without_a_thread_each() {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let shared = Arc::new(ConcurrentVerifier::new(verifier(&dir, &[&offer])));
        let tokens: Vec<String> = (0..16)
            .map(|n| token(&offer, "https://ps.example/", n, NOW))
            .collect();
        // One thread runs 48 tasks at once: each nonce sent by three of them.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let answers = runtime.block_on(async {
            let tasks: Vec<_> = (0..48)
                .map(|n| {
                    let shared = Arc::clone(&shared);
                    let purchase = SignedPurchaseRequest::from_token(&tokens[n % 16]).unwrap();
                    tokio::spawn(async move {
                        let answer = shared.verify_purchase_async(purchase, NOW).await;
                        (n % 16, code(&answer))
                    })
                })
                .collect();
            let mut answers = BTreeMap::<usize, Vec<Option<&str>>>::new();
            for task in tasks {
                let (n, answer) = task.await.unwrap();
                answers.entry(n).or_default().push(answer);
            }
            answers
        });
        for (n, mut answers) in answers {
            answers.sort_unstable();
            assert_eq!(
                answers,
                [None, Some("replayed-nonce"), Some("replayed-nonce")],
                "nonce {n}"
            );
        }
        // A refusal before the commit is answered at once.
        let stale = token(
            &offer,
            "https://ps.example/",
            99,
            NOW - time::Duration::hours(1),
        );
        let stale = SignedPurchaseRequest::from_token(&stale).unwrap();
        let answer = runtime.block_on(shared.verify_purchase_async(stale, NOW));
        assert_eq!(code(&answer), Some("stale-request"));
        drop(Arc::into_inner(shared).unwrap());
        let mut again = reopened(&dir, &offer);
        for token in &tokens {
            assert_eq!(
                again.verify(token, NOW).unwrap().err(),
                Some(Rejection::ReplayedNonce)
            );
        }
    }

    #[test]
    fn a_caller_gone_does_not_stop_the_commit_of_its_group() {
        let dir = tempfile::tempdir().unwrap();
        let offer = offer_with(|_| {});
        let (catalogue, mut store) = verifier(&dir, &[&offer]).into_parts();
        let (waiting, told) = group(&catalogue, &offer, &[1, 2]);
        let mut told = told.into_iter();
        drop(told.next());
        commit(&mut store, &catalogue, waiting);
        assert_eq!(code(&answer(&told.next().unwrap())), None);
        let mut verdicts = [catalogue.verdict(&token(&offer, "https://ps.example/", 1, NOW), NOW)];
        store
            .record(&mut verdicts, catalogue.replay_window())
            .unwrap();
        assert_eq!(verdicts[0].as_ref().err(), Some(&Rejection::ReplayedNonce));
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
