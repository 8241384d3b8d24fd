---------------------------- MODULE KS_Kip320 ----------------------------
(* kafka-mc bench (own text): runs module Kip320 of hachikuji/kafka-specification
   with the extra checks of KSExtras. KSNext is the module's own Next. *)
EXTENDS Kip320, KSExtras

KSNext == Next
=============================================================================
