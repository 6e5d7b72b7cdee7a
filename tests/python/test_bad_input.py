"""Bad input, case by case (docs/bad_input.md): each answered by a clear message naming the file,
row or column and the fix, or by a rejected row with its reason. Nothing lost, nothing injected.

Cases already covered in test_customer_files.py are not repeated here: missing file, missing
required column, byte-order mark / Windows line endings / quoted numbers / stray spaces (the
messy copy), and the bad values (missing, text, NaN, inf, absurd, negative, out of range,
duplicate ids, lower-case and blank gender codes).
"""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import (
    PROJECT_ROOT,
    SAMPLE_ORDERS,
    DbtResult,
    build_warehouse,
    copy_warehouse,
    query,
    run_dbt,
    sample_customers,
    write_csv,
)

from operations.windows1252 import Windows1252FileSystem

# The bundled synthetic sample with the public Mall Customers file's header.
CUSTOMERS = sample_customers()
HEADER = "CustomerID,Gender,Age,Annual Income (k$),Spending Score (1-100)"
# A short k range: these tests are about input, not about choosing k, and every fit costs time.
FAST = {"k_min": 2, "k_max": 3}
MARTS = ["customer_segments", "customer_rejections", "segment_profiles", "segment_centroids"]


def customer_lines(delimiter: str = ",") -> list[str]:
    """The customer file as text lines (header first)."""
    rows = [delimiter.join(CUSTOMERS.columns)]
    rows += [
        delimiter.join(str(value) for value in row) for row in CUSTOMERS.itertuples(index=False)
    ]
    return rows


def build(tmp_path, path, **vars) -> object:
    return build_warehouse(tmp_path / "build", {"customers_path": str(path), **FAST, **vars})


