---------------------------- MODULE KSExtras ----------------------------
(* kafka-mc bench (own text): two checks added next to the invariants of
   hachikuji/kafka-specification's KafkaReplication module. They are NOT the
   module's own invariants; see bench/results/tla-specs.md. *)
EXTENDS KafkaReplication

(* The module's LeaderInIsr, except that "no leader" (None) is allowed:
   the module's own LeaderInIsr is false in Init, where leader = None. *)
LeaderInIsrOrNoLeader ==
    quorumState.leader = None \/ quorumState.leader \in quorumState.isr

(* The module's TypeOk, restated so that TLC never compares the integer Nil
   with a record (the module's TypeOk makes TLC stop with an evaluation error). *)
TypeOkTLC ==
    /\ LeaderEpochSeq!TypeOk
    /\ RecordSeq!TypeOk
    /\ replicaState \in [Replicas -> ReplicaState]
    /\ quorumState \in QuorumState
    /\ leaderAndIsrRequests \subseteq QuorumState
    /\ DOMAIN replicaLog = Replicas
    /\ \A r \in Replicas :
        /\ replicaLog[r].endOffset \in 0 .. LogSize
        /\ DOMAIN replicaLog[r].records = ReplicaLog!Offsets
        /\ \A o \in ReplicaLog!Offsets :
            IF o < replicaLog[r].endOffset
            THEN replicaLog[r].records[o] \in LogRecords
            ELSE replicaLog[r].records[o] = Nil
=============================================================================
