---------------------------- MODULE KS_Kip320FirstTry ----------------------------
(* kafka-mc bench (own text): runs module Kip320FirstTry of hachikuji/kafka-specification
   with the extra checks of KSExtras. KSNext is the module's own Next. *)
EXTENDS Kip320FirstTry, KSExtras

KSNext == Next
=============================================================================
