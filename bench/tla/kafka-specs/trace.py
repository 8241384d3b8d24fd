#!/usr/bin/env python3
"""kafka-mc bench (own code): print a TLC error trace (written by `tlc2.TLC -dumpTrace json
FILE`) one line per step: the action TLC names, then what changed in the key variables.
hachikuji/kafka-specification modules: the quorum (controller/ZooKeeper) state, each
replica's log and local state.  Vanlightly/kafka-tlaplus KRaft specs: the controller's
partition metadata, broker status, each replica's role/epoch/ISR, log, HWM, and the spec's
bookkeeping of the true HWM and of acknowledged writes.  Usage: trace.py FILE.json"""
import json, sys

def log(l):
    recs = [l["records"][str(o)] for o in range(l["endOffset"])]
    return "[" + " ".join(f"id{r['id']}@e{r['epoch']}" for r in recs) + "]"

def isr(s):
    return "{" + ",".join(sorted(s)) + "}"

def quorum(q):
    return f"leader={q['leader']} epoch={q['leaderEpoch']} isr={isr(q['isr'])}"

def local(s):
    return f"leader={s['leader']} epoch={s['leaderEpoch']} hw={s['hw']} isr={isr(s['isr'])}"

def kraft_view(st):
    """The key variables of a KRaft state, as labelled strings (offsets are 1-based, HWM/LEO exclusive)."""
    v = {}
    c = st["con_partition_metadata"]
    v["controller"] = (f"leader={c['leader']} epoch={c['leader_epoch']} isr={isr(map(str, c['isr']))}"
                       + (f" elr={isr(map(str, c['elr']))}" if "elr" in c else "")
                       + f" fenced={isr(str(b + 1) for b, r in enumerate(st['con_broker_reg']) if r['status'] == 'FENCED')}")
    for b in range(len(st["broker_state"])):
        n, md, pd = b + 1, st["partition_metadata"][b], st["partition_data"][b]
        v[f"b{n}"] = (f"{st['broker_state'][b]['status']} {st['partition_status'][b]}"
                      f" epoch={md['leader_epoch']} isr={isr(map(str, md['isr']))}")
        v[f"b{n} log"] = ("[" + " ".join(f"{r['value']}@e{r['epoch']}" for r in pd["log"]) + "]"
                          + f" hwm={pd['hwm']} leo={pd['leo']}")
    v["spec"] = (f"true_hwm={st['inv_true_hwm']} acked={isr(st['inv_pos_acked'])}"
                 f" nacked={isr(st['inv_neg_acked'])} consumed={len(st['inv_consumed'])}")
    return v

def kraft(steps):
    for i, (pre, act, post) in enumerate(steps):
        a, b = kraft_view(pre[1]), kraft_view(post[1])
        if i == 0:
            print("1. Init: " + "; ".join(f"{k} {x}" for k, x in a.items()))
        name = act["name"] + "".join(f"({act['context'][p]})" for p in act.get("parameters", []))
        ch = [f"{k} -> {b[k]}" for k in b if a[k] != b[k]]
        print(f"{post[0]}. {name}: " + ("; ".join(ch) if ch else "(no change in these variables)"))

def main(path):
    steps = json.load(open(path)).get("action") or []
    if not steps:
        return print("(the initial state violates the invariant)")
    if "con_partition_metadata" in steps[0][0][1]:
        return kraft(steps)
    for i, (pre, act, post) in enumerate(steps):
        a, b = pre[1], post[1]
        if i == 0:
            print(f"1. Init: quorum {quorum(a['quorumState'])}; " + "; ".join(
                f"{r} log={log(a['replicaLog'][r])} {local(a['replicaState'][r])}" for r in sorted(a["replicaLog"])))
        ch = []
        if a["quorumState"] != b["quorumState"]:
            ch.append(f"quorum -> {quorum(b['quorumState'])}")
        for r in sorted(b["replicaLog"]):
            if a["replicaLog"][r] != b["replicaLog"][r]:
                ch.append(f"{r} log {log(a['replicaLog'][r])} -> {log(b['replicaLog'][r])}")
            if a["replicaState"][r] != b["replicaState"][r]:
                ch.append(f"{r} -> {local(b['replicaState'][r])}")
        print(f"{post[0]}. {act['name']}: " + ("; ".join(ch) if ch else "(no change)"))

if __name__ == "__main__":
    main(sys.argv[1])
