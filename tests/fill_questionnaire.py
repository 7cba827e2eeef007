"""Fills in a questionnaire workbook as a supplier's program would: opens it
with openpyxl (not Tillit's code), finds each question by its number in the
first column of the questions sheet, and writes the answer into the cell
beside it. Nothing else is touched unless asked.

    fill_questionnaire.py IN.xlsx OUT.xlsx ANSWERS.json

ANSWERS.json: {"answers": {"1.1": "Yes", "1.4": "date:2026-01-31", "4.2": 3},
               "edit_question": "2.1", "hidden": {"supplier": "…"}}
"""

import datetime
import json
import sys

import openpyxl


def main(source, target, spec_path):
    spec = json.load(open(spec_path, encoding="utf-8"))
    book = openpyxl.load_workbook(source)
    sheet = next(s for s in book.worksheets if s.title in ("Questions", "Frågor"))
    rows = {}
    for row in sheet.iter_rows(min_row=1):
        number = row[0].value
        if isinstance(number, str) and number and number[0].isdigit():
            rows[number] = row[0].row
    for question, value in spec.get("answers", {}).items():
        if isinstance(value, str) and value.startswith("date:"):
            value = datetime.datetime.strptime(value[5:], "%Y-%m-%d")
        sheet.cell(row=rows[question], column=3).value = value
    if "edit_question" in spec:
        cell = sheet.cell(row=rows[spec["edit_question"]], column=2)
        cell.value = cell.value + " (only where required by law)"
    hidden = book["Tillit"]
    for key, value in spec.get("hidden", {}).items():
        for row in hidden.iter_rows(min_row=1):
            if row[0].value == key:
                row[1].value = value
    book.save(target)


if __name__ == "__main__":
    main(*sys.argv[1:4])
