---------------------------- MODULE KS_Kip101 ----------------------------
(* kafka-mc bench (own text): runs module Kip101 of hachikuji/kafka-specification
   with the extra checks of KSExtras. Kip101 declares its Next LOCAL, so this
   wrapper lists the same nine actions again; run.sh checks that it reaches
   the same number of distinct states as Kip101's own Next. *)
EXTENDS Kip101, KSExtras

KSNext ==
    \/ ControllerElectLeader
    \/ ControllerShrinkIsr
    \/ BecomeLeader
    \/ LeaderExpandIsr
    \/ LeaderShrinkIsr
    \/ LeaderWrite
    \/ LeaderIncHighWatermark
    \/ BecomeFollowerTruncateKip101
    \/ FollowerReplicate
=============================================================================
