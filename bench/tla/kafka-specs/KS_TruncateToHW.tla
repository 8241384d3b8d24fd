---------------------------- MODULE KS_TruncateToHW ----------------------------
(* kafka-mc bench (own text): runs module KafkaTruncateToHighWatermark of hachikuji/kafka-specification
   with the extra checks of KSExtras. KSNext is the module's own Next. *)
EXTENDS KafkaTruncateToHighWatermark, KSExtras

KSNext == Next
=============================================================================
