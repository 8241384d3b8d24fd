------------------------------ MODULE TwoPhase ------------------------------
(***************************************************************************)
(* Two-phase commit with one transaction manager (TM) and a set RM of     *)
(* resource managers. Messages are never lost or removed: msgs is the set *)
(* of every message sent so far. Written for kafka-mc's benchmark, to     *)
(* mirror checker/testing/twoPhase.ts state for state.                    *)
(***************************************************************************)
CONSTANT RM

VARIABLES
  rmState,     \* rmState[r]: "working", "prepared", "committed" or "aborted"
  tmState,     \* "init", "committed" or "aborted"
  tmPrepared,  \* the RMs the TM has received a Prepared message from
  msgs         \* every message sent so far

vars == <<rmState, tmState, tmPrepared, msgs>>

Message == [type : {"Prepared"}, rm : RM] \cup [type : {"Commit", "Abort"}]

TypeOK ==
  /\ rmState \in [RM -> {"working", "prepared", "committed", "aborted"}]
  /\ tmState \in {"init", "committed", "aborted"}
  /\ tmPrepared \subseteq RM
  /\ msgs \subseteq Message

Init ==
  /\ rmState = [r \in RM |-> "working"]
  /\ tmState = "init"
  /\ tmPrepared = {}
  /\ msgs = {}

(* The TM records a Prepared message. *)
TMRcvPrepared(r) ==
  /\ tmState = "init"
  /\ [type |-> "Prepared", rm |-> r] \in msgs
  /\ tmPrepared' = tmPrepared \cup {r}
  /\ UNCHANGED <<rmState, tmState, msgs>>

(* Once every RM is prepared the TM may decide to commit. *)
TMCommit ==
  /\ tmState = "init"
  /\ tmPrepared = RM
  /\ tmState' = "committed"
  /\ msgs' = msgs \cup {[type |-> "Commit"]}
  /\ UNCHANGED <<rmState, tmPrepared>>

(* The TM may decide to abort at any time before it has decided. *)
TMAbort ==
  /\ tmState = "init"
  /\ tmState' = "aborted"
  /\ msgs' = msgs \cup {[type |-> "Abort"]}
  /\ UNCHANGED <<rmState, tmPrepared>>

(* A working RM prepares and tells the TM. *)
RMPrepare(r) ==
  /\ rmState[r] = "working"
  /\ rmState' = [rmState EXCEPT ![r] = "prepared"]
  /\ msgs' = msgs \cup {[type |-> "Prepared", rm |-> r]}
  /\ UNCHANGED <<tmState, tmPrepared>>

(* A working RM may abort on its own. *)
RMChooseToAbort(r) ==
  /\ rmState[r] = "working"
  /\ rmState' = [rmState EXCEPT ![r] = "aborted"]
  /\ UNCHANGED <<tmState, tmPrepared, msgs>>

(* An RM learns the TM's decision. *)
RMRcvCommitMsg(r) ==
  /\ [type |-> "Commit"] \in msgs
  /\ rmState' = [rmState EXCEPT ![r] = "committed"]
  /\ UNCHANGED <<tmState, tmPrepared, msgs>>

RMRcvAbortMsg(r) ==
  /\ [type |-> "Abort"] \in msgs
  /\ rmState' = [rmState EXCEPT ![r] = "aborted"]
  /\ UNCHANGED <<tmState, tmPrepared, msgs>>

Next ==
  \/ TMCommit
  \/ TMAbort
  \/ \E r \in RM :
       \/ TMRcvPrepared(r)
       \/ RMPrepare(r)
       \/ RMChooseToAbort(r)
       \/ RMRcvCommitMsg(r)
       \/ RMRcvAbortMsg(r)

Spec == Init /\ [][Next]_vars

(* No RM commits while another aborts. *)
Consistent ==
  \A r1, r2 \in RM : ~ (rmState[r1] = "aborted" /\ rmState[r2] = "committed")
=============================================================================
