#!/usr/bin/env python3
"""Adds N payers to a sandbox seed: each a customer with a valid national code and a deposit of their own.

    many-payers.py <sandbox.json in> <sandbox.json out> <payers file out> <count> <balance rials per deposit>

The payers file has one "nid deposit" line per payer, for bench/run.sh to mint one token each.
"""
import json
import sys


def national_code(serial: int) -> str:
    """A national code that passes the check digit: nine digits from the serial, then the check digit."""
    body = f"{700000000 + serial:09d}"
    remainder = sum(int(digit) * (10 - index) for index, digit in enumerate(body)) % 11
    check = remainder if remainder < 2 else 11 - remainder
    return body + str(check)


def main() -> None:
    source, target, payers_path, count, balance = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    seed = json.load(open(source, encoding="utf-8"))
    payers = []
    for serial in range(count):
        nid = national_code(serial)
        deposit = f"88{serial:011d}"
        seed["customers"].append({"nid": nid, "firstName": "پرداخت", "lastName": f"کننده {serial}"})
        seed["deposits"].append({"number": deposit, "owners": [nid], "signatories": [nid], "requiredSignatures": 1,
                                 "balanceRials": balance, "status": "active"})
        payers.append(f"{nid} {deposit}")
    json.dump(seed, open(target, "w", encoding="utf-8"), ensure_ascii=False)
    open(payers_path, "w", encoding="ascii").write("\n".join(payers) + "\n")


main()
