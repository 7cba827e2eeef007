#!/usr/bin/env python3
"""An independent reader of a DORA register-of-information report package.

Reads the zip with Python's zipfile and csv only, and checks it against the
facts in data/dora/ (columns.csv, codelists.csv) and the package rules of
the EBA's reporting framework: the name, the root folder, META-INF,
report.json, parameters.csv, FilingIndicators.csv, one lower-case CSV per
template with its header, CRLF rows, non-empty and unique keys, foreign keys
that resolve, codes in their lists and LEIs with valid check digits. It
shares no code with Tillit's own checker. Prints one line per problem and
exits 1 when there is any; prints the row counts and exits 0 otherwise.

Usage: dora_reader.py PACKAGE.zip DATA_DIR
"""

import csv
import io
import json
import re
import sys
import zipfile
from pathlib import Path

NAME = re.compile(r"^[A-Z0-9]{20}\.(CON|IND)_[A-Z]{2}_DORA010100_DORA_\d{4}-\d{2}-\d{2}_\d{17}$")
# B_07.01's foreign keys from a type of code and a type of ICT service to
# an LEI and a function identifier join values of different kinds.
NOT_FOREIGN = {("B_07.01", "c0030"), ("B_07.01", "c0040")}
ID_TYPES = {"eba_qCO:qx2000", "eba_qCO:qx2002", "eba_qCO:qx2003", "eba_qCO:qx2004"}


def lei_ok(text: str) -> bool:
    if not re.fullmatch(r"[A-Z0-9]{18}[0-9]{2}", text):
        return False
    digits = "".join(str(int(c, 36)) for c in text)
    return int(digits) % 97 == 1


