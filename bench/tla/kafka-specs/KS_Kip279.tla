---------------------------- MODULE KS_Kip279 ----------------------------
(* kafka-mc bench (own text): runs module Kip279 of hachikuji/kafka-specification
   with the extra checks of KSExtras. Kip279 declares its Next LOCAL, so this
   wrapper lists the same nine actions again; run.sh checks that it reaches
   the same number of distinct states as Kip279's own Next. *)
EXTENDS Kip279, KSExtras

KSNext ==
    \/ ControllerElectLeader
    \/ ControllerShrinkIsr
    \/ BecomeLeader
    \/ LeaderExpandIsr
    \/ LeaderShrinkIsr
    \/ LeaderWrite
    \/ LeaderIncHighWatermark
    \/ BecomeFollowerTruncateKip279
    \/ FollowerReplicate
=============================================================================