def assert_nothing_lost(warehouse, input_rows: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every input row is segmented or rejected, exactly once; returns both tables."""
    segmented = query(warehouse, "select * from customer_segments order by source_row_number")
    rejected = query(warehouse, "select * from customer_rejections order by source_row_number")
    assert len(segmented) + len(rejected) == input_rows
    numbers = sorted([*segmented["source_row_number"], *rejected["source_row_number"]])
    assert numbers == list(range(1, input_rows + 1))
    return segmented, rejected


def assert_fails_saying(result: DbtResult, *phrases: str) -> None:
    """The build failed, said every phrase, and showed no Python traceback."""
    assert result.returncode != 0, result.stdout[-3000:]
    for phrase in phrases:
        assert phrase in result.stdout, f"{phrase!r} not in:\n{result.stdout[-4000:]}"
    assert "Traceback" not in result.stdout


def marts_of(warehouse) -> dict[str, pd.DataFrame]:
    return {table: query(warehouse, f"select * from {table} order by all") for table in MARTS}


# --- the file as a whole ------------------------------------------------------------------


def test_empty_file_is_named_as_empty(tmp_path):
    path = write_csv(tmp_path / "empty.csv", "")
    # the file is checked where staging reads it: nothing after it runs
    result = run_dbt(tmp_path, {"customers_path": str(path)}, select="+stg_customer_file_rows")
    assert_fails_saying(result, str(path), "is empty", "header line")


def test_header_only_file_has_no_data_rows(tmp_path):
    path = write_csv(tmp_path / "header_only.csv", HEADER + "\n")
    # stopped where the features are scaled: nothing after it runs
    result = run_dbt(tmp_path, {"customers_path": str(path), **FAST}, select="+int_feature_scaling")
    assert_fails_saying(result, str(path), "has no data rows", "one line per customer")


def test_file_without_header_says_the_first_line_looks_like_data(tmp_path):
    path = write_csv(tmp_path / "no_header.csv", "\n".join(customer_lines()[1:]) + "\n")
    result = run_dbt(tmp_path, {"customers_path": str(path)})
    assert_fails_saying(
        result, "has no column for 'customer_id'", "looks like data, not a header", HEADER
    )


def test_unknown_headers_are_listed_with_the_column_map_to_add(tmp_path):
    path = tmp_path / "crm.csv"
    CUSTOMERS.set_axis(["ref", "kind", "years", "money", "points"], axis=1).to_csv(
        path, index=False
    )
    result = run_dbt(
        tmp_path, {"customers_path": str(path)}, "run", select="stg_customer_file_rows"
    )
    assert_fails_saying(
        result, "has no column for 'customer_id'", "ref, kind, years, money, points", "column_map"
    )
    # beside an orders file, the order features are offered too
    vars = {"customers_path": str(path), "orders_path": str(SAMPLE_ORDERS)}
    result = run_dbt(tmp_path, vars, "run", select="stg_customer_file_rows")
    assert_fails_saying(result, "or on the orders: --vars '{features: [recency_days, frequency,")


def test_a_single_column_is_blamed_on_the_delimiter_only_when_its_header_has_one(tmp_path):
    """A colon-separated file is read as one column whose header holds the delimiter; a file
    of one real column (a list of emails) is not told to change its delimiter; a file whose
    first line is Excel's sep=; is told to delete that line, and one with a title above its
    header is told the title may be why."""
    colons = write_csv(tmp_path / "colons.csv", "\n".join(customer_lines(":")) + "\n")
    result = run_dbt(
        tmp_path, {"customers_path": str(colons)}, "run", select="stg_customer_file_rows"
    )
    assert_fails_saying(result, "has no column for 'customer_id'", "delimiter was not recognised")
    emails = write_csv(tmp_path / "emails.csv", "Email\nada@example.com\nbo@example.com\n")
    result = run_dbt(
        tmp_path, {"customers_path": str(emails)}, "run", select="stg_customer_file_rows"
    )
    assert_fails_saying(result, "has no column for 'customer_id'", "Its columns are: Email.")
    assert "delimiter" not in result.stdout
    # Excel's delimiter hint on the first line, which DuckDB reads as the header
    hinted = write_csv(
        tmp_path / "hinted.csv", "\r\n".join(["sep=;", *customer_lines(";")]) + "\r\n"
    )
    result = run_dbt(
        tmp_path, {"customers_path": str(hinted)}, "run", select="stg_customer_file_rows"
    )
    assert_fails_saying(
        result, "has no column for 'customer_id'", "Its first line is Excel's delimiter hint"
    )
    # a report's title above the header: one column again, and the title is named as a cause
    titled = write_csv(
        tmp_path / "titled.csv",
        "\n".join(["Customer report - generated 2024-05-01", "", *customer_lines()]) + "\n",
    )
    result = run_dbt(
        tmp_path, {"customers_path": str(titled)}, "run", select="stg_customer_file_rows"
    )
    assert_fails_saying(result, "a title line is above the header (delete it)")


def test_a_header_written_twice_is_named_and_column_map_picks_one(tmp_path):
    """Age twice (a joined export): DuckDB reads the second as Age_1. The build stops naming
    both instead of clustering on the first; column_map picks the one meant."""
    lines = customer_lines()
    ages_then = [str(age + 1) for age in CUSTOMERS["Age"]]
    twice = write_csv(
        tmp_path / "twice.csv",
        "\n".join(f"{line},{age}" for line, age in zip(lines, ["Age", *ages_then], strict=True))
        + "\n",
    )
    result = run_dbt(
        tmp_path, {"customers_path": str(twice)}, "run", select="stg_customer_file_rows"
    )
    assert_fails_saying(
        result,
        "has the columns 'Age' and 'Age_1' (DuckDB's names for a header written twice)",
        """--vars '{column_map: {age: "Age_1"}}'""",
    )
    vars = {"customers_path": str(twice), "column_map": {"age": "Age_1"}}
    result = run_dbt(tmp_path, vars, "run", select="stg_customer_file_rows")
    assert result.returncode == 0, result.stdout[-3000:]
    ages = query(tmp_path / "warehouse.duckdb", "select age from staging.stg_customer_file_rows")[
        "age"
    ]
    assert sorted(ages) == sorted(CUSTOMERS["Age"] + 1)


# Characters whose UTF-8 bytes include 0x80-0x9F (’ – € 東京 😀 Привет), which DuckDB's Latin-1
# decoder refuses; in a column the build ignores (Notes) and in the customer id it keeps.
UTF8_IDS = ["Müller-1", "東京-2", "😀-3", "Привет-4", "１２３-5"]
NOTES = "Mr O’Brien – VIP €"
# Incomes of data rows 6 to 12 as read: `1_000` is not a number; European numbers in the
# semicolon file (var decimal_separator ','), where a dot or a space groups thousands.
INCOMES = {
    ";": ["1_000", "1.234", "59,5", "1 234,5", "1\u00a0234", "12,25", "12.5"],
    "\t": ["1_000"],
}
READ_AS = {";": [None, 1234, 59.5, 1234.5, 1234, 12.25, None], "\t": [None]}


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon.csv"), ("\t", "tabs.tsv")])
def test_semicolon_and_tab_delimited_utf8_files_load_with_any_character(tmp_path, delimiter, name):
    """Any UTF-8 character loads without the encoding var; `1_000` is not a number. In a
    semicolon file 1.234 may be 1234 or 1.234: the build stops naming var decimal_separator
    rather than guess, and reads European numbers with it."""
    lines = [
        line + delimiter + ("Notes" if row == 0 else NOTES)
        for row, line in enumerate(customer_lines(delimiter))
    ]
    if delimiter == ";":  # a French export's headers, accents and all
        lines[0] = lines[0].replace("Gender", "Sexe").replace("Age", "Âge")
    for row, customer_id in enumerate(UTF8_IDS, start=1):
        lines[row] = lines[row].replace(f"C{row:04d}", customer_id, 1)
    for row, income in enumerate(INCOMES[delimiter], start=6):
        fields = lines[row].split(delimiter)
        lines[row] = delimiter.join([*fields[:3], income, *fields[4:]])
    path = write_csv(tmp_path / name, "\n".join(lines) + "\n")
    vars = {}
    if delimiter == ";":
        result = run_dbt(
            tmp_path, {"customers_path": str(path)}, "run", select="stg_customer_file_rows"
        )
        assert_fails_saying(result, str(path), "'1.234'", "decimal_separator")
        vars = {"decimal_separator": ","}
    warehouse = build(tmp_path, path, **vars)
    segmented, rejected = assert_nothing_lost(warehouse, 200)
    assert segmented["customer_id"].head(5).tolist() == UTF8_IDS
    not_numbers = [income for income in INCOMES[delimiter] if income in ("1_000", "12.5")]
    assert rejected["rejection_reason"].tolist() == [
        f"annual_income (Annual Income (k$)) '{income}' is not a number" for income in not_numbers
    ]
    incomes = CUSTOMERS["Annual Income (k$)"].tolist()
    incomes[5 : 5 + len(READ_AS[delimiter])] = READ_AS[delimiter]
    assert segmented["annual_income"].tolist() == [i for i in incomes if i is not None]
    rows = CUSTOMERS.iloc[segmented["source_row_number"] - 1]
    assert segmented[["gender", "age"]].values.tolist() == rows[["Gender", "Age"]].values.tolist()


def test_windows1252_file_stops_the_build_naming_the_line_and_loads_with_the_encoding_var(tmp_path):
    """The encoding is the var's or UTF-8 (UTF-16 is seen in the header): telling Windows-1252
    from UTF-8 would take reading every byte before the build, which compiling must not do.
    Latin-1, the var's old advice, reads as Windows-1252, whose ’ and € DuckDB's own Latin-1
    refuses."""
    lines = customer_lines()
    lines[3] = lines[3].replace("C0003,", "Müller-3,", 1)  # a non-ASCII id on line 4
    lines[4] = lines[4].replace("C0004,", "O’Brien-€4,", 1)  # bytes 0x92 and 0x80
    path = write_csv(tmp_path / "cp1252.csv", "\n".join(lines) + "\n", encoding="cp1252")
    staging = {"command": "run", "select": "stg_customer_file_rows"}
    result = run_dbt(tmp_path, {"customers_path": str(path)}, **staging)
    assert_fails_saying(
        result, str(path), "not valid UTF-8", "line 4", "customers_encoding: windows-1252"
    )
    # the header's own non-UTF-8 bytes hide the header: its data-like first line says so
    lines[0] = lines[0].replace("(k$)", "(k€)")
    path = write_csv(tmp_path / "cp1252-header.csv", "\n".join(lines) + "\n", encoding="cp1252")
    result = run_dbt(tmp_path, {"customers_path": str(path)}, **staging)
    assert_fails_saying(result, "looks like data, not a header", "customers_encoding: windows-1252")
    # a German export: the header unreadable, and no first line like data: DuckDB names the
    # columns itself
    german = "Kundennummer;Straße;Alter\n" + "".join(
        f"{n};Hauptstraße {n};{20 + n}\n" for n in range(50)
    )
    german_path = write_csv(tmp_path / "kunden.csv", german, encoding="cp1252")
    result = run_dbt(tmp_path, {"customers_path": str(german_path)}, **staging)
    assert_fails_saying(
        result, "could not read a header line", "customers_encoding: windows-1252", "column0"
    )
    warehouse = build(tmp_path, path, customers_encoding="latin-1")
    segmented, _ = assert_nothing_lost(warehouse, 200)
    assert segmented["customer_id"].iloc[2:4].tolist() == ["Müller-3", "O’Brien-€4"]
    headers = query(warehouse, "select file_header from staging.stg_customer_file_columns")
    assert "Annual Income (k€)" in headers["file_header"].tolist()


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-16", "\t"), ("utf-16-le", ",")],
    ids=["Excel Unicode Text: tabs, byte-order mark", "no byte-order mark"],
)
def test_utf16_file_is_detected_and_read_as_utf16(tmp_path, encoding, delimiter):
    lines = customer_lines(delimiter)
    lines[1] = lines[1].replace("C0001", "Müller-1", 1)  # a non-ASCII id
    path = write_csv(tmp_path / "utf16.txt", "\n".join(lines) + "\n", encoding=encoding)
    warehouse = build(tmp_path, path)
    segmented, _ = assert_nothing_lost(warehouse, 200)
    assert segmented["customer_id"].iloc[0] == "Müller-1"
    assert segmented["annual_income"].tolist() == CUSTOMERS["Annual Income (k$)"].tolist()


def test_big_endian_utf16_file_stops_the_build_saying_how_to_save_it(tmp_path):
    text = "\ufeff" + "\n".join(customer_lines()) + "\n"
    path = write_csv(tmp_path / "utf16be.csv", text, encoding="utf-16-be")
    result = run_dbt(tmp_path, {"customers_path": str(path)})
    assert_fails_saying(result, str(path), "UTF-16 big-endian", "Save it as UTF-8")


def test_every_windows1252_byte_has_its_character_in_the_utf8_copy(tmp_path):
    """The plugin's copy: ’ and € from their Windows-1252 bytes, the five bytes Windows-1252
    leaves undefined as their Latin-1 control characters (never an error), gzip kept."""
    raw = bytes(range(256))
    undefined = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
    expected = "".join(
        chr(byte) if byte in undefined else bytes([byte]).decode("cp1252") for byte in raw
    )
    plain = tmp_path / "all_bytes.csv"
    plain.write_bytes(raw)
    zipped = tmp_path / "all_bytes.csv.gz"
    zipped.write_bytes(gzip.compress(raw))
    copy = Windows1252FileSystem.utf8_copy(f"windows-1252://{plain}")
    assert Path(copy).read_bytes().decode("utf-8") == expected
    assert expected[0x92] + expected[0x80] == "’€"
    copy = Windows1252FileSystem.utf8_copy(f"windows-1252://{zipped}")
    assert gzip.decompress(Path(copy).read_bytes()).decode("utf-8") == expected


def test_latin1_file_read_as_utf8_on_request_fails_naming_the_var(tmp_path):
    path = write_csv(tmp_path / "latin1.csv", HEADER + "\nÜ1,Male,20,30,40\n", encoding="latin-1")
    result = run_dbt(tmp_path, {"customers_path": str(path), "customers_encoding": "utf-8"})
    assert_fails_saying(result, "is not valid UTF-8", "line 2", "customers_encoding: windows-1252")


def test_unknown_encoding_var_lists_the_allowed_ones(tmp_path):
    path = write_csv(tmp_path / "c.csv", HEADER + "\n1,Male,20,30,40\n")
    result = run_dbt(tmp_path, {"customers_path": str(path), "customers_encoding": "ebcdic"})
    assert_fails_saying(result, "customers_encoding", "'ebcdic'", "windows-1252")


# --- rows -----------------------------------------------------------------------------------


def test_ragged_and_blank_lines_and_gender_codes(tmp_path):
    """Lines DuckDB cannot parse become rejected rows in place; blank lines are not rows."""
    lines = customer_lines()
    lines[5:5] = ["901,Male,30"]  # too few fields: data row 5
    lines[10:10] = ["902,Male,30,50,000,40"]  # too many fields (unquoted 50,000): data row 10
    lines[20:20] = ["", "  "]  # a blank and a whitespace-only line
    genders = ["M", "f", "FEMALE", "other", "x", "", "unknown", "?", "H", "Femme", "Mann", "w"]
    genders += ["男性", "女", "Vrouw"]
    for offset, gender in enumerate(genders):
        fields = lines[30 + offset].split(",")
        lines[30 + offset] = ",".join([fields[0], gender, *fields[2:]])
    path = write_csv(tmp_path / "ragged.csv", "\r\n".join(lines) + "\r\n\r\n")
    warehouse = build(tmp_path, path)
    segmented, rejected = assert_nothing_lost(warehouse, 202)  # blank lines are not rows
    reasons = dict(zip(rejected["source_row_number"], rejected["rejection_reason"], strict=True))
    assert reasons[5] == (
        "line 6 of the file could not be read (it has 3 field(s), the header has 5): "
        "'901,Male,30'; fix or remove that line"
    )
    assert reasons[10].startswith("line 11 of the file could not be read (it has 6 field(s)")
    assert "'902,Male,30,50,000,40'" in reasons[10]
    assert rejected["raw_customer_id"].isna().sum() == 2  # the two unreadable lines
    # The rows after the unreadable lines keep their places: data row 11 is the file's row 9.
    row_11 = segmented[segmented["source_row_number"] == 11].iloc[0]
    assert row_11["customer_id"] == "C0009"
    by_id = dict(zip(segmented["customer_id"], segmented["gender"], strict=True))
    normalized = [by_id[line.split(",")[0]] for line in lines[30 : 30 + len(genders)]]
    assert normalized == ["Male", "Female", "Female", "Other", "Other"] + ["Unknown"] * 3 + [
        "Male",
        "Female",
        "Male",
        "Female",
        "Male",
        "Female",
        "Female",
    ]


def test_unreadable_lines_of_a_globs_files_are_each_kept_naming_their_file(tmp_path):
    """Each file of a glob counts its lines from 1: the same line number in two files is two
    rejected rows, each naming its file, and no row number is given twice."""
    lines = customer_lines()
    first, second = lines[:101], [lines[0], *lines[101:]]
    first[3:3] = ["901,Male,30"]  # line 4 of the first file
    second[3:3] = ["902,Male,30"]  # line 4 of the second file
    write_csv(tmp_path / "part1.csv", "\n".join(first) + "\n")
    write_csv(tmp_path / "part2.csv", "\n".join(second) + "\n")
    warehouse = build(tmp_path, tmp_path / "part*.csv")
    _, rejected = assert_nothing_lost(warehouse, 202)
    assert sorted(rejected["rejection_reason"].str.extract(r"^(line 4 of \S+)")[0]) == [
        f"line 4 of {tmp_path / 'part1.csv'}",
        f"line 4 of {tmp_path / 'part2.csv'}",
    ]


# --- too little to segment: stopped in SQL, before any mart changes -------------------------


@pytest.fixture(scope="module")
def built_once(tmp_path_factory, sample_warehouse):
    """A copy of the sample's warehouse; tests below fail builds against it and check it is
    intact."""
    directory = tmp_path_factory.mktemp("built_once") / "build"
    warehouse = copy_warehouse(sample_warehouse, directory)
    CUSTOMERS.to_csv(directory.parent / "customers.csv", index=False)
    return directory, marts_of(warehouse)


def rerun(built, vars: dict) -> DbtResult:
    directory, _ = built
    return run_dbt(directory, {**FAST, **vars})


def assert_marts_unchanged(built) -> None:
    directory, before = built
    after = marts_of(directory / "warehouse.duckdb")
    for table in MARTS:
        pd.testing.assert_frame_equal(before[table], after[table], obj=table)


def test_fewer_valid_customers_than_k_min_fails_in_sql_and_keeps_the_marts(built_once, tmp_path):
    rows = [HEADER, "1,Male,20,30,40", "2,Female,30,40,50", "3,Male,abc,50,60", "4,Male,40,,60"]
    path = write_csv(tmp_path / "few.csv", "\n".join(rows) + "\n")
    result = rerun(built_once, {"customers_path": str(path), "k_min": 3, "k_max": 4})
    assert_fails_saying(
        result,
        "Only 2 of 4 input rows are usable customers, too few for k_min = 3",
        "The first rejected row is data row 3 (age 'abc' is not a number)",
        "lower var 'k_min'",
    )
    assert_marts_unchanged(built_once)


def test_more_than_half_rejected_fails_naming_the_unit_and_keeps_the_marts(built_once, tmp_path):
    """Incomes in dollars, not the catalog's k$: 496 of 500 rows of a real export were rejected
    and K-means went on with the 4 left, the build passing with a warning."""
    frame = CUSTOMERS.copy()
    frame.loc[40:, "Annual Income (k$)"] = frame.loc[40:, "Annual Income (k$)"] * 1000
    path = tmp_path / "dollars.csv"
    frame.to_csv(path, index=False)
    result = rerun(built_once, {"customers_path": str(path)})
    assert_fails_saying(
        result,
        f"Only 40 of {len(frame)} input rows are usable customers: more than half are rejected",
        f"The first rejected row is data row 41 (annual_income (Annual Income (k$)) "
        f"{frame.loc[40, 'Annual Income (k$)']} is outside 0 to 10000 k$, the built-in "
        "annual_income's range: for a column in other units, give it a name of your own",
        "set var max_rejected_share above the share rejected",
    )
    assert_marts_unchanged(built_once)


def test_feature_with_one_value_fails_in_sql_and_keeps_the_marts(built_once, tmp_path):
    frame = CUSTOMERS.assign(Age=35)
    path = tmp_path / "one_age.csv"
    frame.to_csv(path, index=False)
    result = rerun(built_once, {"customers_path": str(path)})
    assert_fails_saying(
        result,
        "Feature 'age' has the same value (35) for every valid customer",
        "Remove it from var 'features'",
        "{features: [annual_income, spending_score]}",
    )
    assert_marts_unchanged(built_once)


# --- vars: checked before they reach SQL; nothing injected ----------------------------------


@pytest.mark.parametrize(
    ("vars", "phrases"),
    [
        ({"k": "three"}, ["var 'k' must be a whole number between 2 and 50", "'three'"]),
        ({"k": 2.5}, ["var 'k' must be a whole number", "'2.5'"]),
        ({"k": True}, ["var 'k' must be a whole number"]),
        ({"k": 1}, ["var 'k' is 1; it must be between 2 and 50"]),
        ({"k_max": 500}, ["var 'k_max' is 500; it must be between 2 and 50"]),
        ({"k_min": -2}, ["var 'k_min' must be a whole number", "'-2'"]),
        ({"k_min": 6, "k_max": 4}, ["var 'k_min' (6) is larger than 'k_max' (4)"]),
        ({"k": "3; drop table main.customer_segments"}, ["var 'k' must be a whole number"]),
        ({"features": ["height"]}, ["has no column for 'height'", "Its columns are", "column_map"]),
        ({"features": []}, ["var 'features' must be a non-empty list"]),
        (
            # names are normalized to plain column names before they reach SQL
            {"features": ["age) from main.customer_segments; drop table main.customer_segments;"]},
            ["which is not a column name"],
        ),
        ({"features": ["age); drop table x; --"]}, ["has no column for 'age_drop_table_x'"]),
        ({"features": ["customer_id"]}, ["which is not a feature column"]),
        (
            # a header that is an SQL keyword (the Credit data set's Limit) is renamed by the user
            {"features": ["Limit", "age"]},
            ["names 'Limit', an SQL keyword", 'column_map: {limit_value: "Limit"}'],
        ),
        ({"features": ["gender"]}, ["is not a number", "categorical_features: [gender]"]),
        (
            {"feature_settings": {"age": {"max": "1; drop table x"}}},
            ["var 'feature_settings' gives age max", "it must be a number"],
        ),
        (
            # a role reaches the recommendations' SQL: a word, never SQL
            {"feature_settings": {"annual_income": {"role": "spend' or 1=1; --"}}},
            [
                "var 'feature_settings' gives annual_income the role",
                "a role is a word in lower case",
            ],
        ),
        ({"categorical_features": ["age"], "features": ["age"]}, ["in both var features"]),
        (
            {"features": ["Age", "annual_income"], "profile_features": ["age"]},
            ["var 'profile_features' names 'age', which var features names too", "Remove it"],
        ),
        ({"categorical_weight": "heavy"}, ["var 'categorical_weight' must be a number"]),
        (
            {"column_map": {"customer_id": 'CustomerID"; drop table main.customer_segments; --'}},
            ["var 'column_map' maps customer_id to", "has no such column", "Its columns are"],
        ),
        (
            {"column_map": {"x; drop table main.customer_segments": "Age"}},
            ["var 'column_map' has the key", "which is not one of our columns"],
        ),
        (
            {"customers_path": "x.csv'); drop table main.customer_segments; --.csv"},
            ["matches no file"],
        ),
        # dbt ignores a var the project does not know; the run stops before reading anything
        ({"featurs": ["age"]}, ["var 'featurs' is not a var of this project", "'features'?"]),
    ],
    ids=lambda value: str(value)[:40],
)
def test_bad_vars_stop_the_build_and_run_nothing(built_once, vars, phrases):
    customers = built_once[0].parent / "customers.csv"
    result = rerun(built_once, {"customers_path": str(customers), **vars})
    assert_fails_saying(result, *phrases)
    assert_marts_unchanged(built_once)


def test_features_naming_a_column_the_file_lacks(tmp_path):
    path = tmp_path / "no_age.csv"
    CUSTOMERS.drop(columns=["Age"]).to_csv(path, index=False)
    result = run_dbt(tmp_path, {"customers_path": str(path), "features": ["age", "spending_score"]})
    assert_fails_saying(result, "has no column for 'age'", "column_map", "Spending Score (1-100)")


def test_a_path_with_a_quote_is_read_as_a_path(tmp_path):
    path = tmp_path / "o'brien's customers.csv"
    CUSTOMERS.to_csv(path, index=False)
    assert_nothing_lost(build(tmp_path, path), 200)


# --- columns the user did not ask for --------------------------------------------------------


def test_a_column_that_is_not_a_feature_rejects_no_row(tmp_path):
    """Income in dollars clustered as `income`, and a credit Score (300-850) the alias `score`
    reads as the spending score: nothing is rejected (the Score's values are ignored, with a
    warning naming the header). A categorical column of ids (every value once) keeps no
    category, and the build stops saying so, before anything is trained."""
    ages = [18 + i % 60 for i in range(300)]
    lines = ["Customer ID,Age,Income,Score,Referral code"] + [
        f"{i + 1},{ages[i]},{20_000 + i * 397},{300 + (i * 37) % 551},R{i:05d}" for i in range(300)
    ]
    path = write_csv(tmp_path / "credit.csv", "\n".join(lines) + "\n")
    result = run_dbt(
        tmp_path,
        {"customers_path": str(path), "features": ["age", "income"], **FAST}
        | {"categorical_features": ["referral_code"]},
    )
    assert_fails_saying(
        result,
        "Categorical feature 'referral_code' has 300 distinct values and none is kept",
        "var min_category_share",
    )
    database = tmp_path / "warehouse.duckdb"
    rows = query(database, "select * from staging.stg_customer_file_rows")
    assert len(rows) == 300
    assert rows["value_problems"].isna().all()
    assert rows["spending_score"].isna().all()
    assert rows["income"].notna().all()
    warnings = query(database, "select * from dbt_test__audit.warn_attribute_values_ignored")
    assert warnings[["file_header", "ignored_value_count"]].values.tolist() == [["Score", 300]]
    warning = warnings["warning"].iloc[0]
    assert "column 'Score' is read as spending_score, which is not a feature" in warning
    assert "{column_map: {spending_score: null}}" in warning
    # printed too, though the build failed (macros/test_warnings.sql)
    assert f"WARN warn_attribute_values_ignored: {warning}\n" in result.stdout


# --- the warehouse file held by another process ---------------------------------------------

HOLD_LOCK = """
import sys, time, duckdb
connection = duckdb.connect(sys.argv[1])  # read-write: DuckDB locks the file
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def hold_lock(database, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(database), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_run_build_on_a_locked_warehouse_says_so_in_one_message(tmp_path):
    database = tmp_path / "held.duckdb"
    holder = hold_lock(database, 60)
    try:
        result = subprocess.run(
            ["./run", "build"],
            cwd=PROJECT_ROOT,
            env={**os.environ, "SEGMENTS_DB_PATH": str(database)},
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert f"The warehouse {database} is in use by another process" in result.stderr
    assert f"PID {holder.pid}" in result.stderr
    assert "SEGMENTS_DB_CONNECT_ATTEMPTS" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_locked_warehouse_names_the_lock_and_retries_when_asked(built_once, monkeypatch):
    directory, _ = built_once
    database = directory / "warehouse.duckdb"
    holder = hold_lock(database, 60)
    try:
        result = run_dbt(directory, {})
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode != 0
    assert f'Could not set lock on file "{database}"' in result.stdout
    assert "Conflicting lock is held in" in result.stdout  # names the process and its PID
    assert_marts_unchanged(built_once)

    # SEGMENTS_DB_CONNECT_ATTEMPTS: wait for the other process instead of failing.
    monkeypatch.setenv("SEGMENTS_DB_CONNECT_ATTEMPTS", "4")  # waits 1 + 2 + 4 s at most
    holder = hold_lock(database, 3)
    started = time.monotonic()
    # one model is enough to take the lock (the shared build's marts stay as they are)
    result = run_dbt(directory, {}, "run", select="stg_customer_file_rows")
    holder.wait()
    assert result.returncode == 0, result.stdout[-3000:]
    assert time.monotonic() - started > 3  # it waited for the lock to be released
    assert_marts_unchanged(built_once)