def main(package: Path, data: Path) -> int:
    problems: list[str] = []
    columns: dict[str, list[dict]] = {}
    with open(data / "columns.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            columns.setdefault(row["template"], []).append(row)
    lists: dict[str, set[str]] = {}
    with open(data / "codelists.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lists.setdefault(row["list"].split()[0], set()).add(row["code"])

    stem = package.name[: -len(".zip")] if package.name.endswith(".zip") else package.name
    if not NAME.match(stem):
        problems.append(f"package name {stem!r} does not match the pattern")
    archive = zipfile.ZipFile(package)
    names = archive.namelist()
    roots = {n.split("/")[0] for n in names}
    if roots != {stem}:
        problems.append(f"root folders {sorted(roots)} are not the package's name")

    def read(path: str) -> bytes | None:
        full = f"{stem}/{path}"
        if full not in names:
            problems.append(f"{path} is missing")
            return None
        return archive.read(full)

    package_json = read("META-INF/reportPackage.json")
    if package_json is not None:
        kind = json.loads(package_json)["documentInfo"]["documentType"]
        if kind != "https://xbrl.org/report-package/2023":
            problems.append(f"reportPackage.json documentType {kind}")
    report_json = read("reports/report.json")
    if report_json is not None:
        info = json.loads(report_json)["documentInfo"]
        if info["documentType"] != "https://xbrl.org/2021/xbrl-csv":
            problems.append("report.json is not xBRL-CSV")
        if "http://www.eba.europa.eu/eu/fr/xbrl/crr/fws/dora/4.0/mod/dora.json" not in info["extends"]:
            problems.append("report.json does not extend the DORA module")

    def table(path: str) -> list[list[str]] | None:
        raw = read(path)
        if raw is None:
            return None
        text = raw.decode("utf-8")
        if text and (not text.endswith("\r\n") or "\n" in text.replace("\r\n", "")):
            problems.append(f"{path}: rows are not CRLF-terminated")
        return list(csv.reader(io.StringIO(text, newline="")))

    parameters = table("reports/parameters.csv")
    lei = stem[:20]
    if parameters is not None:
        values = dict(parameters[1:])
        if parameters[0] != ["name", "value"] or set(values) != {
            "entityID",
            "refPeriod",
            "baseCurrency",
            "decimalsInteger",
            "decimalsMonetary",
        }:
            problems.append(f"parameters.csv holds {parameters}")
        if values.get("entityID") != f"rs:{lei}.{stem[21:24]}":
            problems.append(f"entityID {values.get('entityID')} does not name the package's entity")
        if values.get("refPeriod") != stem.split("_")[-2]:
            problems.append("refPeriod is not the package's reference date")
        if not re.fullmatch(r"iso4217:[A-Z]{3}", values.get("baseCurrency", "")):
            problems.append(f"baseCurrency {values.get('baseCurrency')}")
    if not lei_ok(lei):
        problems.append(f"the package's LEI {lei} fails mod 97")

    indicators = table("reports/FilingIndicators.csv")
    reported: dict[str, str] = {}
    if indicators is not None:
        if indicators[0] != ["templateID", "reported"]:
            problems.append("FilingIndicators.csv header")
        reported = dict(indicators[1:])
        if set(reported) != set(columns):
            problems.append(f"filing indicators for {sorted(reported)}, templates {sorted(columns)}")

    tables: dict[str, list[dict[str, str]]] = {}
    for template, spec in columns.items():
        rows = table(f"reports/{template.lower()}.csv")
        if rows is None:
            continue
        header = [c["column"] for c in spec]
        if rows[0] != header:
            problems.append(f"{template}: header {rows[0]} is not {header}")
            continue
        tables[template] = [dict(zip(header, r)) for r in rows[1:]]
        for n, r in enumerate(rows[1:], start=2):
            if len(r) != len(header):
                problems.append(f"{template} row {n}: {len(r)} cells, {len(header)} columns")
        expected = "true" if tables[template] else "false"
        if reported.get(template) != expected:
            problems.append(f"{template}: filing indicator {reported.get(template)} but {len(tables[template])} rows")

    for template, rows in tables.items():
        spec = columns[template]
        key = [c["column"] for c in spec if c["key"].startswith("PK")]
        seen: set[tuple] = set()
        for n, row in enumerate(rows, start=2):
            values = tuple(row[c] for c in key)
            required = [c["key"] == "PK" or c["required"] == "Mandatory" for c in spec if c["key"].startswith("PK")]
            if any(v == "" and r for v, r in zip(values, required)):
                problems.append(f"{template} row {n}: an empty key cell")
            elif values in seen:
                problems.append(f"{template} row {n}: duplicate key {values}")
            seen.add(values)
            for i, c in enumerate(spec):
                value = row[c["column"]]
                if c["required"] == "Mandatory" and value == "":
                    problems.append(f"{template} row {n} {c['column']}: mandatory and empty")
                if value == "":
                    continue
                listed = re.search(r"\((LIST[A-Z0-9]+)", c["type"])
                if listed and listed.group(1) not in ("LISTCOUNTRY", "LISTCURRENCY"):
                    if value not in lists.get(listed.group(1), set()):
                        problems.append(f"{template} row {n} {c['column']}: {value} not in {listed.group(1)}")
                if listed and listed.group(1) == "LISTCOUNTRY" and not re.fullmatch(r"eba_GA:([A-Z]{2}|qx2007)", value):
                    problems.append(f"{template} row {n} {c['column']}: country {value}")
                if listed and listed.group(1) == "LISTCURRENCY" and not re.fullmatch(r"eba_CU:[A-Z]{3}", value):
                    problems.append(f"{template} row {n} {c['column']}: currency {value}")
                if c["type"] == "Auto" and value not in ID_TYPES:
                    problems.append(f"{template} row {n} {c['column']}: type of code {value}")
                if c["type"] == "Date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    problems.append(f"{template} row {n} {c['column']}: date {value}")
                if "LEI pattern" in c["type"] and not lei_ok(value):
                    problems.append(f"{template} row {n} {c['column']}: LEI {value} fails mod 97")
                following = spec[i + 1] if i + 1 < len(spec) else None
                if following and following["type"] == "Auto" and row[following["column"]] == "eba_qCO:qx2000":
                    if not lei_ok(value):
                        problems.append(f"{template} row {n} {c['column']}: LEI {value} fails mod 97")
                target = c["foreign_key"]
                if target and (template, c["column"]) not in NOT_FOREIGN:
                    to_template, to_column = target.rsplit(".", 1)
                    found = {r[to_column] for r in tables.get(to_template, [])} if to_template in tables else set()
                    if to_template not in tables:
                        # Read it if it comes later in the file order.
                        later = table(f"reports/{to_template.lower()}.csv") or [[]]
                        header = later[0]
                        found = {dict(zip(header, r)).get(to_column) for r in later[1:]}
                    if value not in found:
                        problems.append(f"{template} row {n} {c['column']}: {value} has no row in {target}")

    for problem in problems:
        print(problem)
    if problems:
        return 1
    for template, rows in tables.items():
        print(f"{template} {len(rows)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
