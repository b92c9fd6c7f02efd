#!/usr/bin/env python3
"""Fills a migrated, empty Cairn SQLite database with reports for the retention benchmark.

usage: make_data.py DATABASE.sqlite DUE KEPT

DUE reports closed with no further action 30 months ago (due under a 24-month period) and KEPT
closed 6 months ago (not due), each naming a person and a phone. Every due report shares its
phone with one kept report and its person with another, so `cairn link rebuild` gives real
links, keys, clusters and networks for the run to take apart. Each report has two history
events with a note and, on every fourth, the reporter's contact details. The schedule is set
for closed reports (24 months) and reporters' contact details (12 months). Values are stored as
Cairn stores them on SQLite: ids as upper-case text, dates as seconds since 1970.
"""
import random
import sqlite3
import sys
import time
import uuid

path, due, kept = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(17)
now = time.time()
month = 30.44 * 86400
given = ["Anna", "Marek", "Elena", "Ion", "Dorota", "Vasile", "Ioana", "Pavel", "Agnieszka", "Florin", "Tomasz", "Maria"]
family = ["Nowak", "Popescu", "Kowalski", "Ionescu", "Dumitru", "Wójcik", "Stan", "Lewandowski", "Radu", "Zielinski"]


def uid() -> str:
    return str(uuid.uuid4()).upper()


db = sqlite3.connect(path)
db.execute("PRAGMA journal_mode=WAL")
columns = ["id", "reference", "passphrase_hash", "source", "language", "status", "urgency", "triage_rules", "routing_explanation",
           "danger_now", "age_group", "exploitation_types", "county_lines", "labour_sector", "classified", "description", "location",
           "postcode", "postcode_district", "occurred", "people_text", "vehicles_text", "phones_text", "businesses_text", "websites_text",
           "reporter_type", "anonymous", "contact_name", "contact_phone", "contact_email", "contact_best_time", "created_by_id",
           "reporting_agency_id", "assigned_agency_id", "received_at", "due_at", "responded_at", "closed_at", "outcome", "outcome_date",
           "outcome_note", "idempotency_key", "request_fingerprint", "updated_at"]
report_sql = f"INSERT INTO reports ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
mention_sql = ("INSERT INTO report_mentions (id, report_id, kind, value, normalised, aliases, date_of_birth, age, nationality, postcode) "
               "VALUES (?, ?, ?, ?, ?, '', ?, '', '', NULL)")
event_sql = ("INSERT INTO report_events (id, report_id, at, actor_id, actor_name, agency_id, action, from_status, to_status, note) "
             "VALUES (?, ?, ?, NULL, 'Benchmark', NULL, ?, ?, ?, ?)")
alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
references = set()


def reference() -> str:
    while True:
        r = "CRN-" + "".join(random.choice(alphabet) for _ in range(4)) + "-" + "".join(random.choice(alphabet) for _ in range(2))
        if r not in references:
            references.add(r)
            return r


def report(n: int, closed_months_ago: float, person: str, phone: str):
    received = now - (closed_months_ago + 1) * month - random.random() * 86400 * 20
    closed = now - closed_months_ago * month - random.random() * 86400 * 5
    district = f"WM{1 + n % 9}"
    contact = n % 4 == 0
    rid = uid()
    row = [rid, reference(), None, "practitioner", "en", "closed", "medium", "[]", "Routed by the benchmark.", 0, "adult", "labour", 0,
           None, 1, f"Report {n}: {person} seen at the car wash.", "Unit 4, Mill Lane", f"{district} 2AB", district, "", person, "", phone,
           "", "", "practitioner", 0 if contact else 1, "Sam Reporter" if contact else None, "07700 900000" if contact else None,
           None, None, None, None, None, received, received + 86400 * 5, received + 3600, closed, "no_indicators_found",
           time.strftime("%Y-%m-%d", time.gmtime(closed)), f"Nothing found for {person}.", None, None, closed]
    mentions = [(uid(), rid, "person", person, None, "1990"), (uid(), rid, "phone", phone, "+44" + phone.replace(" ", "")[1:], "")]
    events = [(uid(), rid, received + 3600, "accept", "assigned", "accepted", ""),
              (uid(), rid, closed, "close", "accepted", "closed", f"Visited {person}.")]
    return row, mentions, events


def people(n: int) -> str:
    # Distinct surnames (a stem and letters from n), so blocks stay small as in real data.
    letters, m = "", n
    while True:
        letters += "aeioubdklmnprstvz"[m % 17]
        m //= 17
        if m == 0:
            break
    return f"{given[n % len(given)]} {family[(n // len(given)) % len(family)]}{letters}"


rows, mentions, events = [], [], []
for n in range(due):
    r, m, e = report(n, 30, people(n), f"07700 9{n:05d}")
    rows.append(r), mentions.extend(m), events.extend(e)
for n in range(kept):
    # Shares a phone with due report n, or a person with due report n - 1.
    r, m, e = report(due + n, 6, people(max(0, n - 1)) if n % 2 else people(due + n), f"07700 9{n % max(1, due):05d}")
    rows.append(r), mentions.extend(m), events.extend(e)
db.executemany(report_sql, rows)
db.executemany(mention_sql, mentions)
db.executemany(event_sql, events)
for kind, amount, unit in [("closed_reports", 24, "months"), ("reporter_contacts", 12, "months")]:
    db.execute("INSERT INTO retention_schedule (kind, amount, unit, reason, set_by_id, set_by, set_at) VALUES (?, ?, ?, ?, NULL, ?, ?)",
               (kind, amount, unit, "Benchmark", "benchmark", now))
db.commit()
print(f"{len(rows)} reports ({due} due), {len(mentions)} mentions, {len(events)} events", file=sys.stderr)
